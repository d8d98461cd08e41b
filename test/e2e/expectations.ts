/**
 * What each example workflow must produce when it runs in real n8n against the emulators:
 * per node and output, the item count and fields of each item (a subset match), error items
 * where expected, and the emulator's state afterwards.
 */
import type { FastEmulator } from '../emulators/fast';
import type { FlowerDocsEmulator } from '../emulators/flowerdocs';
import type { MaarchEmulator } from '../emulators/maarch';
import type { NamirialEmulator } from '../emulators/namirial';

/** The emulators an example runs against (started afresh for each example). */
export interface Emulators {
	maarch: MaarchEmulator;
	fast: FastEmulator;
	namirial: NamirialEmulator;
	flowerdocs: FlowerDocsEmulator;
}

export interface NodeExpectation {
	node: string;
	/**
	 * How many times the node must have run: a number, or bounds (a node in a loop runs once per
	 * round). Default: at least once. `0`: the node must not have run.
	 */
	runs?: number | { min?: number; max?: number };
	/** Which run the checks below look at: 0 (default) is the first, -1 the last. */
	run?: number;
	/** 0 for the main output, 1 for the error output (or the false branch of an If). */
	output?: number;
	/** Item count of that output; leave out to check only that the node ran (`runs`). */
	items?: number;
	/**
	 * Fields each item must have, in order (a subset of the item's JSON; a RegExp matches a
	 * string or number value).
	 */
	json?: Array<Record<string, unknown>>;
	/** Binary fields each item must have, in order, with a subset of their metadata (mimeType, fileName, ...). */
	binary?: Array<Record<string, Record<string, unknown>>>;
	/** For error items: patterns their `error` text must match, in order. */
	errors?: RegExp[];
}

export interface ExampleExpectation {
	nodes: NodeExpectation[];
	/** Checks on the emulators once the workflow has run; returns problems found. */
	state?: (emulators: Emulators) => string[];
}

export const EXPECTATIONS: Record<string, ExampleExpectation> = {
	NamirialBatch001: {
		nodes: [
			{
				node: 'Create operators in batch',
				items: 3,
				json: [
					{ action: 'create', email: 'camille.leroy@agence.example.fr', lastName: 'Leroy, épouse Martin', success: true },
					{ action: 'create', email: 'noel.oconnor@agence.example.fr', firstName: 'Noël "Nono"', success: true },
					{ action: 'create', email: 'zoe.muller@agence.example.fr', success: true },
				],
			},
			{
				node: 'Create operators in batch',
				output: 1,
				items: 1,
				errors: [/^Trust and Sign rejected operator john3\.d@@@namirial\.com: Invalid parameter 'email' format \(Invalid email format\) \(code 1005\)$/],
			},
			{ node: 'Rejected rows', items: 1 },
			{
				node: 'Send them e-mail reports, in batch',
				items: 3,
				json: [
					{ action: 'update', email: 'camille.leroy@agence.example.fr', reportTypes: ['ACTIVITY', 'EMAIL'], success: true },
					{ action: 'update', email: 'noel.oconnor@agence.example.fr', success: true },
					{ action: 'update', email: 'zoe.muller@agence.example.fr', success: true },
				],
			},
			{ node: 'List operators', items: 6 },
		],
		state: ({ namirial }) => {
			const problems: string[] = [];
			// Create: batch size 2, four rows in two CSV requests; update: the default size, one request.
			const sizes = namirial.batches.map((batch) => `${batch.action}:${batch.rows.length}`).join(',');
			if (sizes !== 'create:2,create:2,update:3') problems.push(`batches sent: ${sizes}`);
			const camille = namirial.operator('camille.leroy@agence.example.fr');
			if (camille?.lastName !== 'Leroy, épouse Martin' || camille.groupsLabel.join('|') !== 'DEFAULT|Agence Nord') {
				problems.push(`camille.leroy: ${JSON.stringify(camille)}`);
			}
			if (namirial.operator('noel.oconnor@agence.example.fr')?.firstName !== 'Noël "Nono"') problems.push('noel.oconnor has the wrong first name');
			const zoe = namirial.operator('zoe.muller@agence.example.fr');
			if (zoe?.reportTypes.join('|') !== 'ACTIVITY|EMAIL' || zoe.externalId !== 'HR-104') problems.push(`zoe.muller: ${JSON.stringify(zoe)}`);
			return problems;
		},
	},
	NamirialSteps001: {
		nodes: [
			{ node: 'Create operator', items: 1, json: [{ email: 'lucie.bernard@agence.example.fr', created: true }] },
			{ node: 'Give access to products P1 and P2', items: 1, json: [{ productsPublicId: ['P1', 'P2'] }] },
			{ node: 'Give access to two groups', items: 1, json: [{ groupsLabel: ['DEFAULT', 'Agence Nord'] }] },
			{ node: 'Promote to administrator', items: 1, json: [{ authorizations: ['VALIDATION', 'ADMINISTRATION'], updated: true }] },
			{ node: 'Delete operator', items: 1, json: [{ email: 'lucie.bernard@agence.example.fr', deleted: true }] },
			{
				node: 'Delete leavers in batch',
				items: 2,
				json: [
					{ action: 'delete', email: 'jeanne.martin@agence.example.fr', success: true },
					{ action: 'delete', email: 'paul.durand@agence.example.fr', success: true },
				],
			},
			{ node: 'List operators, inactive included', items: 5 },
		],
		state: ({ namirial }) => {
			const lucie = namirial.operators.get('lucie.bernard@agence.example.fr');
			const problems: string[] = [];
			if (lucie?.state !== 'DELETE' || lucie.externalId !== 'HR-201-A' || lucie.productsPublicId.join('|') !== 'P1|P2') {
				problems.push(`lucie.bernard: ${JSON.stringify(lucie)}`);
			}
			for (const email of ['jeanne.martin@agence.example.fr', 'paul.durand@agence.example.fr']) {
				if (namirial.operators.get(email)?.state !== 'DELETE') problems.push(`${email} was not deleted`);
			}
			return problems;
		},
	},
	MaarchProvision1: {
		nodes: [
			{
				node: 'Create user',
				items: 2,
				json: [
					{ user_id: 'a.martin', firstname: 'Alice', status: 'OK' },
					{ user_id: 'e.petit', firstname: 'Émile', status: 'OK' },
				],
			},
			{ node: 'Create user', output: 1, items: 1, errors: [/user with the login 'bbain' already exists/] },
			{ node: 'Add to group ELU', items: 2, json: [{ groupId: 'ELU' }, { groupId: 'ELU' }] },
			{ node: 'Add to entity PJS', items: 2, json: [{ entityId: 'PJS' }, { entityId: 'PJS' }] },
			{
				node: 'Create in Maarch Parapheur',
				items: 2,
				json: [
					{ linked: true, maarchParapheurLogin: 'a.martin' },
					{ linked: true, maarchParapheurLogin: 'e.petit' },
				],
			},
			{
				node: 'Set phone',
				items: 2,
				json: [
					{ user_id: 'a.martin', phone: '+33102030401', mail: 'alice.martin@mairie.example.fr' },
					{ user_id: 'e.petit', phone: '+33102030403', mail: 'emile.petit@mairie.example.fr' },
				],
			},
			{ node: 'List users', items: 6 },
		],
		state: ({ maarch }) => {
			const alice = maarch.findByLogin('a.martin');
			const problems: string[] = [];
			if (!alice) return ['a.martin was not created'];
			if (!alice.groups.includes('ELU')) problems.push('a.martin is not in group ELU');
			if (!alice.entities.includes('PJS')) problems.push('a.martin is not in entity PJS');
			if (!alice.maarchParapheurId) problems.push('a.martin is not linked to Maarch Parapheur');
			if (maarch.findByLogin('bbain')?.phone) problems.push('the rejected bbain row changed bbain');
			// Create is one request per person after one user list per execution (nothing read back);
			// the only reads of one user are Set phone's, which reads each user before writing it
			// (PUT replaces the whole user).
			const creations = maarch.server.requests('POST', '/rest/users').length;
			if (creations !== 3) problems.push(`${creations} POST /rest/users for 3 people, expected 3`);
			const reads = maarch.server.requests('GET', /^\/rest\/users\/\d+$/).map((entry) => entry.path).sort();
			const alicePath = `/rest/users/${alice.id}`;
			const emilePath = `/rest/users/${maarch.findByLogin('e.petit')?.id}`;
			if (JSON.stringify(reads) !== JSON.stringify([alicePath, emilePath].sort())) {
				problems.push(`user reads: ${reads.join(', ') || 'none'}, expected one each for Set phone (${alicePath}, ${emilePath})`);
			}
			return problems;
		},
	},
	MaarchMaintain01: {
		nodes: [
			{ node: 'Get user by login', items: 1, json: [{ user_id: 'bbain', groups: [{ group_id: 'AGENT' }] }] },
			{ node: 'Link to Maarch Parapheur', items: 1, json: [{ linked: true, maarchParapheurUserId: 19 }] },
			{ node: 'Check Maarch Parapheur link', items: 1, json: [{ linked: true, maarchParapheurLogin: 'bbain' }] },
			{ node: 'Unlink from Maarch Parapheur', items: 1, json: [{ linked: false }] },
			{ node: 'Remove from group AGENT', items: 1, json: [{ groupId: 'AGENT', groups: [] }] },
			{ node: 'Remove from entity DGS', items: 1, json: [{ entityId: 'DGS', entities: [] }] },
			{ node: 'Delete user', items: 1, json: [{ deleted: true }] },
		],
		state: ({ maarch }) => (maarch.findByLogin('bbain')?.status === 'DEL' ? [] : ['bbain was not deleted']),
	},

	// ─── FAST Parapheur ─────────────────────────────────────────────────────────────────────────
	// Fresh emulator per example (FAST_SAMPLE): uploads get ids from 320073904 on, and uploaded
	// documents move one state along every 1.5 s (scripts/e2e.ts).
	FastSignStory001: {
		nodes: [
			{ node: 'Deliberation PDF', items: 1, binary: [{ data: { mimeType: 'application/pdf', fileName: 'Délibération 2026-042.pdf' } }] },
			{
				node: 'Send for visa and signature',
				items: 1,
				json: [
					{
						documentId: '320073904',
						siren: '213501232',
						fileName: 'Délibération 2026-042.pdf',
						circuit: {
							type: 'BUREAUTIQUE_PDF',
							steps: [
								{ step: 'visa', members: ['jean.martin@mairie-exemple.fr'] },
								{ step: 'signature', members: ['marie.dupont@mairie-exemple.fr'] },
							],
						},
						link: /\/parapheur\/showDoc\.action\?documentid=320073904$/,
					},
				],
			},
			// The loop: read, not final, wait, read again... (at most 20 rounds).
			{ node: 'Get status', runs: { min: 2, max: 20 }, items: 1, json: [{ documentId: '320073904', isFinal: false, outcome: 'inProgress' }] },
			{
				node: 'Get status',
				run: -1,
				items: 1,
				json: [{ documentId: '320073904', stateName: 'Classé', state: 'classified', isFinal: true, outcome: 'success', historyLength: 6 }],
			},
			{ node: 'Finished?', output: 1, items: 1, json: [{ isFinal: false }] },
			{ node: 'Keep waiting?', runs: { min: 1, max: 19 }, items: 1 },
			{ node: 'Wait 4 seconds', runs: { min: 2, max: 20 } },
			{ node: 'Still in its circuit', runs: 0 },
			{
				node: 'Get result',
				items: 1,
				json: [
					{
						documentId: '320073904',
						stateName: 'Classé',
						state: 'classified',
						isFinal: true,
						signed: true,
						refusalMessage: null,
						history: [
							{ position: 1, stateName: 'Préparé', state: 'prepared' },
							{ position: 2, stateName: 'Envoyé pour visa', state: 'sentForVisa', userFullname: 'parapheur parapheur' },
							{ position: 3, stateName: 'Visa approuvé', state: 'visaApproved', userFullname: 'Jean Martin' },
							{ position: 4, stateName: 'Envoyé pour signature', state: 'sentForSignature' },
							{ position: 5, stateName: 'Signé', state: 'signed', userFullname: 'Marie Dupont' },
							{ position: 6, stateName: 'Classé', state: 'classified', isFinal: true },
						],
					},
				],
				binary: [
					{
						data: { mimeType: 'application/pdf', fileName: 'Délibération 2026-042.pdf' },
						circulationSheet: { mimeType: 'application/pdf', fileName: 'fiche-de-circulation-320073904.pdf' },
					},
				],
			},
		],
		state: ({ fast }) => {
			const document = fast.document('320073904');
			if (!document) return ['document 320073904 was not uploaded'];
			const problems: string[] = [];
			if (document.kind !== 'onDemand') problems.push(`document 320073904 is ${document.kind}, not an on-demand upload`);
			const steps = JSON.stringify(document.circuit?.steps);
			const wanted = JSON.stringify([
				{ step: 'visa', members: ['jean.martin@mairie-exemple.fr'] },
				{ step: 'signature', members: ['marie.dupont@mairie-exemple.fr'] },
			]);
			if (steps !== wanted) problems.push(`the circuit sent was ${steps}`);
			if (document.comment !== 'Délibération 2026-042 : budget supplémentaire') problems.push(`comment ${JSON.stringify(document.comment)}`);
			if (document.recipients.join() !== 'secretariat@mairie-exemple.fr') problems.push(`recipients ${JSON.stringify(document.recipients)}`);
			if (document.content?.subarray(0, 5).toString() !== '%PDF-') problems.push('the uploaded file is not the PDF');
			// Bounded loop: the workflow reads the history at most 20 times.
			const reads = fast.server.requests('GET', '/parapheur-ws/rest/v1/documents/v2/320073904/history').length;
			if (reads < 3 || reads > 21) problems.push(`the history was read ${reads} times`);
			return problems;
		},
	},
	FastHeliosFiles1: {
		nodes: [
			{ node: 'Remaining Hélios acknowledgements', items: 1, json: [{ documentId: '320073902', siren: '213501232', kind: 'acknowledgement' }] },
			{
				node: 'Download acknowledgement',
				items: 1,
				json: [
					{
						documentId: '320073902',
						kind: 'acknowledgement',
						xml: { PES_ACQUIT: { EnTetePES: { IdColl: { V: '213501232' } }, ACQUIT: { ElementACQUIT: { IdUnique: { V: '320073902' }, EtatAck: { V: '1' } } } } },
					},
				],
				binary: [{ data: { mimeType: 'application/xml', fileName: 'acquittement-helios-320073902.xml' } }],
			},
			{ node: 'Remaining PES Retour', items: 1, json: [{ documentId: '320073850', kind: 'pesRetour' }] },
			{
				node: 'Download PES Retour',
				items: 1,
				// The emulator sends this PES Retour in ISO-8859-1: the accents prove it was read as such.
				json: [
					{
						documentId: '320073850',
						kind: 'pesRetour',
						xml: {
							PES_Retour: {
								Retour: {
									IdUnique: { V: '320073850' },
									Emetteur: { V: 'Trésorerie de Saint-Étienne' },
									Objet: 'Délibération n° 2024-017 : mandat reçu et pris en charge',
								},
							},
						},
					},
				],
				binary: [{ data: { mimeType: 'application/xml', fileName: /^pes-retour-320073850\.xml$/ } }],
			},
			{ node: 'Remaining Chorus files', items: 1, json: [{ documentId: '320073860', kind: 'chorus' }] },
			{
				node: 'Download Chorus file',
				items: 1,
				json: [{ documentId: '320073860', kind: 'chorus', xml: { CPPFactureChorus: { Siren: '213501232', IdFlux: '320073860' } } }],
				binary: [{ data: { mimeType: 'application/xml', fileName: /\.xml$/ } }],
			},
		],
		state: ({ fast }) =>
			(['ack', 'pesRetour', 'chorus'] as const)
				.filter((kind) => fast.remaining(kind, '213501232').length > 0)
				.map((kind) => `the ${kind} list still has ${fast.remaining(kind, '213501232').join(', ')} (a download consumes its id)`),
	},
	FastUsersSync001: {
		nodes: [
			{
				node: 'Export users',
				items: 5,
				json: [
					{ email: 'depot@mairie-exemple.fr', siren: '213501232' },
					{ email: 'marie.dupont@mairie-exemple.fr', prenom: 'Marie', nom: 'Dupont', groups: ['Élus'], circuits: [{ circuit: 'Signature Maire', role: 'SIGNATAIRE' }, { circuit: 'Hélios Mandats', role: 'SIGNATAIRE' }] },
					{ email: 'jean.martin@mairie-exemple.fr', authenticationType: 'BASIC' },
					{ email: 'sophie.bernard@mairie-exemple.fr' },
					{ email: 'luc.petit@mairie-exemple.fr', circuits: [] },
				],
			},
			{ node: 'Everyone', items: 6 },
			{
				node: 'Synchronize (dry run)',
				items: 1,
				json: [{ siren: '213501232', dryRun: true, toCreate: ['claire.moreau@mairie-exemple.fr'], toUpdate: [], toDelete: [], unchanged: 5 }],
			},
		],
		state: ({ fast }) => {
			const problems: string[] = [];
			const users = fast.users('213501232').map((user) => user.email);
			if (users.length !== 5 || users.includes('claire.moreau@mairie-exemple.fr')) problems.push(`the dry run changed the users: ${users.join(', ')}`);
			const puts = fast.server.requests('PUT').filter((request) => request.path.includes('/synchronization/'));
			if (puts.length > 0) problems.push('the dry run sent the synchronisation to FAST');
			return problems;
		},
	},
	FastOtpContract1: {
		nodes: [
			{
				node: 'Upload for SMS signature',
				items: 1,
				json: [
					{
						documentId: '320073904',
						circuitId: 'OTP Contrats',
						fileName: 'Contrat de prestation 2026-07.pdf',
						signingUrl: /^https:\/\/127\.0\.0\.1:\d+\/boucle-sms\/documentView\?id=\S+$/,
					},
				],
			},
			{
				node: 'Correct the phone number',
				items: 1,
				json: [{ documentId: '320073904', otpSigners: [{ firstName: 'Camille', lastName: 'Roux', phoneNumber: '+33798765432', email: 'camille.roux@verts-jardins.example' }] }],
			},
			{ node: 'Signing link', items: 1, json: [{ documentIds: ['320073904'], url: /\/boucle-sms\/documentView\?id=\S+$/ }] },
		],
		state: ({ fast }) => {
			const document = fast.documents.get('320073904');
			if (!document) return ['document 320073904 was not uploaded'];
			const problems: string[] = [];
			if (document.kind !== 'otp' || document.circuitId !== 'OTP Contrats') problems.push(`document 320073904 is ${document.kind} in ${document.circuitId}`);
			if (document.label !== 'Contrats 2026') problems.push(`label ${JSON.stringify(document.label)}`);
			if (document.referer !== 'https://www.mairie-exemple.fr/merci') problems.push(`return URL ${JSON.stringify(document.referer)}`);
			const signer = document.otpSigners[0];
			if (document.otpSigners.length !== 1 || signer.firstname !== 'Camille' || !/798765432$/.test(signer.phonenumber ?? '')) {
				problems.push(`OTP signers after the correction: ${JSON.stringify(document.otpSigners)}`);
			}
			return problems;
		},
	},
	FastFileCircuit1: {
		nodes: [
			{
				node: "Upload to the mayor's circuit",
				items: 1,
				json: [{ documentId: '320073904', circuitId: 'Signature Maire', label: 'Arrêtés 2026', fileName: 'Arrêté 2026-118 stationnement.pdf' }],
			},
			{ node: 'Set metadata', items: 1, json: [{ documentId: '320073904', metadata: { TEXT_001: 'Stationnement rue des Lilas', DATE_001: '2026-04-01' } }] },
			{ node: 'Get history', items: 1, json: [{ documentId: '320073904', count: /^[2-9]$/ }] },
			{
				node: 'Get fiche de circulation',
				items: 1,
				json: [{ documentId: '320073904', fileName: 'fiche-de-circulation-320073904.pdf' }],
				binary: [{ ficheDeCirculation: { mimeType: 'application/pdf', fileName: 'fiche-de-circulation-320073904.pdf' } }],
			},
		],
		state: ({ fast }) => {
			const document = fast.documents.get('320073904');
			if (!document) return ['document 320073904 was not uploaded'];
			const problems: string[] = [];
			if (document.kind !== 'static' || document.circuitId !== 'Signature Maire' || document.label !== 'Arrêtés 2026') {
				problems.push(`document 320073904 is ${document.kind} in ${document.circuitId}, label ${document.label}`);
			}
			if (document.fileName !== 'Arrêté 2026-118 stationnement.pdf') problems.push(`file name ${JSON.stringify(document.fileName)}`);
			if (document.recipients.join() !== 'police.municipale@mairie-exemple.fr') problems.push(`recipients ${JSON.stringify(document.recipients)}`);
			if (document.metadata.TEXT_001 !== 'Stationnement rue des Lilas' || document.metadata.DATE_001 !== '2026-04-01') {
				problems.push(`metadata ${JSON.stringify(document.metadata)}`);
			}
			if (!document.history.some((entry) => entry.stateName === 'Métadonnées définies')) problems.push('no "Métadonnées définies" in the history');
			return problems;
		},
	},
	FastArchiveDocs1: {
		nodes: [
			{
				node: 'Get status',
				items: 3,
				json: [
					{ documentId: '320073900', state: 'classified', outcome: 'success' },
					{ documentId: '320073901', state: 'refused', outcome: 'rejected' },
					{ documentId: '320073902', state: 'heliosAcknowledged', outcome: 'success' },
				],
			},
			{ node: 'Signed?', output: 1, items: 1, json: [{ documentId: '320073901' }] },
			{
				node: 'Download with fiche and acknowledgement',
				items: 2,
				json: [
					{
						documentId: '320073900',
						files: [
							{ field: 'data', kind: 'document', fileName: 'Arrêté voirie 2024-112.pdf' },
							{ field: 'circulationSheet', kind: 'circulationSheet', fileName: 'fiche-de-circulation-320073900.pdf' },
						],
					},
					{ documentId: '320073902' },
				],
				binary: [
					{
						data: { mimeType: 'application/pdf', fileName: 'Arrêté voirie 2024-112.pdf' },
						circulationSheet: { mimeType: 'application/pdf', fileName: 'fiche-de-circulation-320073900.pdf' },
					},
					{
						data: { mimeType: 'application/xml', fileName: 'PES mandats janvier.xml' },
						circulationSheet: { mimeType: 'application/pdf', fileName: 'fiche-de-circulation-320073902.pdf' },
						acknowledgement: { mimeType: 'application/xml', fileName: 'ack-320073902.xml' },
					},
				],
			},
			{
				node: 'Why was it refused?',
				items: 1,
				json: [{ documentId: '320073901', hasRefusalMessage: true, refusalMessage: "Merci de corriger l'article 3 (durée) avant signature." }],
			},
		],
		state: ({ fast }) => {
			const downloads = fast.server.requests('GET').filter((request) => /\/download$/.test(request.path));
			const zipped = downloads.filter((request) => request.query.FdC === 'true' && request.query.acquit === 'true').length;
			return zipped === 2 ? [] : [`expected 2 downloads with FdC and acquit, saw ${JSON.stringify(downloads.map((request) => [request.path, request.query]))}`];
		},
	},
	FastDeleteDraft1: {
		nodes: [
			{ node: 'Delete document', items: 1, json: [{ documentId: '320073903', deleted: true }] },
			{ node: 'Delete document', output: 1, items: 1, errors: [/refused to delete document 320073900: its state is "Classé"/] },
			{ node: 'Deleted', items: 1 },
			{ node: 'Not deletable', items: 1 },
		],
		state: ({ fast }) => {
			const problems: string[] = [];
			if (fast.documents.has('320073903')) problems.push('the prepared document 320073903 is still there');
			if (!fast.documents.has('320073900')) problems.push('the signed document 320073900 was deleted');
			return problems;
		},
	},
	// ─── FlowerDocs ─────────────────────────────────────────────────────────────────────────────
	// Fresh emulator per example (FLOWERDOCS_SAMPLE: n8n, bbain, hlenoir, ccordy), which revokes
	// its tokens after 3 requests (scripts/e2e.ts), as a restart of FlowerDocs Core would.
	FlowerDocsUsers1: {
		nodes: [
			{
				node: 'Create user',
				items: 1,
				json: [{ id: 'cbernard', displayName: 'Claire Bernard', profiles: ['AllUsers'], groups: ['DRH'], credentialsExpired: true }],
			},
			{
				node: 'Add profile eEnvelope and site',
				items: 1,
				json: [
					{
						id: 'cbernard',
						profiles: ['AllUsers', 'eEnvelope'],
						groups: ['DRH'],
						attributes: [
							{ name: 'service', values: ['Ressources humaines'] },
							{ name: 'site', values: ['Hôtel de ville'] },
						],
					},
				],
			},
			{ node: 'Change password', items: 1, json: [{ id: 'cbernard', passwordChanged: true }] },
			{ node: 'Get Claire and Barbara', items: 2, json: [{ id: 'cbernard', mail: 'claire.bernard@mairie.example.fr' }, { id: 'bbain', profiles: ['AllUsers'] }] },
			{ node: 'Search users named Bain or Bernard', items: 2, json: [{ id: 'bbain' }, { id: 'cbernard' }] },
			{ node: 'Delete Claire', items: 1, json: [{ id: 'cbernard', deleted: true }] },
		],
		state: ({ flowerdocs }) => {
			const problems: string[] = [];
			if (flowerdocs.users.has('cbernard')) problems.push('cbernard was not deleted');
			// n8n stored the token after the first login and reused it; the revocation after 3 requests
			// cost one 401, one new login (stored in turn) and one retry: 2 logins for 8 requests.
			if (flowerdocs.logins.length !== 2) problems.push(`${flowerdocs.logins.length} logins, expected 2`);
			const calls = flowerdocs.log.filter((entry) => !entry.path.endsWith('/rest/authentication'));
			const refused = calls.filter((entry) => entry.path.endsWith('/password')).length;
			if (calls.length !== 8 || refused !== 2) problems.push(`requests: ${calls.map((entry) => `${entry.method} ${entry.path}`).join(', ')}`);
			if (new Set(calls.slice(4).map((entry) => entry.headers.token)).size !== 1) problems.push('the renewed token was not reused');
			if (calls.some((entry) => !entry.headers.token)) problems.push('a request was sent without the token header');
			if (flowerdocs.log.some((entry) => entry.path.endsWith('/'))) problems.push('a request path ends with a slash');
			return problems;
		},
	},

	// ─── Several products ───────────────────────────────────────────────────────────────────────
	ProvisionThree01: {
		nodes: [
			{ node: 'Create in Maarch Courrier', items: 2, json: [{ user_id: 'lgarnier', status: 'OK' }, { user_id: 'tmoreau', firstname: 'Théo' }] },
			{ node: 'Create in FlowerDocs', items: 2, json: [{ id: 'lgarnier', displayName: 'Louise Garnier' }, { id: 'tmoreau', profiles: ['AllUsers', 'eEnvelope'] }] },
			{
				node: 'Create in Trust and Sign',
				items: 2,
				json: [
					{ email: 'louise.garnier@mairie.example.fr', externalId: 'lgarnier', created: true },
					{ email: 'theo.moreau@mairie.example.fr', firstName: 'Théo', created: true },
				],
			},
		],
		state: ({ maarch, flowerdocs, namirial }) => {
			const problems: string[] = [];
			for (const [login, mail] of [
				['lgarnier', 'louise.garnier@mairie.example.fr'],
				['tmoreau', 'theo.moreau@mairie.example.fr'],
			]) {
				if (maarch.findByLogin(login)?.mail !== mail) problems.push(`${login} missing in Maarch Courrier`);
				if (flowerdocs.users.get(login)?.mail !== mail) problems.push(`${login} missing in FlowerDocs`);
				if (namirial.operators.get(mail)?.externalId !== login) problems.push(`${mail} missing in Trust and Sign`);
			}
			// Maarch Courrier: the user list once for the execution, then one request per creation, nothing read back.
			const maarchRequests = maarch.log.map((entry) => `${entry.method} ${entry.path}`);
			if (JSON.stringify(maarchRequests) !== JSON.stringify(['GET /rest/users', 'POST /rest/users', 'POST /rest/users'])) {
				problems.push(`Maarch Courrier requests: ${maarchRequests.join(', ')}; expected the user list, then one POST /rest/users per person`);
			}
			return problems;
		},
	},
};

/**
 * Whether `actual` contains everything in `expected` (objects by key, arrays by position and
 * length; a RegExp matches a string or a number).
 */
export function contains(actual: unknown, expected: unknown): boolean {
	if (expected instanceof RegExp) return (typeof actual === 'string' || typeof actual === 'number') && expected.test(String(actual));
	if (expected === null || typeof expected !== 'object') return actual === expected;
	if (Array.isArray(expected)) {
		return Array.isArray(actual) && expected.length === actual.length && expected.every((entry, index) => contains(actual[index], entry));
	}
	if (!actual || typeof actual !== 'object') return false;
	return Object.entries(expected).every(([key, value]) => contains((actual as Record<string, unknown>)[key], value));
}

/** An expected value as text, regular expressions included. */
export function describeExpected(expected: unknown): string {
	return JSON.stringify(expected, (_key, value: unknown) => (value instanceof RegExp ? value.toString() : value));
}
