/**
 * FAST's quirks and failures: errors inside HTTP 200 answers, a "file" that is an error JSON,
 * errors with HTTP statuses, retries of reads (never of uploads), malformed answers, and files
 * fetched from a URL through n8n's HTTP helper.
 */
import { createHash } from 'node:crypto';

import { binaryContent } from '../harness';
import { EmulatorServer } from '../emulators/shared/server';
import { SAMPLE_CIRCUITS, SAMPLE_DOCUMENTS } from '../emulators/fast/sample';
import { byId, pdfItem, useFast } from './fixture';

const fast = useFast();

const status = { resource: 'document', operation: 'getStatus', documentId: SAMPLE_DOCUMENTS.signed };

describe('FAST errors whatever the HTTP status', () => {
	it('an error JSON in a 200 answer fails the item with its meaning', async () => {
		fast.emulator.errorIn200(100, 'Unauthorized', "Vous n'êtes pas autorisé");
		const run = await fast.run(status);
		expect(run.error?.message).toBe("The certificate's account is not allowed to work in this SIREN, or FAST Parapheur does not know the certificate's account at all (code 100). Check the SIREN, then ask Docaposte for access.");
		expect(run.error?.description).toMatch(/FAST said: Vous n'êtes pas autorisé — Unauthorized/);
	});

	it("httpCode is the HTTP status, never FAST's own code (which the message and `code` keep)", async () => {
		const httpCode = (run: { error?: Error }) => (run.error as { httpCode?: string | null } | undefined)?.httpCode;
		fast.emulator.errorIn200(903, 'Bad request: something odd');
		const in200 = await fast.run(status);
		expect(in200.error?.message).toMatch(/\(code 903\): Bad request: something odd$/);
		expect(httpCode(in200)).toBe('200');
		fast.emulator.injectFault({ status: 400, body: { generation: 1, developerMessage: 'Bad request: odd', errorCode: 903 } });
		const in400 = await fast.run(status);
		expect(httpCode(in400)).toBe('400');
		// A refused deletion is read from FAST's answer (HTTP 200 here) and thrown by the operation.
		const refused = await fast.run({ resource: 'document', operation: 'delete', documentId: SAMPLE_DOCUMENTS.signed });
		expect(refused.error?.message).toMatch(/^FAST Parapheur refused to delete document \d+: its state is "Classé" \(code 103\)\./);
		expect(httpCode(refused)).toBe('200');
	});

	it("an upload refusal carries FAST's whole reason and a hint in the message, which is all an AI agent gets", async () => {
		const refused = await fast.run({ resource: 'document', operation: 'upload', circuitId: byId(SAMPLE_CIRCUITS.helios) }, { items: [pdfItem('Budget.pdf')] });
		expect(refused.error?.message).toBe(
			`FAST Parapheur could not store the document in circuit ${SAMPLE_CIRCUITS.helios} (code 120): format not accepted by circuit "${SAMPLE_CIRCUITS.helios}": .pdf. Check the circuit ID and that the circuit accepts this file type (PDF, XML...).`,
		);
		// A server that follows the page to the letter: the reason's colon is no end of it.
		fast.emulator.errorIn200(902, "Unknown parameter 'content' (expected: doc, label, comment, emailDestinataire)");
		const strict = await fast.run({ resource: 'document', operation: 'upload', circuitId: byId(SAMPLE_CIRCUITS.signature) }, { items: [pdfItem()] });
		// ...and a part name it does not take points at the credential's other Upload Form.
		expect(strict.error?.message).toMatch(
			/\(code 902\): Unknown parameter 'content' \(expected: doc, label, comment, emailDestinataire\)\. This server follows FAST's API page: set the credential's Upload Form to 'As the API Page Says \(doc\)'\.$/,
		);
	});

	it('a download that answers an error JSON is an error, not a file, even as application/octet-stream', async () => {
		fast.emulator.injectFault({
			status: 200,
			headers: { 'content-type': 'application/octet-stream' },
			body: Buffer.from(JSON.stringify({ generation: 1, developerMessage: 'Internal error: Invalid docId', userFriendlyMessage: 'Document inconnu', errorCode: 101 })),
		});
		const run = await fast.run({ resource: 'document', operation: 'download', documentId: '320079999' });
		expect(run.error?.message).toBe('FAST Parapheur document 320079999 does not exist (code 101). Check the Document ID (the number returned by the upload); it may have been deleted.');
		expect(run.items).toHaveLength(0);
	});

	it('the same errors with HTTP statuses give the same messages', async () => {
		fast.emulator.errorsWithHttpStatus = true;
		const run = await fast.run({ resource: 'document', operation: 'getHistory', documentId: '320079999' });
		expect(run.error?.message).toBe('FAST Parapheur document 320079999 does not exist (code 101). Check the Document ID (the number returned by the upload); it may have been deleted.');
		expect((run.error as { httpCode?: string } | undefined)?.httpCode).toBe('404');
		const upload = await fast.run(
			{ resource: 'document', operation: 'upload', circuitId: byId('Circuit inconnu') },
			{ items: [pdfItem()] },
		);
		expect(upload.error?.message).toBe(
			'FAST Parapheur could not store the document in circuit Circuit inconnu (code 120): unknown circuit "Circuit inconnu". Check the circuit ID and that the circuit accepts this file type (PDF, XML...).',
		);
	});

	it('a 404 HTML page says the host is not a FAST API', async () => {
		const run = await fast.run(status, { credentials: { host: `${fast.emulator.url}/autre-chose` } });
		expect(run.error?.message).toMatch(/^FAST Parapheur has no such resource \(HTTP 404\)/);
		expect(run.error?.description).toMatch(/check the 'Host or URL' in the credential/);
	});

	it('a malformed JSON answer is reported as such', async () => {
		fast.emulator.injectFault({ malformed: true });
		const run = await fast.run({ resource: 'user', operation: 'export' });
		expect(run.error?.message).toBe('FAST Parapheur sent an answer that is not valid JSON');
	});
});

describe('retries', () => {
	it('retries a read on 503 with Retry-After, then succeeds', async () => {
		fast.emulator.injectFault({ status: 503, headers: { 'retry-after': '0' }, body: 'maintenance' }, 2);
		const run = await fast.run(status);
		expect(run.error).toBeUndefined();
		expect(fast.emulator.server.requests('GET', /history$/)).toHaveLength(3);
	});

	it('stops waiting to retry when the execution is cancelled: nothing is sent again', async () => {
		fast.emulator.injectFault({ status: 503, headers: { 'retry-after': '2' }, body: 'maintenance' });
		const started = Date.now();
		// Cancelled during the 2-second wait (late enough for the first request on a loaded machine).
		await fast.run(status, { cancelAfterMs: 800 });
		expect(Date.now() - started).toBeLessThan(1800);
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect(fast.emulator.server.requests('GET', /history$/)).toHaveLength(1);
	});

	it('with Continue On Fail, a cancel mid-way stops the item loop: the next uploads are not sent', async () => {
		fast.emulator.injectFault({ delayMs: 1500, status: 503, body: 'busy' }, 1, { method: 'POST' });
		await fast.run(
			{ resource: 'document', operation: 'upload', circuitId: byId(SAMPLE_CIRCUITS.signature) },
			{ items: [pdfItem('un.pdf'), pdfItem('deux.pdf'), pdfItem('trois.pdf')], node: { onError: 'continueRegularOutput' }, cancelAfterMs: 300 },
		);
		// Past the slow answer: an item loop that went on would have sent the second upload by now.
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect(fast.emulator.server.requests('POST')).toHaveLength(1);
	});

	it('retries a read after a dropped connection', async () => {
		fast.emulator.injectFault({ drop: true });
		const run = await fast.run(status);
		expect(run.error).toBeUndefined();
		expect(fast.emulator.server.requests('GET', /history$/)).toHaveLength(2);
	});

	it('never retries an upload, and says to check before sending again', async () => {
		fast.emulator.injectFault({ status: 503, body: 'busy' }, 3);
		const run = await fast.run({ resource: 'document', operation: 'upload', circuitId: byId(SAMPLE_CIRCUITS.signature) }, { items: [pdfItem()] });
		expect(run.error?.message).toMatch(/^FAST Parapheur is temporarily unavailable \(HTTP 503\)/);
		expect(run.error?.description).toMatch(/not retried automatically: check whether it was applied/);
		expect(fast.emulator.server.requests('POST')).toHaveLength(1);
	});

	it('gives up after Max Retries and says so', async () => {
		fast.emulator.injectFault({ status: 502, headers: { 'retry-after': '0' } }, 5);
		const run = await fast.run({ ...status, requestOptions: { maxRetries: 1 } });
		expect(run.error?.message).toMatch(/temporarily unavailable \(HTTP 502\)/);
		expect(run.error?.description).toMatch(/Tried 2 times without success/);
	});

	it('times out with the configured timeout', async () => {
		fast.emulator.injectFault({ delayMs: 3000, status: 200, body: [] });
		const run = await fast.run({ ...status, requestOptions: { timeout: 1, maxRetries: 0 } });
		expect(run.error?.message).toBe('FAST Parapheur did not answer within 1 second');
	});
});

describe('upload from a URL', () => {
	const files = new EmulatorServer();
	const content = Buffer.from('%PDF-1.4 from the intranet');
	beforeAll(async () => {
		files
			.route('GET', '/docs/deliberation.pdf', () => ({ status: 200, body: content, headers: { 'content-type': 'application/pdf' } }))
			.route('GET', '/old/link', () => ({ status: 302, headers: { location: '/docs/deliberation.pdf' } }))
			.route('GET', '/loop', () => ({ status: 302, headers: { location: '/loop' } }))
			.route('GET', '/missing', () => ({ status: 404, body: 'no' }));
		await files.start();
	});
	afterAll(async () => {
		await files.close();
	});
	const upload = (fileUrl: string) =>
		fast.run({ resource: 'document', operation: 'upload', circuitId: byId(SAMPLE_CIRCUITS.signature), inputDataSource: 'url', fileUrl });

	it('follows a redirect and uploads the file with its name and type', async () => {
		const run = await upload(`${files.baseUrl}/old/link`);
		expect(run.error).toBeUndefined();
		const document = fast.emulator.documents.get(String(run.items[0].json.documentId))!;
		expect(document.fileName).toBe('deliberation.pdf');
		expect(document.contentType).toBe('application/pdf');
		expect(document.sha256).toBe(createHash('sha256').update(content).digest('hex'));
	});

	it('stops after 5 redirects, and reports HTTP errors', async () => {
		expect((await upload(`${files.baseUrl}/loop`)).error?.message).toMatch(/redirects more than 5 times/);
		expect((await upload(`${files.baseUrl}/missing`)).error?.message).toMatch(/Could not download the file at .*\/missing: HTTP 404/);
		expect(fast.emulator.server.log).toHaveLength(0);
	});

	it('never shows the query of a file URL (a pre-signed URL carries its signature there)', async () => {
		const run = await upload(`${files.baseUrl}/missing?X-Amz-Signature=5ecret5ignature`);
		expect(run.error?.message).toBe(`Could not download the file at ${files.baseUrl}/missing: HTTP 404`);
		expect(`${run.error?.message} ${run.error?.description}`).not.toContain('5ecret5ignature');
	});
});

describe('downloads that look like JSON', () => {
	it('a JSON document (not an error) is a file', async () => {
		const id = fast.emulator.seedDocument({ circuitId: SAMPLE_CIRCUITS.signature, fileName: 'export.json', contentType: 'application/json', content: JSON.stringify({ rows: [1, 2, 3] }) });
		const run = await fast.run({ resource: 'document', operation: 'download', documentId: id });
		expect(run.error).toBeUndefined();
		expect(run.items[0].binary!.data).toMatchObject({ fileName: 'export.json', mimeType: 'application/json' });
	});

	it('a JSON file that mentions an error field but is not an error keeps its exact bytes (ISO-8859-1 here)', async () => {
		const content = Buffer.from('{"rows":[{"developerMessage":"aucun"}],"service":"Trésorerie de Saint-Étienne"}', 'latin1');
		const id = fast.emulator.seedDocument({ circuitId: SAMPLE_CIRCUITS.signature, fileName: 'journal.json', contentType: 'application/json', content });
		const run = await fast.run({ resource: 'document', operation: 'download', documentId: id });
		expect(run.error).toBeUndefined();
		expect((await binaryContent(run.items[0].binary!.data)).equals(content)).toBe(true);
	});
});
