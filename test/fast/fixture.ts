import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import type { FastEmulator, FastEmulatorOptions } from '../emulators/fast';
import { startFastEmulator } from '../emulators/fast';
import { SAMPLE_SIREN } from '../emulators/fast/sample';
import type { NodeUnderTest, RunResult } from '../harness';
import { runNode, useFilesystemBinaryData } from '../harness';

export interface FastFixture {
	emulator: FastEmulator;
	/** The credential: PKCS#12 by default, with the test CA trusted. */
	credentials(overrides?: Partial<ICredentialDataDecryptedObject>): Record<string, ICredentialDataDecryptedObject>;
	run(
		parameters: INodeParameters,
		options?: { items?: IDataObject[]; node?: Partial<NodeUnderTest>; credentials?: Partial<ICredentialDataDecryptedObject>; cancelAfterMs?: number },
	): Promise<RunResult>;
}

export function fastCredentialData(emulator: FastEmulator, overrides: Partial<ICredentialDataDecryptedObject> = {}): ICredentialDataDecryptedObject {
	return {
		host: emulator.url,
		siren: SAMPLE_SIREN,
		accountEmail: '',
		certificateFormat: 'pkcs12',
		pfx: emulator.pki.clientPfxBase64,
		pfxPassword: emulator.pki.clientPfxPassword,
		certificate: '',
		privateKey: '',
		privateKeyPassphrase: '',
		caCertificates: emulator.pki.caCert,
		ignoreTlsErrors: false,
		...overrides,
	} as ICredentialDataDecryptedObject;
}

/**
 * A fresh FAST emulator per test (HTTPS with the client-certificate check), binary data stored on
 * disk as n8n 2.x does, and a runner bound to it.
 */
export function useFast(options: FastEmulatorOptions = {}): FastFixture {
	const fixture = {} as FastFixture;
	beforeAll(async () => {
		await useFilesystemBinaryData();
	});
	beforeEach(async () => {
		fixture.emulator = await startFastEmulator(options);
	});
	afterEach(async () => {
		await fixture.emulator.close();
	});
	fixture.credentials = (overrides = {}) => ({ fastParapheurApi: fastCredentialData(fixture.emulator, overrides) });
	fixture.run = async (parameters, runOptions = {}) =>
		await runNode({
			node: { type: 'fastParapheur', parameters, ...runOptions.node },
			credentials: fixture.credentials(runOptions.credentials),
			items: runOptions.items,
			cancelAfterMs: runOptions.cancelAfterMs,
		});
	return fixture;
}

/** A small PDF as a test item's binary field. */
export function pdfItem(fileName = 'Délibération 2026-042.pdf', extra: IDataObject = {}): IDataObject {
	const content = Buffer.from(`%PDF-1.4\n% ${fileName}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
	return { ...extra, $binary: { data: { base64: content.toString('base64'), fileName, mimeType: 'application/pdf' }, ...((extra.$binary as IDataObject) ?? {}) } };
}

export function fileBinary(fileName: string, text: string, mimeType = 'application/pdf'): IDataObject {
	return { base64: Buffer.from(text).toString('base64'), fileName, mimeType };
}

export const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
