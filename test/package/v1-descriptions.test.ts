/**
 * Version 1 of every node is frozen. n8n saves only the parameters that differ from their
 * defaults, so a saved workflow reads every other value from the description of the version it
 * was built with: a default, an option value or a condition that changes there changes that
 * workflow. Shared property factories (Request Options, Return All / Limit, SIREN...) reach v1
 * too, so this test compares each v1 description's parameters (name, type, default, option
 * values, display conditions, nested fields) with the snapshot committed beside it,
 * v1-descriptions.json.
 *
 * When it fails: put the change in a new version of the node (`v2/`) instead. Only a change that
 * no saved v1 workflow can notice (a new optional field or option whose default keeps today's
 * behaviour, a reworded label) may be written into the snapshot:
 * `V1_SNAPSHOT=write npx jest test/package/v1-descriptions.test.ts`, and the diff reviewed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDisplayOptions, INodeProperties, INodePropertyCollection, INodePropertyOptions, IVersionedNodeType } from 'n8n-workflow';

import { FastParapheur } from '../../nodes/FastParapheur/FastParapheur.node';
import { FastParapheurTrigger } from '../../nodes/FastParapheur/FastParapheurTrigger.node';
import { FlowerDocs } from '../../nodes/FlowerDocs/FlowerDocs.node';
import { MaarchCourrier } from '../../nodes/MaarchCourrier/MaarchCourrier.node';
import { NamirialTrustAndSign } from '../../nodes/NamirialTrustAndSign/NamirialTrustAndSign.node';

const SNAPSHOT = join(__dirname, 'v1-descriptions.json');

interface Parameter {
	name: string;
	type?: string;
	default?: unknown;
	/** The values an options field accepts. */
	values?: unknown[];
	show?: IDisplayOptions['show'];
	hide?: IDisplayOptions['hide'];
	/** The fields of a collection, or the groups of a fixed collection. */
	fields?: Parameter[];
}

type Entry = INodeProperties | INodePropertyOptions | INodePropertyCollection;

function isProperty(entry: Entry): entry is INodeProperties {
	return 'type' in entry && 'default' in entry;
}

function isGroup(entry: Entry): entry is INodePropertyCollection {
	return 'values' in entry && Array.isArray(entry.values);
}

function parameters(properties: readonly INodeProperties[]): Parameter[] {
	return properties.map((property) => {
		const parameter: Parameter = { name: property.name, type: property.type, default: property.default };
		if (property.displayOptions?.show) parameter.show = property.displayOptions.show;
		if (property.displayOptions?.hide) parameter.hide = property.displayOptions.hide;
		const options = (property.options ?? []) as Entry[];
		if (property.type === 'options' || property.type === 'multiOptions') {
			parameter.values = options.map((option) => (option as INodePropertyOptions).value);
		} else if (property.type === 'collection') {
			parameter.fields = parameters(options.filter(isProperty));
		} else if (property.type === 'fixedCollection') {
			parameter.fields = options.filter(isGroup).map((group) => ({ name: group.name, fields: parameters(group.values) }));
		}
		return parameter;
	});
}

const nodes: IVersionedNodeType[] = [new FastParapheur(), new FastParapheurTrigger(), new MaarchCourrier(), new NamirialTrustAndSign(), new FlowerDocs()];

function describeV1(node: IVersionedNodeType) {
	const { description } = node.nodeVersions[1];
	return {
		version: description.version,
		credentials: (description.credentials ?? []).map((credential) => credential.name),
		parameters: parameters(description.properties),
	};
}

const current = Object.fromEntries(nodes.map((node) => [node.description.name, describeV1(node)]));

/** JSON with one line per parameter (its nested fields below it), so that a diff names the field. */
function snapshotText(snapshot: typeof current): string {
	const lines = (list: Parameter[], indent: string): string => {
		const rendered = list.map(({ fields, ...rest }) => {
			const head = JSON.stringify(rest);
			if (!fields) return `${indent}${head}`;
			return `${indent}${head.slice(0, -1)}, "fields": [\n${lines(fields, `${indent}\t`)}\n${indent}]}`;
		});
		return rendered.join(',\n');
	};
	const nodeTexts = Object.entries(snapshot).map(
		([name, { parameters: list, ...head }]) =>
			`\t${JSON.stringify(name)}: ${JSON.stringify(head).slice(0, -1)}, "parameters": [\n${lines(list, '\t\t')}\n\t]}`,
	);
	return `{\n${nodeTexts.join(',\n')}\n}\n`;
}

if (process.env.V1_SNAPSHOT === 'write') writeFileSync(SNAPSHOT, snapshotText(current));

const frozen = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as typeof current;

describe('version 1 of each node is frozen', () => {
	test('the snapshot covers every node', () => {
		expect(Object.keys(frozen).sort()).toEqual(Object.keys(current).sort());
	});

	test.each(Object.keys(current))('%s v1: every parameter, default, option value and condition as committed', (name) => {
		expect(current[name]).toEqual(frozen[name]);
	});
});

describe('the guard itself', () => {
	test('sees a default changed deep inside a shared collection', () => {
		const node = new MaarchCourrier();
		const requestOptions = node.nodeVersions[1].description.properties.find((property) => property.name === 'requestOptions')!;
		const timeout = (requestOptions.options as INodeProperties[]).find((option) => option.name === 'timeout')!;
		const copy = { ...timeout, default: 60 };
		requestOptions.options = (requestOptions.options as INodeProperties[]).map((option) => (option === timeout ? copy : option));
		expect(describeV1(node)).not.toEqual(frozen.maarchCourrier);
	});

	test('sees an option value removed and a field shown for another operation', () => {
		const node = new FlowerDocs();
		const operation = node.nodeVersions[1].description.properties.find((property) => property.name === 'operation')!;
		operation.options = (operation.options as INodePropertyOptions[]).filter((option) => option.value !== 'search');
		expect(describeV1(node)).not.toEqual(frozen.flowerDocs);

		const other = new FlowerDocs();
		const shown = other.nodeVersions[1].description.properties.find((property) => property.displayOptions?.show?.operation)!;
		shown.displayOptions = { show: { ...shown.displayOptions!.show, operation: ['delete'] } };
		expect(describeV1(other)).not.toEqual(frozen.flowerDocs);
	});
});
