import type {
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { optionSubtitle } from '../../shared/subtitle';
import { versionDescription } from '../../shared/versioned';
import { DEFAULT_REGISTER } from '../helpers/register';
import { credentialTest } from '../methods';
import { FastParapheurTriggerV1 } from '../v1/FastParapheurTriggerV1.node';
import { pollTrigger } from '../v1/trigger/poll';

/**
 * Version 2 of the trigger: version 1's events and fields, plus
 * - the "Registered Document State Changed" event, which watches the register of documents in
 *   circuits (an n8n Data Table the FAST Parapheur node fills, helpers/register.ts);
 * - the API page's rule for final states (helpers/states.ts, `classified`): `Signé` is no longer
 *   final, so that `signature rejetée` and `Classé` are delivered.
 * Built from version 1's description, which stays as it is for saved workflows.
 */
const REGISTER_EVENT = 'registeredDocumentStateChanged';
const registerEvent = { show: { event: [REGISTER_EVENT] } };

const registerEventOption: INodePropertyOptions = {
	name: 'Registered Document State Changed',
	value: REGISTER_EVENT,
	action: 'On registered document state changed',
	description:
		"A document of the register (an n8n Data Table the FAST Parapheur node fills when it uploads with 'Add to Register') has new history entries: no document ID to type. Needs n8n 2.x.",
};

const registerNameProperty: INodeProperties = {
	displayName: 'Register (Data Table Name)',
	name: 'registerName',
	type: 'string',
	default: DEFAULT_REGISTER,
	required: true,
	description:
		"The Data Table the FAST Parapheur node's uploads fill when 'Add to Register' is on (same name). Every document in it of this SIREN that is not final is watched; the trigger keeps its state columns current.",
	displayOptions: registerEvent,
};

/** The register event's options: those of Document State Changed that apply to it. */
function registerOptions(documentOptions: INodeProperties): INodeProperties {
	const kept = ((documentOptions.options ?? []) as INodeProperties[])
		.filter((option) => ['includeRefusalMessage', 'maxDocumentsPerPoll', 'minIntervalMinutes'].includes(option.name))
		.map((option) =>
			option.name === 'minIntervalMinutes'
				? {
						...option,
						description:
							"How long to wait before reading the same document again. FAST asks for at least 30 minutes; the register's lastReadAt column keeps the time of each read.",
					}
				: option,
		);
	return { ...documentOptions, displayOptions: registerEvent, options: kept };
}

const STOP_WATCHING_FINAL =
	"Whether to stop reading a document once its latest state is final (classified, archived, refused, signature rejected, error, acknowledged by Hélios, replaced), or has been 'Signé' for 7 days without a change. Turn off to also receive 'Archivé' after 'Classé' or 'Refusé'.";

function withEvents(property: INodeProperties, events: string[]): INodeProperties {
	return { ...property, displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, event: events } } };
}

/** Version 1's fields with version 2's additions. */
function properties(v1: readonly INodeProperties[]): INodeProperties[] {
	const result: INodeProperties[] = [];
	for (const original of v1) {
		const property = structuredClone(original);
		const events = (property.displayOptions?.show?.event ?? []) as string[];
		if (property.name === 'event') {
			property.options = [...(property.options as INodePropertyOptions[]), registerEventOption].sort((a, b) => a.name.localeCompare(b.name));
			result.push(property);
		} else if (property.name === 'documentIds') {
			result.push(property, registerNameProperty);
		} else if (property.name === 'states') {
			result.push(withEvents(property, [...events, REGISTER_EVENT]));
		} else if (property.name === 'siren') {
			result.push(withEvents(property, [...events, REGISTER_EVENT]));
		} else if (property.name === 'options' && events.includes('documentStateChanged')) {
			for (const option of (property.options ?? []) as INodeProperties[]) if (option.name === 'stopWatchingFinal') option.description = STOP_WATCHING_FINAL;
			result.push(property, registerOptions(property));
		} else {
			result.push(property);
		}
	}
	return result;
}

// eslint-disable-next-line @n8n/community-nodes/icon-validation -- the description is built in the constructor from version 1's, with the icons set there
export class FastParapheurTriggerV2 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		const v1 = new FastParapheurTriggerV1(baseDescription).description;
		const fields = properties(v1.properties);
		this.description = versionDescription(
			{
				...v1,
				icon: { light: 'file:../fastParapheur.svg', dark: 'file:../fastParapheur.dark.svg' },
				version: 2,
				subtitle: optionSubtitle(fields.filter((field) => field.name === 'event'), 'event'),
				credentials: [
					...(v1.credentials ?? []),
					// An API key of this n8n: the register is an n8n Data Table, which a polling trigger can
					// reach only through n8n's public API (helpers/register.ts).
					{ name: 'parapheurRegisterApi', required: true, testedBy: 'parapheurRegisterApiTest', displayOptions: registerEvent },
				],
				properties: fields,
			},
			baseDescription,
		);
	}

	methods = { credentialTest };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollTrigger.call(this, Date.now());
	}
}
