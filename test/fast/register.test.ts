/**
 * The register of documents in circuits: uploads with "Add to Register" write rows into an n8n
 * Data Table (through the emulated public API of n8n 2.x), and the trigger's "Registered Document
 * State Changed" event watches them: each entry once, FAST's 30 minutes kept by the register's
 * lastReadAt whatever n8n keeps of the trigger's own state, the register's state columns written
 * from what was delivered.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { N8nApiEmulator } from '../emulators/n8n';
import { startN8nApiEmulator } from '../emulators/n8n';
import { SAMPLE_CIRCUITS, SAMPLE_SIREN } from '../emulators/fast/sample';
import { everyText, runNode, runPoll } from '../harness';
import { settleWithConcurrency } from '../../nodes/shared/pool';
import { fastCredentialData, pdfItem, useFast } from './fixture';

const fast = useFast({ now: () => Date.now() });
let n8n: N8nApiEmulator;

beforeEach(async () => {
	n8n = await startN8nApiEmulator();
});
afterEach(async () => {
	await n8n.close();
});

const REGISTER = 'FAST Parapheur documents';
const MINUTE = 60_000;
const START = Math.floor(Date.now() / 3_600_000) * 3_600_000;

function credentials(register: Partial<ICredentialDataDecryptedObject> = {}): Record<string, ICredentialDataDecryptedObject> {
	return {
		fastParapheurApi: fastCredentialData(fast.emulator),
		parapheurRegisterApi: { apiKey: n8n.apiKey, url: n8n.apiUrl, ...register } as ICredentialDataDecryptedObject,
	};
}

const uploadParameters = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'document',
	operation: 'upload',
	circuitId: { __rl: true, mode: 'id', value: SAMPLE_CIRCUITS.signature },
	label: 'Conseil municipal',
	addToRegister: true,
	registerReference: '={{ $json.reference }}',
	...extra,
});

async function upload(items: IDataObject[], extra: INodeParameters = {}, register: Partial<ICredentialDataDecryptedObject> = {}) {
	return await runNode({ node: { type: 'fastParapheur', typeVersion: 2, parameters: uploadParameters(extra) }, credentials: credentials(register), items });
}

const uploads = () => fast.emulator.server.requests('POST', /\/upload$/).length;

describe('Add to Register (uploads)', () => {
	it('creates the register with its columns and adds one row per uploaded document, with the reference and the workflow', async () => {
		const result = await upload([pdfItem('Délibération 42.pdf', { reference: 'DELIB-42' }), pdfItem('Arrêté 7.pdf', { reference: 'ARR-7' })]);
		expect(result.error).toBeUndefined();
		const table = n8n.table(REGISTER)!;
		expect(table.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
			'documentId:string',
			'siren:string',
			'reference:string',
			'fileName:string',
			'circuit:string',
			'workflow:string',
			'uploadedAt:date',
			'state:string',
			'stateName:string',
			'outcome:string',
			'lastChangeAt:date',
			'isFinal:boolean',
			'entries:number',
			'lastReadAt:date',
			'link:string',
		]);
		const rows = n8n.rows(REGISTER);
		expect(rows.map((row) => [row.documentId, row.reference, row.fileName, row.siren, row.circuit, row.isFinal, row.entries, row.state])).toEqual(
			result.items.map((item, index) => [item.json.documentId, ['DELIB-42', 'ARR-7'][index], ['Délibération 42.pdf', 'Arrêté 7.pdf'][index], SAMPLE_SIREN, SAMPLE_CIRCUITS.signature, false, 0, 'prepared']),
		);
		expect(rows[0].workflow).toContain('test-workflow');
		expect(Date.parse(String(rows[0].uploadedAt))).toBeGreaterThan(Date.now() - 60_000);
		expect(result.items[0].json.register).toEqual({ name: REGISTER, rowId: rows[0].id, reference: 'DELIB-42' });
		// One lookup and one creation for the execution, then one write per document.
		expect(n8n.server.requests('GET', '/api/v1/data-tables')).toHaveLength(1);
		expect(n8n.server.requests('POST', '/api/v1/data-tables')).toHaveLength(1);
		expect(n8n.server.requests('POST', /\/rows\/upsert$/)).toHaveLength(2);
	});

	it('sends nothing to FAST when the register cannot be opened: refused key, missing scope, n8n 1.x', async () => {
		const refused = await upload([pdfItem()], {}, { apiKey: 'wrong-key' });
		expect(refused.error?.message).toMatch(/n8n refused the API key of the Parapheur Register API credential/);
		expect(everyText(refused)).not.toContain(n8n.apiKey);

		n8n.scopes.delete('dataTable:create');
		const scope = await upload([pdfItem()]);
		expect(scope.error?.message).toMatch(/may not create the Data Table 'FAST Parapheur documents'/);
		expect(scope.error?.description).toMatch(/dataTable:create/);

		n8n.apiMissing = true;
		const missing = await upload([pdfItem()]);
		expect(missing.error?.message).toMatch(/This n8n has no Data Table API/);
		expect(missing.error?.description).toMatch(/needs n8n 2\.x/);
		expect(uploads()).toBe(0);
	});

	it('names the uploaded document when its row cannot be written, so that it is not uploaded again', async () => {
		await upload([pdfItem('first.pdf', { reference: 'A' })]);
		n8n.server.injectFault({ status: 500, body: { message: 'database is locked' } }, 100, { path: /\/rows\/upsert$/ });
		const result = await upload([pdfItem('second.pdf', { reference: 'B' })], { requestOptions: { maxRetries: 1 } });
		const id = fast.emulator.server.requests('POST', /\/upload$/).length === 2 ? [...fast.emulator.documents.keys()].pop() : undefined;
		expect(result.error?.message).toMatch(new RegExp(`FAST Parapheur document ${id} was uploaded, but could not be added to the register`));
		expect(result.error?.description).toMatch(/Do not upload it again/);
	});

	it("follows the node's Timeout and Max Retries: a register that does not answer fails the item, nothing uploaded", async () => {
		let release: () => void = () => undefined;
		const held = new Promise<void>((resolve) => (release = resolve));
		n8n.server.hold = (method, path) => (method === 'GET' && path.endsWith('/data-tables') ? held : undefined);
		try {
			const started = Date.now();
			const result = await upload([pdfItem()], { requestOptions: { timeout: 1, maxRetries: 0 } });
			expect(result.error?.message).toBe('n8n did not answer within 1 second');
			expect(result.error?.description).toMatch(/through n8n's own API .*'Timeout \(Seconds\)' in its Request Options/);
			expect(Date.now() - started).toBeLessThan(10_000);
			expect(uploads()).toBe(0);
		} finally {
			release();
			n8n.server.hold = undefined;
		}
		// Busy (503) twice with Max Retries 1: two tries of the row's write, then the item fails naming the document.
		n8n.server.injectFault({ status: 503, body: { message: 'busy' } }, 2, { path: /\/rows\/upsert$/ });
		const busy = await upload([pdfItem('second.pdf', { reference: 'B' })], { requestOptions: { maxRetries: 1 } });
		expect(busy.error?.message).toMatch(/was uploaded, but could not be added to the register/);
		expect(n8n.server.requests('POST', /\/rows\/upsert$/)).toHaveLength(2);
	});

	it('finds an existing register of exactly that name and adds the columns it lacks', async () => {
		await upload([pdfItem()], { registerName: 'Registre' });
		expect(n8n.rows('Registre')).toHaveLength(1);
		const other = await upload([pdfItem('b.pdf')], { registerName: 'Registre 2026' });
		expect(other.error).toBeUndefined();
		expect(n8n.rows('Registre')).toHaveLength(1);
		expect(n8n.rows('Registre 2026')).toHaveLength(1);

		const table = n8n.table('Registre')!;
		table.columns = table.columns.filter((column) => column.name !== 'lastReadAt');
		await upload([pdfItem('c.pdf')], { registerName: 'Registre' });
		expect(n8n.table('Registre')!.columns.map((column) => column.name)).toContain('lastReadAt');
		expect(n8n.rows('Registre')).toHaveLength(2);
	});
});

describe('Registered Document State Changed (trigger)', () => {
	beforeEach(() => {
		jest.useFakeTimers({
			doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance'],
		});
		jest.setSystemTime(START);
	});
	afterEach(() => {
		jest.useRealTimers();
	});

	/** Polls like n8n does; `lose()` drops the static data, as n8n does for a poll that emitted nothing under its durable scheduler without durable cursors. */
	function trigger(options: INodeParameters = {}) {
		let staticData: IDataObject = {};
		const parameters: INodeParameters = { event: 'registeredDocumentStateChanged', registerName: REGISTER, options };
		const poll = async (minutes: number, mode: 'trigger' | 'manual' = 'trigger'): Promise<INodeExecutionData[]> => {
			jest.setSystemTime(START + minutes * MINUTE);
			const result = await runPoll({ type: 'fastParapheurTrigger', typeVersion: 2, parameters, credentials: credentials(), staticData, mode });
			staticData = result.staticData;
			return result.items ?? [];
		};
		return { poll, staticData: () => staticData, lose: () => (staticData = {}) };
	}

	const states = (items: INodeExecutionData[]) => items.map((item) => `${String(item.json.register && (item.json.register as IDataObject).reference)}:${String(item.json.stateName)}`);
	const reads = (id: string) => fast.emulator.server.requests('GET', `/parapheur-ws/rest/v1/documents/v2/${id}/history`).length;
	const row = (id: string) => n8n.rows(REGISTER).find((candidate) => candidate.documentId === id)!;

	async function uploadThree(): Promise<string[]> {
		const first = await upload([pdfItem('a.pdf', { reference: 'A' }), pdfItem('b.pdf', { reference: 'B' })]);
		const second = await upload([pdfItem('c.pdf', { reference: 'C' })], { label: 'Autre workflow' });
		return [...first.items, ...second.items].map((item) => String(item.json.documentId));
	}

	it('emits each change of every registered document once, shows it in the register, and stops at the final state', async () => {
		const [a, b, c] = await uploadThree();
		const { poll, staticData } = trigger();
		const first = await poll(0);
		expect(states(first)).toEqual(['A:Préparé', 'B:Préparé', 'C:Préparé']);
		expect(first[0].json).toMatchObject({ event: 'stateChanged', documentId: a, position: 1, isFinal: false });
		expect(first[0].json.register).toMatchObject({ name: REGISTER, reference: 'A', fileName: 'a.pdf', circuit: SAMPLE_CIRCUITS.signature });
		expect(row(a).lastReadAt).toBe(new Date(START).toISOString());
		// The state columns wait for the next poll: the register never says more than was delivered.
		expect(row(a).entries).toBe(0);

		fast.emulator.advance(a, 'Envoyé pour signature');
		fast.emulator.advance(a, 'Signé', 'Marie Dupont');
		fast.emulator.advance(b, 'Refusé', 'Jean Martin');
		fast.emulator.setRefusalMessage(b, 'Le montant ne correspond pas à la délibération');
		fast.emulator.advance(c, 'Envoyé pour signature');
		// Within 30 minutes: the register is brought up to date, nothing is read.
		expect(await poll(10)).toEqual([]);
		expect([a, b, c].map(reads)).toEqual([1, 1, 1]);
		expect(row(a)).toMatchObject({ entries: 1, state: 'prepared', stateName: 'Préparé', isFinal: false, outcome: 'inProgress' });

		const second = await poll(30);
		expect(states(second)).toEqual(['A:Envoyé pour signature', 'A:Signé', 'B:Refusé', 'C:Envoyé pour signature']);
		const refusal = second.find((item) => item.json.stateName === 'Refusé')!;
		expect(refusal.json).toMatchObject({ isFinal: true, outcome: 'rejected' });
		expect(refusal.json.refusalMessage).toBe('Le montant ne correspond pas à la délibération');

		// The signature checker rejects A's signature: delivered although Signé came first.
		fast.emulator.advance(a, 'signature rejetée');
		expect(await poll(31)).toEqual([]);
		expect(row(b)).toMatchObject({ state: 'refused', isFinal: true, outcome: 'rejected', entries: 2 });
		expect(row(a)).toMatchObject({ state: 'signed', stateName: 'Signé', isFinal: false, outcome: 'success', entries: 3 });
		const third = await poll(60);
		expect(states(third)).toEqual(['A:signature rejetée']);
		expect(third[0].json).toMatchObject({ isFinal: true, outcome: 'rejected' });

		await poll(61);
		expect(row(a)).toMatchObject({ state: 'signatureRejected', isFinal: true, outcome: 'rejected', entries: 4 });
		// Final rows leave the watch list, and their cursors the static data.
		await poll(62);
		expect(Object.keys((staticData().documents ?? {}) as IDataObject)).toEqual([c]);
		const before = [a, b].map(reads);
		expect(await poll(200)).toEqual([]);
		expect([a, b].map(reads)).toEqual(before);
	});

	it("keeps FAST's 30 minutes and delivers nothing twice when n8n keeps nothing of a poll", async () => {
		const [a] = await uploadThree();
		const { poll, lose } = trigger();
		expect(await poll(0)).toHaveLength(3);
		await poll(1);
		// n8n 2.x's durable scheduler without durable cursors: a poll that emitted nothing saved nothing,
		// and a renamed node starts with empty static data: the register's lastReadAt and entries hold.
		lose();
		expect(await poll(2)).toEqual([]);
		expect(reads(a)).toBe(1);
		lose();
		fast.emulator.advance(a, 'Envoyé pour signature');
		expect(states(await poll(31))).toEqual(['A:Envoyé pour signature']);
		expect(reads(a)).toBe(2);
	});

	it('reports a document deleted in FAST once, and the register shows it deleted', async () => {
		const [a] = await uploadThree();
		const { poll } = trigger({ minIntervalMinutes: 0 });
		await poll(0);
		fast.emulator.documents.delete(a);
		const items = await poll(1);
		expect(items.map((item) => [item.json.documentId, item.json.event])).toEqual([[a, 'deleted']]);
		await poll(2);
		expect(row(a)).toMatchObject({ state: 'deleted', isFinal: true });
		expect(await poll(3)).toEqual([]);
	});

	it('fetch test event shows the current states without writing anything; an empty register says what to do', async () => {
		const { poll } = trigger();
		await expect(poll(0, 'manual')).rejects.toThrow(/has no document of SIREN \d{9} in a circuit/);
		await uploadThree();
		const items = await poll(0, 'manual');
		expect(states(items)).toEqual(['A:Préparé', 'B:Préparé', 'C:Préparé']);
		expect(n8n.rows(REGISTER).every((entry) => entry.lastReadAt === null)).toBe(true);
	});

	it('watches a row added by hand (isFinal left empty), and fails the poll when the key may not write', async () => {
		const [a] = await uploadThree();
		const table = n8n.table(REGISTER)!;
		for (const entry of table.rows) entry.isFinal = null;
		const { poll } = trigger({ minIntervalMinutes: 0 });
		expect(await poll(0)).toHaveLength(3);
		n8n.scopes.delete('dataTableRow:update');
		fast.emulator.advance(a, 'Envoyé pour signature');
		await expect(poll(1)).rejects.toThrow(/may not update the Data Table 'FAST Parapheur documents'/);
		n8n.scopes.add('dataTableRow:update');
		expect(states(await poll(2))).toEqual(['A:Envoyé pour signature']);
	});

	it('a table without one of the columns needs the dataTableColumn:create scope, and says so', async () => {
		await uploadThree();
		const table = n8n.table(REGISTER)!;
		table.columns = table.columns.filter((column) => column.name !== 'link');
		n8n.scopes.delete('dataTableColumn:create');
		const { poll } = trigger();
		await expect(poll(0)).rejects.toThrow(/may not add the column 'link' to the Data Table/);
	});

	it("says once that a document left Signé for 7 days is settled, and the register shows it final", async () => {
		const [a] = await uploadThree();
		const { poll } = trigger();
		await poll(0);
		fast.emulator.advance(a, 'Signé');
		expect(states(await poll(30))).toEqual(['A:Signé']);
		await poll(31);
		expect(row(a)).toMatchObject({ state: 'signed', isFinal: false, outcome: 'success' });
		const settled = await poll(30 + 7 * 24 * 60);
		expect(settled.filter((item) => item.json.documentId === a).map((item) => item.json)).toEqual([
			expect.objectContaining({ event: 'settled', stateName: 'Signé', state: 'signed', isFinal: true, outcome: 'success', register: expect.objectContaining({ reference: 'A' }) }),
		]);
		await poll(31 + 7 * 24 * 60);
		expect(row(a)).toMatchObject({ state: 'signed', isFinal: true, outcome: 'success' });
	});

	it('watches only the SIREN of the trigger', async () => {
		await uploadThree();
		const table = n8n.table(REGISTER)!;
		table.rows[2].siren = '356000000';
		const { poll } = trigger();
		expect(states(await poll(0))).toEqual(['A:Préparé', 'B:Préparé']);
	});
});

describe('poll time budget', () => {
	it('starts no read after the deadline and gives up those still running, so the poll ends in time', async () => {
		const started = Date.now();
		const results = await settleWithConcurrency(
			[50, 50, 50, 900, 50, 50],
			async (ms) => await new Promise((resolve) => setTimeout(() => resolve(ms), ms)),
			{ concurrency: 2, deadlineMs: started + 300 },
		);
		expect(Date.now() - started).toBeLessThan(800);
		expect(results.map((result) => result.ok)).toEqual([true, true, true, false, true, true]);
	});
});
