/**
 * The FAST client's connections, used the way an execution uses them: a download is read from the
 * connection only as fast as its reader takes it (nothing held in between, whatever the file
 * size), connections are kept alive and reused by the many small requests that follow, and one
 * client serves requests in flight at once (bounded item concurrency) without mixing them up.
 */
import { createHash } from 'node:crypto';
import { getEventListeners } from 'node:events';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createConnection, createServer } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { INode } from 'n8n-workflow';

import { FastClient } from '../../nodes/FastParapheur/transport';
import type { FastCredentials } from '../../nodes/FastParapheur/transport/tls';
import type { FastEmulator } from '../emulators/fast';
import { getTestPki, startFastEmulator } from '../emulators/fast';
import { SAMPLE_SIREN } from '../emulators/fast/sample';

const MB = 1024 * 1024;

const node: INode = {
	id: 'fast',
	name: 'FAST Parapheur',
	type: 'n8n-nodes-parapheur.fastParapheur',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function credentials(host: string): FastCredentials {
	const pki = getTestPki();
	return {
		host,
		siren: SAMPLE_SIREN,
		certificateFormat: 'pkcs12',
		pfx: pki.clientPfxBase64,
		pfxPassword: pki.clientPfxPassword,
		caCertificates: pki.caCert,
	};
}

async function listen(server: https.Server | ReturnType<typeof createServer>): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

async function close(server: https.Server | ReturnType<typeof createServer>, sockets: Set<Socket>): Promise<void> {
	for (const socket of sockets) socket.destroy();
	await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('FAST download streaming', () => {
	/** Larger than every buffer on the way (stream high-water marks, socket buffers) put together. */
	const FILE_SIZE = 96 * MB;
	/** What may be read ahead of the reader: the kernel's socket buffers and a few stream chunks. */
	const READ_AHEAD_LIMIT = 24 * MB;

	let server: https.Server;
	const sockets = new Set<Socket>();
	let host: string;
	/** Bytes the server has produced for the current download (it produces only when the socket takes them). */
	let produced = 0;
	let connections = 0;

	beforeAll(async () => {
		const pki = getTestPki();
		server = https.createServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
			if (!/\/documents\/v2\/\d+\/download$/.test(req.url ?? '')) {
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
				return;
			}
			produced = 0;
			const block = Buffer.alloc(64 * 1024, 'n8n-parapheur ');
			res.writeHead(200, {
				'content-type': 'application/pdf',
				'content-length': String(FILE_SIZE),
				'content-disposition': 'attachment; filename="large.pdf"',
			});
			// Pull-based: a block is made only when the response has room for it.
			new Readable({
				read() {
					if (produced >= FILE_SIZE) {
						this.push(null);
						return;
					}
					const length = Math.min(block.length, FILE_SIZE - produced);
					produced += length;
					this.push(block.subarray(0, length));
				},
			}).pipe(res);
		});
		server.on('secureConnection', (socket: Socket) => {
			connections += 1;
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
		});
		host = `https://127.0.0.1:${await listen(server)}`;
	});

	afterAll(async () => {
		await close(server, sockets);
	});

	it('reads the file from the connection only as fast as it is consumed, then reuses the connection', async () => {
		const client = new FastClient(node, credentials(host));
		try {
			connections = 0;
			const download = await client.download({ method: 'GET', path: '/documents/v2/320073900/download' });
			expect(download).toMatchObject({ fileName: 'large.pdf', mimeType: 'application/pdf', size: FILE_SIZE });

			// Nobody reads: the transfer stops once the socket buffers are full.
			await new Promise((resolve) => setTimeout(resolve, 500));
			const producedWhilePaused = produced;
			expect(producedWhilePaused).toBeLessThan(READ_AHEAD_LIMIT);

			// A slow reader (n8n's disk writer): at every chunk, what was produced but not yet
			// read stays bounded, far below the file size.
			let received = 0;
			let furthestAhead = 0;
			const hash = createHash('sha256');
			await pipeline(
				download.stream,
				new Writable({
					highWaterMark: 64 * 1024,
					write(chunk: Buffer, _encoding, callback) {
						received += chunk.length;
						hash.update(chunk);
						furthestAhead = Math.max(furthestAhead, produced - received);
						// The first 8 MB are taken slowly, as by a busy disk.
						if (received < 8 * MB) setTimeout(callback, 1);
						else callback();
					},
				}),
			);
			expect(received).toBe(FILE_SIZE);
			expect(furthestAhead).toBeLessThan(READ_AHEAD_LIMIT);
			const expected = createHash('sha256');
			const block = Buffer.alloc(64 * 1024, 'n8n-parapheur ');
			for (let offset = 0; offset < FILE_SIZE; offset += block.length) expected.update(block);
			expect(hash.digest('hex')).toBe(expected.digest('hex'));

			// The connection went back to the pool: the next call uses it.
			await client.json({ method: 'GET', path: '/documents/v2/320073900/history' });
			expect(connections).toBe(1);
		} finally {
			client.close();
		}
	}, 120_000);

	it('stops a download mid-way when the execution is cancelled', async () => {
		const controller = new AbortController();
		const client = new FastClient(node, credentials(host), undefined, controller.signal);
		try {
			const download = await client.download({ method: 'GET', path: '/documents/v2/320073900/download' });
			let received = 0;
			const reading = pipeline(
				download.stream,
				new Writable({
					write(chunk: Buffer, _encoding, callback) {
						received += chunk.length;
						if (received >= 4 * MB && !controller.signal.aborted) controller.abort();
						setTimeout(callback, 1);
					},
				}),
			);
			await expect(reading).rejects.toThrow('The execution was cancelled');
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(produced).toBeLessThan(4 * MB + READ_AHEAD_LIMIT);
		} finally {
			client.close();
		}
	});

	it('closes the connection when the reader gives up, without reading the rest', async () => {
		const client = new FastClient(node, credentials(host));
		try {
			const download = await client.download({ method: 'GET', path: '/documents/v2/320073900/download' });
			const closed = new Promise<void>((resolve) => download.stream.once('close', () => resolve()));
			download.stream.destroy();
			await closed;
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(produced).toBeLessThan(READ_AHEAD_LIMIT);
			// A later call opens a new connection and works.
			expect(await client.json({ method: 'GET', path: '/documents/v2/320073900/history' })).toEqual({ ok: true });
		} finally {
			client.close();
		}
	});
});

describe('FAST client connections', () => {
	let emulator: FastEmulator;
	/** A TCP relay in front of the emulator that counts the connections opened through it. */
	let relay: ReturnType<typeof createServer>;
	const relayed = new Set<Socket>();
	let opened = 0;
	let host: string;

	beforeEach(async () => {
		emulator = await startFastEmulator();
		const target = new URL(emulator.url);
		opened = 0;
		relay = createServer((incoming) => {
			opened += 1;
			const outgoing = createConnection(Number(target.port), target.hostname);
			for (const socket of [incoming, outgoing]) {
				relayed.add(socket);
				socket.on('close', () => relayed.delete(socket));
				socket.on('error', () => undefined);
			}
			incoming.pipe(outgoing).pipe(incoming);
		});
		host = `https://127.0.0.1:${await listen(relay)}`;
	});

	afterEach(async () => {
		await close(relay, relayed);
		await emulator.close();
	});

	it('keeps one connection alive for many small requests in a row, leaving nothing on the execution signal', async () => {
		const signal = new AbortController().signal;
		const client = new FastClient(node, credentials(host), undefined, signal);
		try {
			for (let index = 0; index < 25; index++) {
				const history = await client.json({ method: 'GET', path: '/documents/v2/320073900/history' });
				expect(Array.isArray(history)).toBe(true);
				const download = await client.download({ method: 'GET', path: '/documents/v2/320073900/download' });
				for await (const chunk of download.stream) expect((chunk as Buffer).length).toBeGreaterThan(0);
			}
			expect(opened).toBe(1);
			expect(getEventListeners(signal, 'abort')).toHaveLength(0);
		} finally {
			client.close();
		}
	});

	it('serves requests in flight at once from one client, each with its own answer, and reuses their connections', async () => {
		const contents = [1, 2, 3, 4].map((n) => Buffer.from(`%PDF-1.4\n% document ${n}\n${'x'.repeat(n * 70_000)}\n%%EOF\n`));
		const ids = contents.map((content, index) =>
			emulator.seedDocument({ content, fileName: `document-${index + 1}.pdf`, contentType: 'application/pdf', states: ['Préparé', 'Signé'] }),
		);
		const client = new FastClient(node, credentials(host));
		const round = async () =>
			await Promise.all([
				...ids.map(async (id, index) => {
					const download = await client.download({ method: 'GET', path: `/documents/v2/${id}/download`, itemIndex: index });
					const chunks: Buffer[] = [];
					for await (const chunk of download.stream) chunks.push(chunk as Buffer);
					return { id, fileName: download.fileName, content: Buffer.concat(chunks) };
				}),
				...ids.map(async (id) => ({ id, history: await client.json({ method: 'GET', path: `/documents/v2/${id}/history` }) })),
			]);
		try {
			const first = await round();
			for (const [index, id] of ids.entries()) {
				const download = first.find((entry) => entry.id === id && 'content' in entry) as { fileName?: string; content: Buffer };
				expect(download.fileName).toBe(`document-${index + 1}.pdf`);
				expect(download.content.equals(contents[index])).toBe(true);
				const history = first.find((entry) => entry.id === id && 'history' in entry) as { history: Array<{ stateName: string }> };
				expect(history.history.map((entry) => entry.stateName)).toEqual(['Préparé', 'Signé']);
			}
			expect(opened).toBeGreaterThanOrEqual(1);
			// The same load again: served by the connections already open (at most one per request in flight).
			await round();
			expect(opened).toBeLessThanOrEqual(8);
		} finally {
			client.close();
		}
	});
});
