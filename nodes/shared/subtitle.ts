/**
 * The subtitle n8n shows under a node, in display names ("Upload On Demand: Document",
 * "New PES Retour") rather than the raw values that n8n's usual
 * `$parameter["operation"] + ": " + $parameter["resource"]` shows ("uploadOnDemand: document").
 *
 * n8n's editor evaluates the subtitle as an expression over the node's parameters alone
 * (getNodeSubtitle, n8n 1.x and 2.x): the display names cannot be looked up there, so they travel
 * in the expression as a table, the way n8n's JWT node writes its prettifyOperation into its
 * subtitle. The table is built from the fields themselves, so a new option is named as it is.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

const optionsOf = (property: INodeProperties | undefined) => (property?.options ?? []) as INodePropertyOptions[];

/** `={{ ({table})[key] }}`, refusing a table that would end the expression early. */
function lookup(table: Record<string, string>, key: string): string {
	const json = JSON.stringify(table);
	if (json.includes('}}') || json.includes('{{')) throw new Error(`A display name holds "{{" or "}}": ${json}`);
	return `={{ (${json})[${key}] }}`;
}

/** "<Operation>: <Resource>" in display names, for a node with Resource and Operation fields. */
export function operationSubtitle(properties: readonly INodeProperties[]): string {
	const resource = properties.find((property) => property.name === 'resource');
	const operations = properties.filter((property) => property.name === 'operation');
	const table: Record<string, string> = {};
	for (const resourceOption of optionsOf(resource)) {
		for (const operation of operations.filter((property) => property.displayOptions?.show?.resource?.includes(resourceOption.value))) {
			for (const option of optionsOf(operation)) table[`${resourceOption.value}:${option.value}`] = `${option.name}: ${resourceOption.name}`;
		}
	}
	return lookup(table, '$parameter["resource"] + ":" + $parameter["operation"]');
}

/** The display name of one options field's value (a trigger's Event). */
export function optionSubtitle(properties: readonly INodeProperties[], name: string): string {
	const table = Object.fromEntries(optionsOf(properties.find((property) => property.name === name)).map((option) => [String(option.value), option.name]));
	return lookup(table, `$parameter[${JSON.stringify(name)}]`);
}
