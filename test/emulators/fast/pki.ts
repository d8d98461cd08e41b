/**
 * A throw-away PKI for the FAST Parapheur emulator, made with the `openssl` CLI (OpenSSL 3.0) in a
 * temporary folder the first time it is asked for, then memoised for the process. Nothing is
 * committed: every run makes new keys. EC P-256 keys keep generation well under a second.
 *
 * - "FAST Test CA" signs the server certificate (CN=127.0.0.1, SAN IP:127.0.0.1 + DNS:localhost),
 *   the depositor's client certificate and an expired client certificate (PEM and PKCS#12).
 * - "Other Test CA" signs a client certificate that the emulator must refuse.
 * The client certificates name the depositor account: CN "n8n depositor", emailAddress
 * DEPOSITOR_EMAIL (also in subjectAltName), which is how the emulator knows who deposits.
 * The folder is removed when the process exits (or, failing that, by the next generation once
 * the process is gone).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The FAST account of the test client certificate: the depositor. */
export const DEPOSITOR_EMAIL = 'depot@mairie-exemple.fr';
export const DEPOSITOR_COMMON_NAME = 'n8n depositor';

export interface TestPki {
	/** Folder holding every file below (ca.pem, client.p12, ...). */
	dir: string;
	caCert: string;
	caKey: string;
	serverCert: string;
	serverKey: string;
	clientCert: string;
	/** Unencrypted PKCS#8 PEM. */
	clientKey: string;
	/** The same key, encrypted PKCS#8 PEM (AES-256-CBC) with `clientKeyPassphrase`. */
	clientKeyEncrypted: string;
	clientKeyPassphrase: string;
	/** Base64 of a PKCS#12 file (client cert + key + CA cert; AES-256-CBC, PBKDF2, SHA-256 MAC). */
	clientPfxBase64: string;
	clientPfxPassword: string;
	/** A client certificate (same subject) issued by another CA. */
	otherCaCert: string;
	otherCaClientCert: string;
	otherCaClientKey: string;
	/** PKCS#12 of the other-CA client, with `clientPfxPassword`. */
	otherCaClientPfxBase64: string;
	/** Issued by the test CA, valid 2020-01-01 .. 2021-01-01 only. */
	expiredClientCert: string;
	expiredClientKey: string;
	/** PKCS#12 of the expired client certificate, with `clientPfxPassword`. */
	expiredClientPfxBase64: string;
	/** Absolute paths of the files, for scripts that take paths. */
	files: {
		caCert: string;
		caKey: string;
		serverCert: string;
		serverKey: string;
		clientCert: string;
		clientKey: string;
		clientKeyEncrypted: string;
		clientPfx: string;
		otherCaCert: string;
		otherCaClientCert: string;
		otherCaClientKey: string;
		otherCaClientPfx: string;
		expiredClientCert: string;
		expiredClientKey: string;
		expiredClientPfx: string;
	};
}

export const CLIENT_KEY_PASSPHRASE = 'Cl3-Pr1vee-Test';
export const PFX_PASSWORD = 'P12-Test-n8n!';

// Our own configuration, so that the system openssl.cnf plays no part.
const OPENSSL_CONFIG = (dir: string) => `
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_server ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_client ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth,emailProtection
subjectAltName = email:${DEPOSITOR_EMAIL}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ca ]
default_ca = CA_default
[ CA_default ]
database = ${dir}/ca-db/index.txt
new_certs_dir = ${dir}/ca-db
serial = ${dir}/ca-db/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = yes
[ policy_any ]
commonName = supplied
emailAddress = optional
organizationName = optional
`;

let memo: TestPki | undefined;

/** The test PKI, generated once per process. */
export function getTestPki(): TestPki {
	memo ??= generate();
	return memo;
}

const PREFIX = 'fast-test-pki-';

const isAlive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
};

/**
 * Removes the PKI folders of processes that are gone. The exit hook below does not run in every
 * case (Jest's sandboxed `process`, killed processes), so each generation sweeps the leftovers.
 */
function sweepStaleFolders(): void {
	let names: string[];
	try {
		names = readdirSync(tmpdir()).filter((name) => name.startsWith(PREFIX));
	} catch {
		return;
	}
	for (const name of names.slice(0, 1000)) {
		const folder = join(tmpdir(), name);
		let owner: number;
		try {
			owner = Number(readFileSync(join(folder, 'owner.pid'), 'utf8'));
		} catch {
			continue; // Being created, or not ours.
		}
		if (Number.isInteger(owner) && owner > 0 && !isAlive(owner))
			rmSync(folder, { recursive: true, force: true });
	}
}

function generate(): TestPki {
	sweepStaleFolders();
	const dir = mkdtempSync(join(tmpdir(), PREFIX));
	writeFileSync(join(dir, 'owner.pid'), String(process.pid));
	process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
	const config = join(dir, 'openssl.cnf');
	writeFileSync(config, OPENSSL_CONFIG(dir));
	mkdirSync(join(dir, 'ca-db'));
	writeFileSync(join(dir, 'ca-db', 'index.txt'), '');
	writeFileSync(join(dir, 'ca-db', 'serial'), '1000\n');
	const path = (name: string) => join(dir, name);
	const openssl = (...args: string[]) => {
		try {
			execFileSync('openssl', args, {
				cwd: dir,
				env: { ...process.env, OPENSSL_CONF: config },
				stdio: ['ignore', 'pipe', 'pipe'],
			});
		} catch (error) {
			const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
			throw new Error(`openssl ${args[0]} failed: ${stderr || (error as Error).message}`);
		}
	};
	const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc'];
	const out = (name: string) => ['-keyout', path(`${name}.key`), '-out', path(`${name}.pem`)];
	const ca = (name: string, subject: string) =>
		// prettier-ignore
		openssl('req', '-x509', ...newKey, ...out(name), '-subj', subject, '-days', '3650',
			'-config', config, '-extensions', 'v3_ca');
	const issue = (name: string, subject: string, caName: string, extensions: string) =>
		// prettier-ignore
		openssl('req', ...newKey, ...out(name), '-subj', subject, '-days', '825',
			'-CA', path(`${caName}.pem`), '-CAkey', path(`${caName}.key`),
			'-config', config, '-extensions', extensions);
	const pfx = (name: string, caName: string) =>
		// prettier-ignore
		openssl('pkcs12', '-export', '-in', path(`${name}.pem`), '-inkey', path(`${name}.key`),
			'-certfile', path(`${caName}.pem`), '-name', DEPOSITOR_COMMON_NAME,
			'-passout', `pass:${PFX_PASSWORD}`, '-out', path(`${name}.p12`));
	const clientSubject = `/CN=${DEPOSITOR_COMMON_NAME}/emailAddress=${DEPOSITOR_EMAIL}`;

	ca('ca', '/O=FAST Test/CN=FAST Test CA');
	issue('server', '/CN=127.0.0.1', 'ca', 'v3_server');
	issue('client', clientSubject, 'ca', 'v3_client');
	// prettier-ignore
	openssl('pkey', '-in', path('client.key'), '-aes-256-cbc',
		'-passout', `pass:${CLIENT_KEY_PASSPHRASE}`, '-out', path('client.enc.key'));
	pfx('client', 'ca');

	ca('other-ca', '/O=Other Test/CN=Other Test CA');
	issue('other-client', clientSubject, 'other-ca', 'v3_client');
	pfx('other-client', 'other-ca');

	// `openssl x509 -req` of OpenSSL 3.0 cannot set dates in the past: `openssl ca` can.
	// prettier-ignore
	openssl('req', '-new', ...newKey, '-keyout', path('expired-client.key'),
		'-out', path('expired-client.csr'), '-subj', clientSubject, '-config', config);
	// prettier-ignore
	openssl('ca', '-batch', '-config', config, '-cert', path('ca.pem'), '-keyfile', path('ca.key'),
		'-in', path('expired-client.csr'), '-out', path('expired-client.pem'), '-notext',
		'-startdate', '20200101000000Z', '-enddate', '20210101000000Z', '-extensions', 'v3_client');
	pfx('expired-client', 'ca');

	const read = (name: string) => readFileSync(path(name), 'utf8');
	const files = {
		caCert: path('ca.pem'),
		caKey: path('ca.key'),
		serverCert: path('server.pem'),
		serverKey: path('server.key'),
		clientCert: path('client.pem'),
		clientKey: path('client.key'),
		clientKeyEncrypted: path('client.enc.key'),
		clientPfx: path('client.p12'),
		otherCaCert: path('other-ca.pem'),
		otherCaClientCert: path('other-client.pem'),
		otherCaClientKey: path('other-client.key'),
		otherCaClientPfx: path('other-client.p12'),
		expiredClientCert: path('expired-client.pem'),
		expiredClientKey: path('expired-client.key'),
		expiredClientPfx: path('expired-client.p12'),
	};
	return {
		dir,
		caCert: read('ca.pem'),
		caKey: read('ca.key'),
		serverCert: read('server.pem'),
		serverKey: read('server.key'),
		clientCert: read('client.pem'),
		clientKey: read('client.key'),
		clientKeyEncrypted: read('client.enc.key'),
		clientKeyPassphrase: CLIENT_KEY_PASSPHRASE,
		clientPfxBase64: readFileSync(files.clientPfx).toString('base64'),
		clientPfxPassword: PFX_PASSWORD,
		otherCaCert: read('other-ca.pem'),
		otherCaClientCert: read('other-client.pem'),
		otherCaClientKey: read('other-client.key'),
		otherCaClientPfxBase64: readFileSync(files.otherCaClientPfx).toString('base64'),
		expiredClientCert: read('expired-client.pem'),
		expiredClientKey: read('expired-client.key'),
		expiredClientPfxBase64: readFileSync(files.expiredClientPfx).toString('base64'),
		files,
	};
}
