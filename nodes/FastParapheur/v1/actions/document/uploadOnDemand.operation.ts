import FormData from 'form-data';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiError } from '../../../../shared/errors';
import type { FileFormat } from '../../../../shared/files';
import { appendFile, fileSourceProperties, inputFile } from '../../../../shared/files';
import { checkEmailList, checkText, InputError } from '../../../../shared/validation';
import type { CircuitType } from '../../../helpers/circuit';
import { CIRCUIT_TYPE_OPTIONS, STEP_TYPE_OPTIONS, checkSignerCountMatches, otpStepCount, validateCircuit, withOtpMembers } from '../../../helpers/circuit';
import type { FastUploadForm } from '../../../helpers/uploadForm';
import { UPLOAD_FORM_NAMES, UPLOAD_FORMS } from '../../../helpers/uploadForm';
import type { FastClient } from '../../../transport';
import { annexesOption, circuitLocator, commentOption, getSiren, optionalText, recipientsOption, sirenProperty } from '../common';
import { getOtpSigners, otpSignersProperty, sendOtpInformation } from './otp';
import { annexFiles } from './upload.operation';
import { pathSegment } from '../../../../shared/path';

const properties: INodeProperties[] = [
	sirenProperty,
	...fileSourceProperties({ what: 'document' }),
	{
		...circuitLocator,
		required: false,
		description:
			"Optional: the FAST circuit the document is filed under, sent as circuit_id. FAST's clients leave it out; FAST's API page marks it mandatory, so the credential's Upload Form 'As the API Page Says (doc)' needs it. Empty: not sent.",
	},
	{
		displayName: 'Circuit Type',
		name: 'circuitType',
		type: 'options',
		options: CIRCUIT_TYPE_OPTIONS,
		default: 'BUREAUTIQUE_PDF',
		description: 'How the document is signed',
	},
	{
		displayName: 'Steps',
		name: 'steps',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add step',
		default: {},
		required: true,
		description: 'The steps of the circuit, in order. The account of the certificate (the depositor) cannot be a member.',
		options: [
			{
				displayName: 'Step',
				name: 'step',
				values: [
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: STEP_TYPE_OPTIONS,
						default: 'signature',
					},
					{
						displayName: 'Member Names or IDs',
						name: 'members',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getUsers', loadOptionsDependsOn: ['siren'] },
						default: [],
						hint: 'FAST users of the SIREN who act at this step. By expression: their e-mails, as a list or separated by commas. Empty for an OTP Signature step: the OTP signer\'s e-mail is used.',
						description:
							'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
				],
			},
		],
	},
	{
		...otpSignersProperty,
		description:
			'Needed when the circuit has OTP Signature steps: one signer per OTP step, in the same order. Sent to FAST after the upload.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Agents',
				name: 'agents',
				type: 'string',
				default: '',
				placeholder: 'e.g. secretariat@mairie.example.fr',
				description: 'E-mails of users who may follow and move the document along but neither sign nor approve it, separated by commas',
			},
			annexesOption('Input binary fields holding annexes, separated by commas. Every member can read them.'),
			{
				displayName: 'CC',
				name: 'cc',
				type: 'string',
				default: '',
				description: 'E-mails copied on the message with the signed document, separated by commas',
			},
			commentOption,
			recipientsOption,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['document'], operation: ['uploadOnDemand'] } }, properties);

/**
 * The format a circuit type signs, checked on the file's first bytes before the upload: PAdES
 * (BUREAUTIQUE_PDF) signs inside a PDF, and a PES (the Hélios types) is an XML file. A detached
 * XAdES signature (BUREAUTIQUE_XML) is a separate file and can sign any content, so that type
 * implies no format here: FAST's circuit settings decide which files it takes.
 */
export const CIRCUIT_TYPE_FORMATS: Partial<Record<CircuitType, FileFormat>> = {
	BUREAUTIQUE_PDF: 'pdf',
	HELIOS_AVEC_TELETRANSMISSION: 'xml',
	HELIOS_SANS_TELETRANSMISSION: 'xml',
};

/**
 * The optional circuit of an on-demand upload (`circuit_id`), checked; required by the page's
 * upload form, which marks it mandatory.
 */
function getOnDemandCircuitId(ctx: IExecuteFunctions, itemIndex: number, uploadForm: FastUploadForm): string {
	const value = ctx.getNodeParameter('circuitId', itemIndex, '', { extractValue: true });
	const circuitId = checkText(value, { field: 'Circuit', max: 255 });
	if (!circuitId && UPLOAD_FORMS[uploadForm].circuitIdRequired) {
		throw new InputError(
			`'Circuit' is required: the credential's Upload Form is '${UPLOAD_FORM_NAMES[uploadForm]}', and FAST's API page marks circuit_id mandatory on the on-demand upload`,
			`Give the circuit the document is filed under, or set the credential's Upload Form to '${UPLOAD_FORM_NAMES.clients}' for a FAST server that takes uploads without it.`,
		);
	}
	return circuitId;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject> {
	const siren = getSiren(this, itemIndex, client);
	const uploadForm = client.uploadForm;
	const circuitId = getOnDemandCircuitId(this, itemIndex, uploadForm);
	const stepRows = ((this.getNodeParameter('steps', itemIndex, {}) as IDataObject).step ?? []) as IDataObject[];
	const checked = validateCircuit(
		{
			type: this.getNodeParameter('circuitType', itemIndex, ''),
			steps: stepRows.map((row) => ({ step: row.type, members: row.members })),
		},
		{ depositorEmail: client.depositorEmail },
	);
	const signers = getOtpSigners(this, itemIndex);
	const otpSteps = otpStepCount(checked);
	if (otpSteps > 0) checkSignerCountMatches(checked, signers);
	else if (signers.length > 0) {
		throw new InputError("'OTP Signers' are given but the circuit has no OTP Signature step", 'Remove the OTP signers, or add an OTP Signature step.');
	}
	const circuit = withOtpMembers(checked, signers);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const comment = optionalText(options, 'comment', 'Comment');
	const recipients = checkEmailList(options.recipients, 'Recipients', { max: 255 });
	const cc = checkEmailList(options.cc, 'CC', { max: 255 });
	const agents = checkEmailList(options.agents, 'Agents', { max: 255 });
	const annexes = await annexFiles(this, itemIndex, options.annexes);
	const format = CIRCUIT_TYPE_FORMATS[checked.type];
	const document = await inputFile(this, itemIndex, {
		format,
		reason: format ? `the circuit type ${checked.type} signs ${format === 'pdf' ? 'PDF files' : 'PES files, which are XML'}` : undefined,
	});

	// Field notes: file part `doc`; `circuit` is a text field holding JSON; `annexes` repeated;
	// lower-case `email_cc` and no `circuit_id` as real clients send them. The page's form
	// (credential's 'Upload Form') writes `email_CC` and needs `circuit_id`.
	const names = UPLOAD_FORMS[uploadForm];
	const form = new FormData();
	if (circuitId) form.append('circuit_id', circuitId);
	appendFile(form, names.file, document);
	form.append('circuit', JSON.stringify(circuit));
	for (const annex of annexes) appendFile(form, 'annexes', annex);
	if (comment) form.append('comment', comment);
	if (recipients.length > 0) form.append('email_destinataire', recipients.join(','));
	if (cc.length > 0) form.append(names.cc, cc.join(','));
	if (agents.length > 0) form.append('agents', agents.join(','));

	const { id } = await client.documentId({
		method: 'POST',
		path: `/documents/ondemand/${pathSegment(siren, 'SIREN')}/upload`,
		form,
		itemIndex,
		subject: { siren, circuitId: circuitId || undefined, fileName: document.fileName, action: 'upload the document with its circuit', uploadForm },
	});
	if (otpSteps > 0) {
		const failure = await sendOtpInformation(client, id, signers, itemIndex).then(
			() => undefined,
			(error: Error & { description?: string | null; httpCode?: string | null }) => error,
		);
		if (failure) {
			// The document exists: say so, so that nobody uploads it twice.
			throw apiError(
				this.getNode(),
				{
					message: `The document was uploaded (ID ${id}) but its OTP information was not set: ${failure.message}`,
					description: [`Run Set OTP Information for document ${id} rather than uploading it again.`, failure.description].filter(Boolean).join(' '),
				},
				// The HTTP status of the failed request, as every FAST error has it.
				{ itemIndex, httpCode: failure.httpCode ? Number(failure.httpCode) : undefined, secrets: client.secrets },
			);
		}
	}
	return {
		documentId: id,
		siren,
		...(circuitId ? { circuitId } : {}),
		fileName: document.fileName,
		circuit: circuit as unknown as IDataObject,
		annexes: annexes.map((file) => file.fileName),
		otpInformationSent: otpSteps > 0,
		link: client.documentLink(id),
	};
}
