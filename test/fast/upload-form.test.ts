/**
 * The credential's Upload Form, against both kinds of FAST server: the emulator as the FAST
 * servers in use behave (the clients' names taken, the page's too), and in its strict mode, as
 * the API page says (file part `doc`, `circuit_id` mandatory on demand, any other part name
 * refused with 902 "Unknown parameter"). The clients' form stays the default, also for a
 * credential saved before the option existed; the page's form works with both servers; a refused
 * part name says which form to choose.
 */
import { SAMPLE_CIRCUITS, SAMPLE_SIREN, SAMPLE_USERS } from '../emulators/fast/sample';
import { byId, fileBinary, pdfItem, useFast } from './fixture';

type Parts = Array<{ name: string; fileName?: string; text?: string }>;

const upload = { resource: 'document', operation: 'upload', circuitId: byId(SAMPLE_CIRCUITS.signature), label: 'Formes' };
const onDemand = (extra: Record<string, unknown> = {}) => ({
	resource: 'document',
	operation: 'uploadOnDemand',
	circuitType: 'BUREAUTIQUE_PDF',
	steps: { step: [{ type: 'signature', members: [SAMPLE_USERS.mayor] }] },
	...extra,
});
const otp = {
	resource: 'document',
	operation: 'uploadOtp',
	circuitId: byId(SAMPLE_CIRCUITS.otp),
	otpSigners: { signer: [{ firstName: 'Jean', lastName: 'Client', phoneNumber: '06 12 34 56 78', email: 'jean@client.fr' }] },
};
const apiPage = { uploadForm: 'apiPage' };

const CLIENTS_TO_PAGE = "This server follows FAST's API page: set the credential's Upload Form to 'As the API Page Says (doc)'";

describe.each([
	['as the FAST servers in use (lenient)', false],
	['as the API page says (strict)', true],
])('a FAST server %s', (_name, followApiPage) => {
	const fast = useFast({ followApiPage });
	const lastParts = (path: RegExp): Parts => fast.emulator.server.requests('POST', path).at(-1)?.parts ?? [];
	const names = (path: RegExp) => lastParts(path).map((part) => part.name);

	it("the clients' form, the default (a credential saved without the option has it): Upload's file part is content", async () => {
		const run = await fast.run(upload, { items: [pdfItem('Clients.pdf')] });
		expect(names(/\/v2\/\d+\/.*\/upload$/)).toEqual(['content', 'label']);
		if (!followApiPage) {
			expect(run.error).toBeUndefined();
			return;
		}
		expect(run.error?.message).toBe(
			`FAST Parapheur refused to upload the document (code 902): Unknown parameter 'content' (expected: doc, label, comment, emailDestinataire). ${CLIENTS_TO_PAGE}.`,
		);
		expect(fast.emulator.documents.size).toBe(4);
	});

	it("the clients' form on demand: email_cc, and no circuit_id unless a Circuit is given", async () => {
		const withCc = await fast.run(onDemand({ options: { cc: SAMPLE_USERS.dgs } }), { items: [pdfItem('Avec copie.pdf')] });
		expect(names(/ondemand/)).toEqual(['doc', 'circuit', 'email_cc']);
		const bare = await fast.run(onDemand(), { items: [pdfItem('Sans circuit.pdf')] });
		expect(names(/ondemand/)).toEqual(['doc', 'circuit']);
		if (!followApiPage) {
			expect(withCc.error).toBeUndefined();
			expect(bare.error).toBeUndefined();
			return;
		}
		expect(withCc.error?.message).toMatch(/^FAST Parapheur refused to upload the document with its circuit \(code 902\): Unknown parameter 'email_cc' \(expected: .*email_CC\)\. This server follows FAST's API page/);
		expect(bare.error?.message).toBe(
			`FAST Parapheur refused to upload the document with its circuit (code 120): missing parameter 'circuit_id'. ${CLIENTS_TO_PAGE} and give the upload's Circuit.`,
		);
	});

	it("a Circuit given on Upload On Demand is sent as circuit_id, first, in the clients' form too", async () => {
		const run = await fast.run(onDemand({ circuitId: byId(SAMPLE_CIRCUITS.signature) }), { items: [pdfItem('Avec circuit.pdf')] });
		expect(run.error).toBeUndefined();
		const parts = lastParts(/ondemand/);
		expect(parts.map((part) => part.name)).toEqual(['circuit_id', 'doc', 'circuit']);
		expect(parts[0].text).toBe(SAMPLE_CIRCUITS.signature);
		expect(run.items[0].json).toMatchObject({ circuitId: SAMPLE_CIRCUITS.signature, siren: SAMPLE_SIREN });
		expect(fast.emulator.documents.get(String(run.items[0].json.documentId))?.circuitId).toBe(SAMPLE_CIRCUITS.signature);
	});

	it("the page's form: doc on every upload (annexes' ZIP included), circuit_id and email_CC on demand, taken by both servers", async () => {
		const run = await fast.run(
			{ ...upload, options: { annexes: 'annexe', comment: 'Forme de la page', recipients: SAMPLE_USERS.dgs } },
			{ items: [pdfItem('Page.pdf', { $binary: { annexe: fileBinary('Annexe.pdf', 'annexe') } })], credentials: apiPage },
		);
		expect(run.error).toBeUndefined();
		expect(lastParts(/\/v2\/\d+\/.*\/upload$/)).toEqual([
			expect.objectContaining({ name: 'doc', fileName: 'Page.pdf.zip' }),
			expect.objectContaining({ name: 'label' }),
			expect.objectContaining({ name: 'comment' }),
			expect.objectContaining({ name: 'emailDestinataire' }),
		]);

		const onDemandRun = await fast.run(
			onDemand({ circuitId: byId(SAMPLE_CIRCUITS.signature), options: { cc: SAMPLE_USERS.dgs, recipients: SAMPLE_USERS.finance, agents: SAMPLE_USERS.agent, comment: 'Page' } }),
			{ items: [pdfItem('Page sur demande.pdf')], credentials: apiPage },
		);
		expect(onDemandRun.error).toBeUndefined();
		expect(names(/ondemand/)).toEqual(['circuit_id', 'doc', 'circuit', 'comment', 'email_destinataire', 'email_CC', 'agents']);
		expect(fast.emulator.documents.get(String(onDemandRun.items[0].json.documentId))).toMatchObject({ circuitId: SAMPLE_CIRCUITS.signature, cc: [SAMPLE_USERS.dgs] });

		const otpRun = await fast.run(otp, { items: [pdfItem('Page OTP.pdf')], credentials: apiPage });
		expect(otpRun.error).toBeUndefined();
		expect(names(/\/otp\/.*\/upload$/)).toEqual(['doc', 'meta']);
	});

	it("the page's form needs Upload On Demand's Circuit: said before anything is sent", async () => {
		const run = await fast.run(onDemand(), { items: [pdfItem()], credentials: apiPage });
		expect(run.error?.message).toBe(
			"'Circuit' is required: the credential's Upload Form is 'As the API Page Says (doc)', and FAST's API page marks circuit_id mandatory on the on-demand upload",
		);
		expect(run.error?.description).toBe(
			"Give the circuit the document is filed under, or set the credential's Upload Form to 'As FAST's Clients Do (content)' for a FAST server that takes uploads without it.",
		);
		expect(fast.emulator.server.log).toHaveLength(0);
	});
});

describe("a refusal of the page's form names the clients' form", () => {
	const fast = useFast();

	it('902 to doc: the hint is the other form', async () => {
		fast.emulator.errorIn200(902, "Unknown parameter 'doc' (expected: content, label, comment, emailDestinataire)");
		const run = await fast.run(upload, { items: [pdfItem()], credentials: apiPage });
		expect(run.error?.message).toBe(
			"FAST Parapheur refused to upload the document (code 902): Unknown parameter 'doc' (expected: content, label, comment, emailDestinataire). Set the credential's Upload Form to 'As FAST's Clients Do (content)'.",
		);
	});
});
