/**
 * The FAST Parapheur Trigger through n8n-core's PollContext against the HTTPS emulator, over
 * sequences of polls with the static data saved and reloaded between them as n8n does (each
 * poll is a restart). The clock is jest's fake Date, moved poll after poll.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { SAMPLE_DOCUMENTS, SAMPLE_SIREN } from '../emulators/fast/sample';
import { binaryContent, runPoll } from '../harness';
import { useFast } from './fixture';

const fast = useFast({ now: () => Date.now() });

const MINUTE = 60_000;
/** The real time, rounded, so that certificate checks see a sensible date. */
const START = Math.floor(Date.now() / 3_600_000) * 3_600_000;

beforeEach(() => {
	jest.useFakeTimers({
		doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance'],
	});
	jest.setSystemTime(START);
});

afterEach(() => {
	jest.useRealTimers();
});

/** Polls one trigger like n8n does, carrying the saved static data from one poll to the next. */
function trigger(parameters: INodeParameters, typeVersion = 1, pollBudgetMs?: number) {
	let staticData: IDataObject = {};
	const poll = async (minutes: number, mode: 'trigger' | 'manual' = 'trigger', activation?: 'activate' | 'update'): Promise<INodeExecutionData[]> => {
		jest.setSystemTime(START + minutes * MINUTE);
		const result = await runPoll({ type: 'fastParapheurTrigger', typeVersion, parameters, credentials: fast.credentials(), staticData, mode, pollBudgetMs, activation });
		staticData = result.staticData;
		return result.items ?? [];
	};
	return { poll, staticData: () => staticData };
}

const watch = (ids: string[], options: INodeParameters = {}, extra: INodeParameters = {}): INodeParameters => ({
	event: 'documentStateChanged',
	documentIds: ids.join(', '),
	options,
	...extra,
});

const states = (items: INodeExecutionData[]) => items.map((item) => `${String(item.json.documentId)}:${String(item.json.stateName)}`);
const historyReads = (id?: string) => fast.emulator.server.requests('GET', id ? `/parapheur-ws/rest/v1/documents/v2/${id}/history` : /\/history$/).length;

function seed(states: Array<string | { stateName: string | null; userFullname?: string }> = ['Préparé']): string {
	return fast.emulator.seedDocument({ states });
}

describe('documentStateChanged', () => {
	it('emits every state change exactly once, in order, across polls and restarts, then stops reading the final document', async () => {
		const id = seed();
		const { poll, staticData } = trigger(watch([id]));

		const first = await poll(0);
		expect(first.map((item) => item.json)).toEqual([
			{
				event: 'stateChanged',
				documentId: id,
				stateName: 'Préparé',
				state: 'prepared',
				isFinal: false,
				outcome: 'inProgress',
				date: expect.any(String),
				userFullname: expect.any(String),
				position: 1,
				link: `${fast.emulator.url}/parapheur/showDoc.action?documentid=${id}`,
			},
		]);

		fast.emulator.advance(id, 'Envoyé pour signature');
		expect(states(await poll(30))).toEqual([`${id}:Envoyé pour signature`]);
		expect(await poll(60)).toEqual([]);
		fast.emulator.advance(id, 'Signé', 'Marie Dupont');
		const signed = await poll(90);
		// Version 1: Signé is final, as real clients have it.
		expect(signed.map((item) => item.json)).toEqual([
			expect.objectContaining({ stateName: 'Signé', state: 'signed', isFinal: true, outcome: 'success', userFullname: 'Marie Dupont', position: 3 }),
		]);
		expect(staticData()).toEqual({ v: 1, documents: { [id]: { n: 3, t: (START + 90 * MINUTE) / 1000, f: 1 } } });

		fast.emulator.advance(id, 'Classé');
		const readsBefore = historyReads(id);
		expect(await poll(120)).toEqual([]);
		expect(await poll(600)).toEqual([]);
		expect(historyReads(id)).toBe(readsBefore);
	});

	it('version 2: Signé is not final, a rejected signature after it is delivered, then nothing more is read', async () => {
		const id = seed();
		const { poll, staticData } = trigger(watch([id], { existingEntries: 'none' }), 2);
		await poll(0);
		fast.emulator.advance(id, 'Signé', 'Marie Dupont');
		const signed = await poll(30);
		// Signé is not final: FAST's signature checker or Classé may follow (API page, 2.6).
		expect(signed.map((item) => item.json)).toEqual([
			expect.objectContaining({ stateName: 'Signé', state: 'signed', isFinal: false, outcome: 'success', userFullname: 'Marie Dupont', position: 2 }),
		]);
		const t30 = (START + 30 * MINUTE) / 1000;
		expect(staticData()).toEqual({ v: 1, documents: { [id]: { n: 2, t: t30, f: 3, q: t30 } } });

		// The checker rejects the signature after Signé: delivered, and final.
		fast.emulator.advance(id, 'signature rejetée', 'parapheur parapheur');
		const rejected = await poll(60);
		expect(rejected.map((item) => item.json)).toEqual([
			expect.objectContaining({ stateName: 'signature rejetée', state: 'signatureRejected', isFinal: true, outcome: 'rejected', position: 3 }),
		]);
		expect(staticData()).toEqual({ v: 1, documents: { [id]: { n: 3, t: (START + 60 * MINUTE) / 1000, f: 1 } } });

		fast.emulator.advance(id, 'Classé');
		const readsBefore = historyReads(id);
		expect(await poll(90)).toEqual([]);
		expect(await poll(600)).toEqual([]);
		expect(historyReads(id)).toBe(readsBefore);
	});

	it("stops reading at 60 % of n8n's poll budget and leaves the rest to the next poll, losing nothing", async () => {
		const ids = Array.from({ length: 40 }, () => seed());
		// The first wave of 16 history reads is answered at once; the second wave is held by the
		// emulator past the deadline (60 % of a 10 s budget: 6 s), so it is cut off (FAST got those
		// requests: their 30 minutes start); the last 8 are never sent. No timing but the deadline's.
		let arrived = 0;
		let release: () => void = () => undefined;
		const held = new Promise<void>((resolve) => (release = resolve));
		fast.emulator.server.hold = (_method, path) => (path.endsWith('/history') && ++arrived > 16 && arrived <= 32 ? held : undefined);
		try {
			const { poll } = trigger(watch(ids), 2, 10_000);
			const started = performance.now();
			const first = await poll(0);
			// Not before the deadline (6 s: 60 % of the budget), not at the end of the budget.
			const elapsed = performance.now() - started;
			expect(elapsed).toBeGreaterThanOrEqual(5_900);
			expect(elapsed).toBeLessThan(9_000);
			expect(arrived).toBe(32);
			expect(first).toHaveLength(16);
			// (The emulator logs a request once its hold is over: the 16 cut off are not in its log yet.)
			expect(ids.filter((id) => historyReads(id) === 1)).toHaveLength(16);
			// A minute later: only the 8 never sent are read, not the 16 cut off.
			const second = await poll(1);
			expect(second).toHaveLength(8);
			expect(ids.filter((id) => historyReads(id) === 1)).toHaveLength(24);
			expect(ids.filter((id) => historyReads(id) > 1)).toEqual([]);
			// The held requests end (answered to no one); thirty minutes after the first poll, the 16 cut
			// off are read again and delivered.
			release();
			const third = await poll(30);
			const delivered = [...first, ...second, ...third].filter((item) => item.json.position === 1).map((item) => String(item.json.documentId));
			// Each document's Préparé once.
			expect(delivered.sort()).toEqual([...ids].sort());
		} finally {
			release();
			fast.emulator.server.hold = undefined;
		}
	});

	it('version 2 reads a signed document until Classé, and gives up after 7 days without a change', async () => {
		const a = seed();
		const b = seed();
		const { poll, staticData } = trigger(watch([a, b], { existingEntries: 'none' }), 2);
		await poll(0);
		fast.emulator.advance(a, 'Signé');
		fast.emulator.advance(b, 'Signé');
		expect(states(await poll(30))).toEqual([`${a}:Signé`, `${b}:Signé`]);
		fast.emulator.advance(a, 'Classé');
		const classified = await poll(60);
		expect(classified.map((item) => [item.json.stateName, item.json.isFinal, item.json.outcome])).toEqual([['Classé', true, 'success']]);
		// b stays Signé: read every 30 minutes, its settling time kept from the first read.
		expect(await poll(90)).toEqual([]);
		expect((staticData().documents as Record<string, IDataObject>)[b]).toEqual({ n: 2, t: (START + 90 * MINUTE) / 1000, f: 3, q: (START + 30 * MINUTE) / 1000 });
		const reads = historyReads(b);
		expect(await poll(29 + 7 * 24 * 60)).toEqual([]);
		expect(historyReads(b)).toBe(reads + 1);
		// Seven days after it was first read Signé: settled, said once (final, signed), no more reads.
		const settled = await poll(30 + 7 * 24 * 60 + 60);
		expect(settled.map((item) => item.json)).toEqual([
			expect.objectContaining({ event: 'settled', documentId: b, state: 'signed', isFinal: true, outcome: 'success', position: null }),
		]);
		expect(await poll(30 + 8 * 24 * 60)).toEqual([]);
		expect(historyReads(b)).toBe(reads + 1);
		expect(historyReads(a)).toBe(3);
	});

	it('emits every state reached between two polls, oldest first, documents interleaved by date', async () => {
		const a = seed();
		const b = seed();
		const { poll } = trigger(watch([a, b], { existingEntries: 'none' }));
		expect(await poll(0)).toEqual([]);

		jest.setSystemTime(START + 1 * MINUTE);
		fast.emulator.advance(a, 'Envoyé pour visa');
		jest.setSystemTime(START + 2 * MINUTE);
		fast.emulator.advance(b, 'Envoyé pour signature');
		jest.setSystemTime(START + 3 * MINUTE);
		fast.emulator.advance(a, 'Visa approuvé');
		jest.setSystemTime(START + 4 * MINUTE);
		fast.emulator.advance(a, 'Envoyé pour signature');

		const items = await poll(31);
		expect(states(items)).toEqual([`${a}:Envoyé pour visa`, `${b}:Envoyé pour signature`, `${a}:Visa approuvé`, `${a}:Envoyé pour signature`]);
		expect(items.map((item) => item.json.position)).toEqual([2, 2, 3, 4]);
		expect(await poll(62)).toEqual([]);
	});

	it('loses nothing when some reads fail: they are retried a minute later; when all fail it throws and changes nothing', async () => {
		const ids = [seed(), seed(), seed(), seed()];
		const { poll, staticData } = trigger(watch(ids, { existingEntries: 'none' }));
		await poll(0);
		for (const id of ids) fast.emulator.advance(id, 'Envoyé pour signature');

		// Two of the four history reads of the next poll fail (HTTP 500 is not retried).
		fast.emulator.injectFault({ status: 500, body: 'Internal Server Error' }, 2);
		const partial = await poll(30);
		expect(partial).toHaveLength(2);
		const failed = ids.filter((id) => !partial.some((item) => item.json.documentId === id));
		const cursors = staticData().documents as Record<string, IDataObject>;
		for (const id of failed) expect(cursors[id]).toEqual({ n: 1, t: (START + 30 * MINUTE) / 1000, e: 1 });

		// The failed ones again, a minute later (the others are not due); everything fails this time.
		const saved = staticData();
		fast.emulator.injectFault({ status: 503, body: 'Service Unavailable' }, 100);
		jest.setSystemTime(START + 31 * MINUTE);
		const error = await runPoll({
			type: 'fastParapheurTrigger',
			parameters: watch(ids, { existingEntries: 'none' }),
			credentials: fast.credentials(),
			staticData: saved,
		}).then(
			() => undefined,
			(caught: Error & { description?: string }) => caught,
		);
		expect(error?.message).toMatch(/^Could not read any of the 2 FAST Parapheur documents due: FAST Parapheur is temporarily unavailable \(HTTP 503\)/);
		expect(error?.description).toMatch(/Nothing was changed/);
		fast.emulator.server.clearFaults();

		const rest = await poll(32);
		expect(states(rest).sort()).toEqual(failed.map((id) => `${id}:Envoyé pour signature`).sort());
		expect(staticData().documents).toEqual(Object.fromEntries(ids.map((id) => [id, expect.objectContaining({ n: 2 })])));
		for (const id of ids) expect((staticData().documents as IDataObject)[id]).not.toHaveProperty('e');
	});

	it('reads a document at most once per interval, and at most N documents per poll, the longest unread first', async () => {
		const ids = [seed(), seed(), seed(), seed(), seed()];
		const { poll } = trigger(watch(ids, { maxDocumentsPerPoll: 2, minIntervalMinutes: 30 }));
		const readAt: Record<string, number[]> = Object.fromEntries(ids.map((id) => [id, []]));
		const pollAndRecord = async (minutes: number) => {
			fast.emulator.server.clearLog();
			const items = await poll(minutes);
			for (const id of ids) if (historyReads(id) > 0) readAt[id].push(minutes);
			return items;
		};
		for (const minutes of [0, 1, 2, 3, 10, 29, 30, 31, 32, 33, 59, 60]) await pollAndRecord(minutes);
		expect(readAt).toEqual({
			[ids[0]]: [0, 30, 60],
			[ids[1]]: [0, 30, 60],
			[ids[2]]: [1, 31],
			[ids[3]]: [1, 31],
			[ids[4]]: [2, 32],
		});
	});

	it('adds the refusal comment to refusals and filters by state, the filtered entries still passed over', async () => {
		const id = seed(['Préparé', 'Envoyé pour signature']);
		fast.emulator.setRefusalMessage(id, 'Montant erroné');
		const { poll } = trigger(watch([id], { minIntervalMinutes: 0 }, { states: ['refused', 'signed'] }));
		expect(await poll(0)).toEqual([]);
		fast.emulator.advance(id, 'Refusé', 'Marie Dupont');
		const refused = await poll(1);
		expect(refused.map((item) => item.json)).toEqual([
			expect.objectContaining({ stateName: 'Refusé', state: 'refused', outcome: 'rejected', refusalMessage: 'Montant erroné', position: 3 }),
		]);
	});

	it('keeps reading final documents when asked, so Classé after Signé arrives too', async () => {
		const id = seed(['Préparé', 'Envoyé pour signature', 'Signé']);
		const { poll } = trigger(watch([id], { stopWatchingFinal: false, existingEntries: 'latest' }));
		expect(states(await poll(0))).toEqual([`${id}:Signé`]);
		fast.emulator.advance(id, 'Classé');
		expect(states(await poll(30))).toEqual([`${id}:Classé`]);
	});

	it('gives one `deleted` event for a document that no longer exists, then drops it', async () => {
		const kept = seed();
		const removed = seed();
		const { poll, staticData } = trigger(watch([kept, removed]));
		expect(await poll(0)).toHaveLength(2);
		fast.emulator.removeDocument(removed);
		const items = await poll(30);
		expect(items.map((item) => item.json)).toEqual([
			{
				event: 'deleted',
				documentId: removed,
				stateName: null,
				state: 'deleted',
				isFinal: true,
				outcome: null,
				date: new Date(START + 30 * MINUTE).toISOString(),
				userFullname: null,
				position: null,
				link: `${fast.emulator.url}/parapheur/showDoc.action?documentid=${removed}`,
			},
		]);
		fast.emulator.server.clearLog();
		expect(await poll(60)).toEqual([]);
		expect(await poll(90)).toEqual([]);
		expect(historyReads(removed)).toBe(0);
		expect(historyReads(kept)).toBe(2);
		expect((staticData().documents as IDataObject)[removed]).toEqual({ n: 1, t: (START + 30 * MINUTE) / 1000, f: 2 });
	});

	it('forgets documents taken off the list', async () => {
		const a = seed();
		const b = seed();
		const first = trigger(watch([a, b]));
		await first.poll(0);
		const second = await runPoll({ type: 'fastParapheurTrigger', parameters: watch([b]), credentials: fast.credentials(), staticData: first.staticData(), mode: 'trigger' });
		expect(Object.keys(second.staticData.documents as IDataObject)).toEqual([b]);
	});

	it('"Fetch test event" returns the current state of each document and moves nothing', async () => {
		const a = seed(['Préparé', 'Envoyé pour signature', 'Signé', { stateName: null, userFullname: '' }]);
		const b = seed();
		const { poll, staticData } = trigger(watch([a, b, SAMPLE_DOCUMENTS.refused], { existingEntries: 'none' }));
		await poll(0);
		const saved = staticData();
		fast.emulator.advance(b, 'Envoyé pour visa');

		const manual = await poll(5, 'manual');
		expect(manual.map((item) => [item.json.documentId, item.json.stateName, item.json.position])).toEqual([
			[a, 'Signé', 3],
			[b, 'Envoyé pour visa', 2],
			[SAMPLE_DOCUMENTS.refused, 'Refusé', 3],
		]);
		expect(staticData()).toEqual(saved);
		// The change seen by the manual run is still delivered by the active trigger.
		expect(states(await poll(30))).toEqual([`${b}:Envoyé pour visa`]);
	});

	it('checks the document IDs before sending anything', async () => {
		await expect(
			runPoll({ type: 'fastParapheurTrigger', parameters: watch(['320073900', 'abc']), credentials: fast.credentials() }),
		).rejects.toThrow("'Document IDs' must be a positive whole number, got \"abc\"");
		expect(fast.emulator.server.requests()).toHaveLength(0);
	});
});

describe('newAcknowledgement, newPesRetour, newChorus', () => {
	const ids = (items: INodeExecutionData[]) => items.map((item) => [item.json.documentId, item.json.redelivery]);

	it('emits each id of the remaining list once, and again (marked) when still there after the grace period', async () => {
		const { poll, staticData } = trigger({ event: 'newAcknowledgement', options: { redeliveryHours: 24 } });
		const first = await poll(0);
		expect(first.map((item) => item.json)).toEqual([{ documentId: SAMPLE_DOCUMENTS.helios, siren: SAMPLE_SIREN, kind: 'acknowledgement', redelivery: false }]);
		expect(await poll(1)).toEqual([]);

		const added = fast.emulator.addRemaining('ack', SAMPLE_SIREN);
		expect(ids(await poll(2))).toEqual([[added, false]]);
		expect(await poll(60)).toEqual([]);

		// The first one is fetched (by another workflow); the second is still waiting a day later.
		await fast.run({ resource: 'acknowledgement', operation: 'download', documentId: SAMPLE_DOCUMENTS.helios });
		expect(ids(await poll(24 * 60 + 2))).toEqual([[added, true]]);
		expect(staticData()).toEqual({ v: 1, list: `acknowledgement:${SAMPLE_SIREN}`, delivered: { [added]: (START + (24 * 60 + 2) * MINUTE) / 1000 } });
		expect(await poll(24 * 60 + 3)).toEqual([]);
	});

	it('downloads the files into the items, which takes them off the list', async () => {
		const later = fast.emulator.addRemaining('chorus', SAMPLE_SIREN, '320073990', '<Chorus><Facture>42</Facture></Chorus>');
		const earlier = fast.emulator.addRemaining('chorus', SAMPLE_SIREN, '320073980', '<Chorus><Facture>7</Facture></Chorus>');
		const { poll } = trigger({ event: 'newChorus', download: true, binaryPropertyName: 'file' });
		const sample = fast.emulator.remaining('chorus', SAMPLE_SIREN).filter((id) => id !== earlier && id !== later);
		const items = (await poll(0)).filter((item) => !sample.includes(String(item.json.documentId)));
		expect(ids(items)).toEqual([
			[earlier, false],
			[later, false],
		]);
		expect(items[0].json).toMatchObject({ siren: SAMPLE_SIREN, kind: 'chorus', fileName: expect.stringMatching(/\.xml$/), xml: { Chorus: { Facture: '7' } } });
		expect((await binaryContent(items[1].binary!.file as never)).toString()).toBe('<Chorus><Facture>42</Facture></Chorus>');
		expect(fast.emulator.remaining('chorus', SAMPLE_SIREN)).toEqual([]);
		expect(await poll(1)).toEqual([]);
	});

	it('a failed download is delivered at the next poll; when every download fails the poll throws and changes nothing', async () => {
		const one = fast.emulator.addRemaining('pesRetour', SAMPLE_SIREN);
		const two = fast.emulator.addRemaining('pesRetour', SAMPLE_SIREN);
		const listed = fast.emulator.remaining('pesRetour', SAMPLE_SIREN);
		expect(listed).toEqual(expect.arrayContaining([one, two]));
		const { poll, staticData } = trigger({ event: 'newPesRetour', download: true });
		// The list answers; of the downloads, the last to arrive fails.
		fast.emulator.injectFault({}, listed.length);
		fast.emulator.injectFault({ status: 500, body: 'Internal Server Error' }, 1);
		const first = await poll(0);
		expect(first).toHaveLength(listed.length - 1);
		const second = await poll(1);
		expect(second).toHaveLength(1);
		expect([...ids(first), ...ids(second)].map(([id]) => id).sort()).toEqual([...listed].sort());
		expect(fast.emulator.remaining('pesRetour', SAMPLE_SIREN)).toEqual([]);

		const three = fast.emulator.addRemaining('pesRetour', SAMPLE_SIREN);
		const saved = staticData();
		fast.emulator.injectFault({}, 1);
		fast.emulator.injectFault({ status: 500, body: 'Internal Server Error' }, 1);
		await expect(poll(2)).rejects.toThrow(/^Could not download the new PES Retour: FAST Parapheur failed with an internal error \(HTTP 500\)/);
		expect(staticData()).toEqual(saved);
		expect(ids(await poll(3))).toEqual([[three, false]]);
	});

	it('throws a clear error and changes nothing when the list cannot be read', async () => {
		const { poll, staticData } = trigger({ event: 'newAcknowledgement' });
		await poll(0);
		const saved = staticData();
		fast.emulator.errorIn200(100, 'Unauthorized', "Votre utilisateur n'est pas autorisé à déposer dans ce siren.");
		await expect(poll(1)).rejects.toThrow(`The certificate's account is not allowed to work in SIREN ${SAMPLE_SIREN}, or FAST Parapheur does not know the certificate's account at all (code 100)`);
		expect(staticData()).toEqual(saved);
	});

	it('"Fetch test event" lists the ids without downloading or remembering them', async () => {
		const { poll, staticData } = trigger({ event: 'newAcknowledgement', download: true });
		const manual = await poll(0, 'manual');
		expect(ids(manual)).toEqual([[SAMPLE_DOCUMENTS.helios, false]]);
		expect(manual[0].binary).toBeUndefined();
		expect(fast.emulator.server.requests('GET', /\/download$/)).toHaveLength(0);
		expect(staticData()).toEqual({});
		const active = await poll(1);
		expect(ids(active)).toEqual([[SAMPLE_DOCUMENTS.helios, false]]);
		expect(active[0].binary?.data).toBeDefined();
	});
});
