/**
 * What n8n's editor shows of each node, read from the descriptions the way the editor reads them
 * (n8n-editor-ui 1.123.81 and 2.41.1, the same code on both lines):
 *
 * - Actions in the node creator: an operation's `action`, or else `${resource.name}
 *   ${startCase(operation.name)}` (resourceCategories); an event's `action`, or else "On " +
 *   noCase(event name) (triggersCategory: "On new pes retour"). Every option therefore carries
 *   its own `action`, with the proper nouns written as they are.
 * - The subtitle under the node: the `subtitle` expression evaluated over the node's parameters
 *   (getNodeSubtitle). n8n's usual `$parameter["operation"] + ": " + $parameter["resource"]` shows
 *   raw values ("uploadOnDemand: document"); a subtitle shows display names only when the
 *   expression maps the values to them.
 * - An app with a trigger: generateMergedNodesAndActions merges `<name>Trigger` into `<name>` and
 *   gives the merged entry the trigger's description (`app.description = trigger.description`).
 * - The Docs link: `documentationUrl` as it is when it starts with http, or else the codex's
 *   primaryDocumentation with `?utm_...` appended after it, after a #fragment too (NodeDocsUrl).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type {
	ICredentialType,
	INode,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
	IVersionedNodeType,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { FastParapheurApi } from '../../credentials/FastParapheurApi.credentials';
import { FlowerDocsApi } from '../../credentials/FlowerDocsApi.credentials';
import { MaarchCourrierApi } from '../../credentials/MaarchCourrierApi.credentials';
import { NamirialTrustAndSignApi } from '../../credentials/NamirialTrustAndSignApi.credentials';
import { FastParapheur } from '../../nodes/FastParapheur/FastParapheur.node';
import { FastParapheurTrigger } from '../../nodes/FastParapheur/FastParapheurTrigger.node';
import { FlowerDocs } from '../../nodes/FlowerDocs/FlowerDocs.node';
import { MaarchCourrier } from '../../nodes/MaarchCourrier/MaarchCourrier.node';
import { NamirialTrustAndSign } from '../../nodes/NamirialTrustAndSign/NamirialTrustAndSign.node';
import { PACKAGE, nodeTypes } from '../harness';

const root = join(__dirname, '..', '..');

/** Each node with the codex file beside its entry file. */
const NODES: Array<{ node: IVersionedNodeType; codex: string }> = [
	{ node: new FastParapheur(), codex: 'nodes/FastParapheur/FastParapheur.node.json' },
	{ node: new FastParapheurTrigger(), codex: 'nodes/FastParapheur/FastParapheurTrigger.node.json' },
	{ node: new MaarchCourrier(), codex: 'nodes/MaarchCourrier/MaarchCourrier.node.json' },
	{ node: new NamirialTrustAndSign(), codex: 'nodes/NamirialTrustAndSign/NamirialTrustAndSign.node.json' },
	{ node: new FlowerDocs(), codex: 'nodes/FlowerDocs/FlowerDocs.node.json' },
];

const CREDENTIALS: ICredentialType[] = [new FastParapheurApi(), new MaarchCourrierApi(), new NamirialTrustAndSignApi(), new FlowerDocsApi()];

/**
 * The proper nouns and acronyms of the package's texts, each as it must be written. `pattern`
 * finds it whatever its case (and accents); a match that is not `written` is miscased.
 */
const PROPER_NOUNS: Array<{ written: string; pattern: RegExp }> = [
	{ written: 'FAST', pattern: /fast/iu },
	{ written: 'Parapheur', pattern: /parapheur/iu },
	{ written: 'Hélios', pattern: /h[eé]lios/iu },
	{ written: 'PES Retour', pattern: /pes\s+retour/iu },
	{ written: 'Chorus', pattern: /chorus/iu },
	{ written: 'Maarch', pattern: /maarch/iu },
	{ written: 'Courrier', pattern: /courrier/iu },
	{ written: 'Trust and Sign', pattern: /trust\s+and\s+sign/iu },
	{ written: 'FlowerDocs', pattern: /flower\s?docs/iu },
	{ written: 'Namirial', pattern: /namirial/iu },
	{ written: 'Docaposte', pattern: /docaposte/iu },
	{ written: 'SIREN', pattern: /siren/iu },
	{ written: 'OTP', pattern: /otp/iu },
	{ written: 'SMS', pattern: /sms/iu },
	{ written: 'CSV', pattern: /csv/iu },
	{ written: 'XML', pattern: /xml/iu },
	{ written: 'PDF', pattern: /pdf/iu },
	{ written: 'URL', pattern: /url/iu },
	{ written: 'ID', pattern: /id/iu },
];

/** The proper nouns a text writes in another case ("hélios", "pES Retour", "chorus"). */
function miscasedNouns(text: string): string[] {
	const found: string[] = [];
	for (const { written, pattern } of PROPER_NOUNS) {
		// Whole words, or their plural ("id" is not in "provide"); \b does not know accented letters.
		const word = new RegExp(`(?<![\\p{L}\\p{N}])${pattern.source}(?=s?(?![\\p{L}\\p{N}]))`, 'giu');
		for (const [match] of text.matchAll(word)) if (match !== written) found.push(`"${match}" (${written})`);
	}
	return found;
}

const options = (property: INodeProperties) => (property.options ?? []) as INodePropertyOptions[];

/** Every version's description, named for the messages ("fastParapheur v1"). */
const versions: Array<[string, INodeTypeDescription]> = NODES.flatMap(({ node }) =>
	Object.entries(node.nodeVersions).map(([version, type]) => [`${node.description.name} v${version}`, type.description] as [string, INodeTypeDescription]),
);

/** What n8n lists as actions: the options of the Operation fields, and of a trigger's Event field. */
function actionOptions(description: INodeTypeDescription): INodePropertyOptions[] {
	return description.properties
		.filter((property) => property.name === 'operation' || (description.group.includes('trigger') && property.name === 'event'))
		.flatMap(options);
}

describe('the node creator', () => {
	test.each(versions)('%s: every operation and event has its own action text', (_name, description) => {
		const actions = actionOptions(description);
		expect(actions.length).toBeGreaterThan(0);
		expect(actions.filter((option) => !option.action).map((option) => option.value)).toEqual([]);
	});

	test.each(versions)('%s: action texts, option names and descriptions write proper nouns as they are', (_name, description) => {
		const texts = [
			description.displayName,
			description.description,
			...description.properties
				.filter((property) => ['resource', 'operation', 'event'].includes(property.name))
				.flatMap(options)
				.flatMap((option) => [option.name, option.action ?? '', option.description ?? '']),
		];
		expect(texts.flatMap((text) => miscasedNouns(text).map((noun) => `${noun} in "${text}"`))).toEqual([]);
	});

	test('action texts are sentence-cased the way n8n writes them, but for proper nouns', () => {
		const allowed = new Set(PROPER_NOUNS.flatMap(({ written }) => written.split(' ')));
		const isAllowed = (word: string) => allowed.has(word) || (word.endsWith('s') && allowed.has(word.slice(0, -1)));
		const offenders: string[] = [];
		for (const [name, description] of versions) {
			for (const { action } of actionOptions(description)) {
				if (action === undefined) continue; // the test above names it
				if (action.charAt(0) !== action.charAt(0).toUpperCase()) offenders.push(`${name}: "${action}" starts in lower case`);
				// Every capitalised word after the first is a proper noun or an acronym.
				const words = action.split(/\s+/).slice(1).map((word) => word.replace(/[^\p{L}]+$/u, ''));
				for (const word of words) if (/^\p{Lu}/u.test(word) && !isAllowed(word)) offenders.push(`${name}: "${word}" in "${action}"`);
			}
		}
		expect(offenders).toEqual([]);
	});

	test('the guard itself sees the texts of issue 16', () => {
		expect(miscasedNouns('Download a hélios acknowledgement')).toEqual(['"hélios" (Hélios)']);
		expect(miscasedNouns('List remaining pES Retours')).toEqual(['"pES Retour" (PES Retour)']);
		expect(miscasedNouns('Download a chorus file')).toEqual(['"chorus" (Chorus)']);
		expect(miscasedNouns('Upload a document to an OTP circuit, by ID, as a PDF')).toEqual([]);
		expect(miscasedNouns('Provide the identifier quickly')).toEqual([]);
	});

	test("the FAST Parapheur entry, which n8n gives its trigger's description, says what its actions do", () => {
		// generateMergedNodesAndActions: a trigger `<name>Trigger` whose `<name>` has actions is
		// listed under `<name>`, with the trigger's description.
		const latest = (node: IVersionedNodeType) => node.nodeVersions[node.currentVersion].description;
		const merged = NODES.map(({ node }) => latest(node)).filter((trigger) => trigger.group.includes('trigger'));
		expect(merged.length).toBeGreaterThan(0);
		for (const trigger of merged) {
			const app = NODES.map(({ node }) => latest(node)).find((node) => node.name === trigger.name.replace('Trigger', ''));
			if (!app) continue;
			expect(trigger.description.startsWith(app.description)).toBe(true);
			expect(trigger.description).not.toMatch(/^Starts the workflow/);
		}
	});
});

/** The subtitle as n8n's editor renders it for a node with these parameters. */
function renderSubtitle(name: string, version: number, subtitle: string, parameters: INodeParameters): unknown {
	const node: INode = { id: 'node', name: 'Node', type: `${PACKAGE}.${name}`, typeVersion: version, position: [0, 0], parameters };
	const workflow = new Workflow({ id: 'subtitle', nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, subtitle, 'internal', {});
}

/** Each value combination of the fields a subtitle shows, with the text it must show. */
function expectedSubtitles(description: INodeTypeDescription): Array<{ parameters: INodeParameters; shown: string }> {
	const resource = description.properties.find((property) => property.name === 'resource');
	if (resource) {
		return options(resource).flatMap((resourceOption) =>
			description.properties
				.filter((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resourceOption.value))
				.flatMap(options)
				.map((operation) => ({
					parameters: { resource: resourceOption.value, operation: operation.value },
					shown: `${operation.name}: ${resourceOption.name}`,
				})),
		);
	}
	const event = description.properties.find((property) => property.name === 'event');
	return options(event!).map((option) => ({ parameters: { event: option.value }, shown: option.name }));
}

describe('the subtitle', () => {
	test.each(versions)('%s: shows display names, never raw values', (_name, description) => {
		expect(description.subtitle).toBeDefined();
		const combinations = expectedSubtitles(description);
		expect(combinations.length).toBeGreaterThan(0);
		for (const { parameters, shown } of combinations) {
			const rendered = renderSubtitle(description.name, Number(description.version), description.subtitle!, parameters);
			expect({ parameters, rendered }).toEqual({ parameters, rendered: shown });
		}
	});

	test("the node's own description shows the same subtitle as its default version", () => {
		for (const { node } of NODES) {
			expect(node.description.subtitle).toBe(node.nodeVersions[node.currentVersion].description.subtitle);
		}
	});
});

/** The anchors GitHub gives the README's headings (github-slugger: lower case, punctuation dropped). */
function readmeAnchors(): string[] {
	const seen = new Map<string, number>();
	return readFileSync(join(root, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6}\s/.test(line))
		.map((line) => {
			const slug = line
				.replace(/^#+\s+/, '')
				.trim()
				.toLowerCase()
				.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
				.replace(/ /g, '-');
			const count = seen.get(slug) ?? 0;
			seen.set(slug, count + 1);
			return count === 0 ? slug : `${slug}-${count}`;
		});
}

const codexOf = (file: string) =>
	JSON.parse(readFileSync(join(root, file), 'utf8')) as {
		resources: { primaryDocumentation: Array<{ url: string }>; credentialDocumentation: Array<{ url: string }> };
	};

describe('the Docs links', () => {
	const anchors = readmeAnchors();

	test('the guard itself knows how GitHub names a heading', () => {
		expect(anchors).toContain('fast-parapheur-fastparapheur');
		expect(anchors).toContain('fast-parapheur-api');
	});

	test.each(versions)("%s: the node's Docs link is n8n's as it is, on the node's section of the README", (_name, description) => {
		// documentationUrl starting with http is used as it is: no `?utm_...` after the #fragment.
		const url = new URL(description.documentationUrl ?? '');
		expect(url.protocol).toBe('https:');
		expect(anchors).toContain(url.hash.slice(1));
	});

	test.each(NODES.map(({ node, codex }) => [node.description.name, node, codex] as const))(
		'%s: the codex names the same pages as the node and its credential',
		(_name, node, codex) => {
			const { resources } = codexOf(codex);
			const description = node.nodeVersions[node.currentVersion].description;
			expect(resources.primaryDocumentation.map(({ url }) => url)).toEqual([description.documentationUrl]);
			const credentialUrls = (description.credentials ?? []).map(({ name }) => CREDENTIALS.find((credential) => credential.name === name)?.documentationUrl);
			expect(resources.credentialDocumentation.map(({ url }) => url)).toEqual(credentialUrls);
		},
	);

	test.each(CREDENTIALS.map((credential) => [credential.name, credential] as const))(
		"%s: the credential's Docs link lands on its section of the README",
		(_name, credential) => {
			const url = new URL(credential.documentationUrl ?? '');
			expect(url.protocol).toBe('https:');
			expect(anchors).toContain(url.hash.slice(1));
		},
	);
});
