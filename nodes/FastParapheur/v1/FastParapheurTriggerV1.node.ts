import type {
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { optionSubtitle } from '../../shared/subtitle';
import { versionDescription } from '../../shared/versioned';
import { outputBinaryProperty, sirenProperty } from './actions/common';
import { NORMALISED_STATE_OPTIONS } from '../helpers/states';
import { credentialTest } from '../methods';
import { DEFAULT_INTERVAL_MINUTES, DEFAULT_MAX_PER_POLL } from './trigger/documents';
import { DEFAULT_REDELIVERY_HOURS } from './trigger/lists';
import { pollTrigger } from './trigger/poll';

const documentEvent = { show: { event: ['documentStateChanged'] } };
const listEvents = { show: { event: ['newAcknowledgement', 'newPesRetour', 'newChorus'] } };

/**
 * What the trigger watches. Each event has its own `action`: n8n would otherwise list it as
 * "On " + the name in lower case ("On new pes retour").
 */
const eventProperty: INodeProperties = {
	displayName: 'Event',
	name: 'event',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Document State Changed',
			value: 'documentStateChanged',
			action: 'On document state changed',
			description: 'A watched document has new history entries (visa, signature, refusal, classification...)',
		},
		{
			name: 'New Chorus File',
			value: 'newChorus',
			action: 'On new Chorus file',
			description: "A Chorus file appeared in the SIREN's list of files not yet fetched",
		},
		{
			name: 'New Hélios Acknowledgement',
			value: 'newAcknowledgement',
			action: 'On new Hélios acknowledgement',
			description: "An Hélios acknowledgement appeared in the SIREN's list of files not yet fetched",
		},
		{
			name: 'New PES Retour',
			value: 'newPesRetour',
			action: 'On new PES Retour',
			description: "A PES Retour appeared in the SIREN's list of files not yet fetched",
		},
	],
	default: 'documentStateChanged',
};

export class FastParapheurTriggerV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'FAST Parapheur Trigger',
		name: 'fastParapheurTrigger',
		icon: { light: 'file:../fastParapheur.svg', dark: 'file:../fastParapheur.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: optionSubtitle([eventProperty], 'event'),
		// n8n's node creator lists this trigger under FAST Parapheur, with this description for both
		// (generateMergedNodesAndActions: the merged entry takes the trigger's): it says what the
		// actions do, then what the trigger does.
		description:
			'Send documents through FAST Parapheur signature circuits and collect the results, or start a workflow when a document changes state or an Hélios, PES Retour or Chorus file arrives',
		documentationUrl: 'https://github.com/n8n-nodes-parapheur/n8n-nodes-parapheur#fast-parapheur-trigger-fastparapheurtrigger',
		defaults: { name: 'FAST Parapheur Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'fastParapheurApi', required: true, testedBy: 'fastParapheurApiTest' }],
		properties: [
			eventProperty,
			{
				displayName: 'Document IDs',
				name: 'documentIds',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				required: true,
				placeholder: 'e.g. 320073963, 320073964',
				description:
					'The documents to watch: the numbers FAST returned at upload, separated by commas, spaces or new lines. An expression may give a list.',
				displayOptions: documentEvent,
			},
			{
				displayName: 'States',
				name: 'states',
				type: 'multiOptions',
				options: NORMALISED_STATE_OPTIONS,
				default: [],
				description: 'Emit only history entries in these states. Empty: every entry.',
				displayOptions: documentEvent,
			},
			{
				...sirenProperty,
				displayOptions: listEvents,
			},
			{
				displayName: 'Download File',
				name: 'download',
				type: 'boolean',
				default: false,
				description:
					'Whether to put the file (binary) and its parsed XML into each item. Downloading takes the file off FAST\'s list of files not yet fetched, so it is not delivered again.',
				displayOptions: listEvents,
			},
			{
				...outputBinaryProperty,
				displayOptions: { show: { ...listEvents.show, download: [true] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				displayOptions: documentEvent,
				options: [
					{
						displayName: 'Entries Already There',
						name: 'existingEntries',
						type: 'options',
						options: [
							{ name: 'All Entries', value: 'all', description: 'Emit the whole history the first time a document is read' },
							{ name: 'Current State Only', value: 'latest', description: 'Emit only the latest entry the first time a document is read' },
							{ name: 'None', value: 'none', description: 'Emit only entries that appear after the first read' },
						],
						default: 'all',
						description: 'What to emit for the entries a document already has when the trigger reads it for the first time',
					},
					{
						displayName: 'Include Refusal Message',
						name: 'includeRefusalMessage',
						type: 'boolean',
						default: true,
						description: 'Whether to add the refusal comment to refusal entries (one more request per refused document)',
					},
					{
						displayName: 'Max Documents per Poll',
						name: 'maxDocumentsPerPoll',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_MAX_PER_POLL,
						description:
							'How many histories one poll reads at most. The other documents due wait for the next poll, the longest unread first, so a long list is spread over polls.',
					},
					{
						displayName: 'Minimum Interval per Document (Minutes)',
						name: 'minIntervalMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_INTERVAL_MINUTES,
						description:
							'How long to wait before reading the same document again. FAST asks for at least 30 minutes; a document is read at the first poll after that time.',
					},
					{
						displayName: 'Stop Watching Final Documents',
						name: 'stopWatchingFinal',
						type: 'boolean',
						default: true,
						description:
							"Whether to stop reading a document once its latest state is final (signed, refused, error, classified, archived, acknowledged by Hélios). Turn off to also receive 'Classé' or 'Archivé' after 'Signé' or 'Refusé'.",
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				displayOptions: listEvents,
				options: [
					{
						displayName: 'Redeliver After (Hours)',
						name: 'redeliveryHours',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_REDELIVERY_HOURS,
						description:
							'A file still waiting this long after it was delivered (the workflow did not fetch it) is delivered again, marked as a redelivery. 0: never again.',
					},
				],
			},
		],
	};

	constructor(baseDescription: INodeTypeBaseDescription) {
		// Only the name, default version and icon paths come from the node (see versionDescription);
		// the rest is version 1's own, frozen.
		this.description = versionDescription(this.description, baseDescription);
	}

	methods = { credentialTest };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollTrigger.call(this, Date.now());
	}
}
