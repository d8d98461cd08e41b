/**
 * Runs the FAST Parapheur emulator in its own process, seeded with FAST_SAMPLE:
 *
 *   ts-node --transpile-only test/emulators/fast/cli.ts [--port N] [--latency MS]
 *       [--auto-advance MS] [--seed-large BYTES] [--errors-with-http-status] [--client-cert-check http]
 *       [--hash-large-uploads] [--follow-api-page] [--stdin-control]
 *
 * When it listens it prints one JSON line on stdout:
 *   {"url":"https://127.0.0.1:<port>","apiUrl":".../parapheur-ws/rest/v1","pkiDir":"/tmp/...",
 *    "siren":"213501232","largeDocumentId":"3200739xx"}   (largeDocumentId only with --seed-large)
 * pkiDir holds ca.pem, client.pem, client.key, client.enc.key, client.p12, other-client.p12, ...
 * (see pki.ts; passwords: pki.ts). It stays up until SIGTERM or SIGINT, then closes and exits 0.
 *
 * --follow-api-page: strict, as FAST's API page says (followApiPage): file part `doc` on every
 *   upload, `circuit_id` required on demand, any part the page does not name refused with 902.
 * --hash-large-uploads: uploads over 16 MB are only hashed, not stored (keepLargeUploads: false);
 *   they download as synthetic bytes.
 * --stdin-control: reads one JSON request a line on stdin and answers with one JSON line on stdout:
 *   {"op":"document","id":"320073904"} -> {"op":"document","id":"...","document":{"id","fileName",
 *       "contentType","size","sha256"} | null}   (sha256 absent for synthetic content)
 *   {"op":"seed","size":1048576}        -> {"op":"seed","size":1048576,"id":"..."}  a synthetic
 *       document (streamed on download), in the signed state, like --seed-large.
 *   {"op":"seedMany","count":1000}      -> {"op":"seedMany","count":1000,"ids":["...",...]}  small
 *       documents in the signature circuit, in the states Préparé then Envoyé pour signature (at
 *       most 100,000; "states" may give others), for watching with the trigger.
 *   {"op":"requests"}                   -> {"op":"requests","count":N,"first":<epoch ms>|null,
 *       "last":<epoch ms>|null}  the requests received since the start or the last clearLog
 *       (first and last: when the first and the last of them were received).
 *   {"op":"clearLog"}                   -> {"op":"clearLog","cleared":N}
 *   Anything else -> {"error":"..."}. The end of stdin stops nothing.
 */
import type { FastEmulator } from '.';
import { startFastEmulator } from '.';
import { SAMPLE_CIRCUITS, SAMPLE_SIREN } from './sample';
import type { ControlRequest } from '../shared/cli';
import { numberOption, runEmulatorCli } from '../shared/cli';


function seedSynthetic(emulator: FastEmulator, size: number): string {
	return emulator.seedDocument({
		siren: SAMPLE_SIREN,
		circuitId: SAMPLE_CIRCUITS.signature,
		label: 'Gros documents',
		fileName: `large-${size}.pdf`,
		contentType: 'application/pdf',
		size,
		states: ['Préparé', 'Envoyé pour signature', 'Signé'],
	});
}

/** The FAST emulator's own control requests (see ../shared/cli for the shared ones). */
function control(emulator: FastEmulator, request: ControlRequest): Record<string, unknown> | undefined {
	if (request.op === 'document') {
		const id = String(request.id ?? '');
		const document = emulator.documents.get(id);
		return {
			op: 'document',
			id,
			document: document
				? {
						id: document.id,
						fileName: document.fileName,
						contentType: document.contentType,
						size: document.size,
						sha256: document.sha256,
					}
				: null,
		};
	}
	if (request.op === 'seedMany') {
		const { count, states } = request as { count?: unknown; states?: unknown };
		if (!Number.isSafeInteger(count) || (count as number) < 1 || (count as number) > 100_000) return { error: 'seedMany needs a count from 1 to 100000' };
		if (states !== undefined && (!Array.isArray(states) || states.length === 0 || states.some((state) => typeof state !== 'string'))) {
			return { error: 'seedMany: states must be a non-empty list of state names' };
		}
		const ids: string[] = [];
		for (let index = 0; index < (count as number); index++) {
			ids.push(
				emulator.seedDocument({
					siren: SAMPLE_SIREN,
					circuitId: SAMPLE_CIRCUITS.signature,
					label: 'Documents suivis',
					states: (states as string[] | undefined) ?? ['Préparé', 'Envoyé pour signature'],
				}),
			);
		}
		return { op: 'seedMany', count, ids };
	}
	if (request.op === 'seed') {
		const size = Number(request.size);
		if (!Number.isSafeInteger(size) || size < 0) return { error: 'seed needs a non-negative integer size' };
		return { op: 'seed', size, id: seedSynthetic(emulator, size) };
	}
	return undefined;
}

runEmulatorCli(async (options) => {
	const clientCertCheck = options['client-cert-check'] === 'http' ? 'http' : 'tls';
	const emulator = await startFastEmulator({
		port: numberOption(options, 'port'),
		delayAllMs: numberOption(options, 'latency'),
		autoAdvanceMs: numberOption(options, 'auto-advance'),
		errorsWithHttpStatus: options['errors-with-http-status'] === 'true',
		followApiPage: options['follow-api-page'] === 'true',
		clientCertCheck,
		keepLargeUploads: options['hash-large-uploads'] !== 'true',
	});
	const ready: Record<string, string> = {
		url: emulator.url,
		apiUrl: emulator.apiUrl,
		pkiDir: emulator.pki.dir,
		siren: SAMPLE_SIREN,
	};
	const largeSize = numberOption(options, 'seed-large');
	if (largeSize !== undefined) ready.largeDocumentId = seedSynthetic(emulator, largeSize);
	return { server: emulator.server, ready, control: (request) => control(emulator, request), close: async () => await emulator.close() };
});
