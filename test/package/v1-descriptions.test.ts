/**
 * Version 1 of every node is frozen. n8n saves only the parameters that differ from their
 * defaults, so a saved workflow reads every other value from the description of the version it
 * was built with: a default, an option value or a condition that changes there changes that
 * workflow. Shared property factories (Request Options, Return All / Limit, SIREN...) reach v1
 * too, so this test compares each v1 description with the snapshot committed beside it,
 * v1-descriptions.json: the node's version, defaults, inputs and outputs, credentials (name,
 * required, testedBy), usableAsTool and polling, and each parameter's name, type, default,
 * required, option values, display conditions, resource-locator modes (name and type), nested
 * fields, and the typeOptions that shape the saved value or what it means (multipleValues,
 * minValue / maxValue, load options...: every one but the cosmetic ones of COSMETIC_TYPE_OPTIONS).
 *
 * When it fails: put the change in a new version of the node (`v2/`) instead. Only a change that
 * no saved v1 workflow can notice (a new optional field or option whose default keeps today's
 * behaviour, a reworded label) may be written into the snapshot:
 * `V1_SNAPSHOT=write npx jest test/package/v1-descriptions.test.ts`, and the diff reviewed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type {
	IDisplayOptions,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
	IVersionedNodeType,
} from 'n8n-workflow';

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
	required?: true;
	/** The typeOptions but the cosmetic ones. */
	typeOptions?: Record<string, unknown>;
	/** A resource locator's modes: the `mode` a saved value names, and how its value is entered. */
	modes?: Array<{ name: string; type: string }>;
	/** The fields of a collection, or the groups of a fixed collection. */
	fields?: Parameter[];
}

/**
 * typeOptions that change only how the editor shows a field, never the value saved nor what it
 * means. Every other one is frozen (multipleValues turns the value into a list, minValue /
 * maxValue / numberPrecision bound it, loadOptionsMethod / loadOptionsDependsOn give its values).
 */
const COSMETIC_TYPE_OPTIONS = new Set(['rows', 'password', 'multipleValueButtonText', 'sortable', 'alwaysOpenEditWindow', 'editorIsReadOnly']);

function frozenTypeOptions(property: INodeProperties): Record<string, unknown> | undefined {
	const kept = Object.entries(property.typeOptions ?? {}).filter(([key]) => !COSMETIC_TYPE_OPTIONS.has(key));
	return kept.length > 0 ? Object.fromEntries(kept) : undefined;
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
		if (property.required) parameter.required = true;
		const typeOptions = frozenTypeOptions(property);
		if (typeOptions) parameter.typeOptions = typeOptions;
		if (property.modes) parameter.modes = property.modes.map(({ name, type }) => ({ name, type }));
		return parameter;
	});
}

const nodes: IVersionedNodeType[] = [new FastParapheur(), new FastParapheurTrigger(), new MaarchCourrier(), new NamirialTrustAndSign(), new FlowerDocs()];

function describeV1(node: IVersionedNodeType) {
	const { description } = node.nodeVersions[1];
	return {
		version: description.version,
		defaults: description.defaults,
		inputs: description.inputs,
		outputs: description.outputs,
		credentials: (description.credentials ?? []).map(({ name, required, testedBy }) => ({ name, required, testedBy })),
		usableAsTool: description.usableAsTool ?? false,
		polling: description.polling ?? false,
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

	test.each(Object.keys(current))('%s v1: the node, and every parameter, default, option value and condition, as committed', (name) => {
		expect(current[name]).toEqual(frozen[name]);
	});
});

describe('the guard itself', () => {
	/**
	 * A node whose v1 description is its own deep copy: the shared property objects (Request
	 * Options, SIREN...) stay untouched for the other nodes and tests.
	 */
	function editable(Node: new () => IVersionedNodeType): { node: IVersionedNodeType; description: INodeTypeDescription } {
		const node = new Node();
		const description = structuredClone(node.nodeVersions[1].description);
		node.nodeVersions[1].description = description;
		return { node, description };
	}

	const find = (description: INodeTypeDescription, test: (property: INodeProperties) => boolean) => description.properties.find(test)!;

	test('sees a default changed deep inside a shared collection', () => {
		const { node, description } = editable(MaarchCourrier);
		const requestOptions = find(description, (property) => property.name === 'requestOptions');
		(requestOptions.options as INodeProperties[]).find((option) => option.name === 'timeout')!.default = 60;
		expect(describeV1(node)).not.toEqual(frozen.maarchCourrier);
		expect(describeV1(new MaarchCourrier())).toEqual(frozen.maarchCourrier);
	});

	test('sees an option value removed and a field shown for another operation', () => {
		const removed = editable(FlowerDocs);
		const operation = find(removed.description, (property) => property.name === 'operation');
		operation.options = (operation.options as INodePropertyOptions[]).filter((option) => option.value !== 'search');
		expect(describeV1(removed.node)).not.toEqual(frozen.flowerDocs);

		const moved = editable(FlowerDocs);
		const shown = find(moved.description, (property) => property.displayOptions?.show?.operation !== undefined);
		shown.displayOptions = { show: { ...shown.displayOptions!.show, operation: ['delete'] } };
		expect(describeV1(moved.node)).not.toEqual(frozen.flowerDocs);
	});

	test('sees multipleValues, minValue, required and a resource-locator mode changed', () => {
		const single = editable(FastParapheur);
		find(single.description, (property) => property.typeOptions?.multipleValues === true).typeOptions!.multipleValues = false;
		expect(describeV1(single.node)).not.toEqual(frozen.fastParapheur);

		const bounded = editable(FastParapheur);
		const requestOptions = find(bounded.description, (property) => property.name === 'requestOptions');
		(requestOptions.options as INodeProperties[]).find((option) => option.name === 'timeout')!.typeOptions = { minValue: 5 };
		expect(describeV1(bounded.node)).not.toEqual(frozen.fastParapheur);

		const optional = editable(MaarchCourrier);
		find(optional.description, (property) => property.required === true).required = false;
		expect(describeV1(optional.node)).not.toEqual(frozen.maarchCourrier);

		const renamed = editable(MaarchCourrier);
		const locator = find(renamed.description, (property) => property.type === 'resourceLocator');
		locator.modes = locator.modes!.map((mode) => (mode.name === 'login' ? { ...mode, name: 'username' } : mode));
		expect(describeV1(renamed.node)).not.toEqual(frozen.maarchCourrier);

		const retyped = editable(MaarchCourrier);
		const other = find(retyped.description, (property) => property.type === 'resourceLocator');
		other.modes = other.modes!.map((mode) => (mode.name === 'id' ? { ...mode, type: 'list' as const } : mode));
		expect(describeV1(retyped.node)).not.toEqual(frozen.maarchCourrier);
	});

	test("sees the node's credentials, defaults, outputs, usableAsTool and polling changed", () => {
		const change = (edit: (description: INodeTypeDescription) => void) => {
			const { node, description } = editable(FastParapheurTrigger);
			edit(description);
			return describeV1(node);
		};
		expect(change(() => undefined)).toEqual(frozen.fastParapheurTrigger);
		expect(change((d) => (d.credentials![0].testedBy = 'otherTest'))).not.toEqual(frozen.fastParapheurTrigger);
		expect(change((d) => (d.credentials![0].required = false))).not.toEqual(frozen.fastParapheurTrigger);
		expect(change((d) => (d.defaults = { name: 'FAST Trigger' }))).not.toEqual(frozen.fastParapheurTrigger);
		expect(change((d) => (d.outputs = ['main', 'main'] as INodeTypeDescription['outputs']))).not.toEqual(frozen.fastParapheurTrigger);
		expect(change((d) => (d.usableAsTool = true))).not.toEqual(frozen.fastParapheurTrigger);
		expect(change((d) => (d.polling = undefined))).not.toEqual(frozen.fastParapheurTrigger);
		expect(change((d) => (d.version = 2))).not.toEqual(frozen.fastParapheurTrigger);
	});

	test('leaves out the cosmetic typeOptions', () => {
		const { node, description } = editable(FastParapheurTrigger);
		find(description, (property) => property.typeOptions?.rows !== undefined).typeOptions!.rows = 8;
		expect(describeV1(node)).toEqual(frozen.fastParapheurTrigger);
	});
});
