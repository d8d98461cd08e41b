import type { INodeProperties } from 'n8n-workflow';

import type { OperationProperty } from '../../../../shared/dispatch';
import * as deleteDocument from './delete.operation';
import * as download from './download.operation';
import * as getCirculationSheet from './getCirculationSheet.operation';
import * as getHistory from './getHistory.operation';
import * as getOtpUrl from './getOtpUrl.operation';
import * as getRefusalMessage from './getRefusalMessage.operation';
import * as getResult from './getResult.operation';
import * as getStatus from './getStatus.operation';
import * as setMetadata from './setMetadata.operation';
import * as setOtpInformation from './setOtpInformation.operation';
import { withRegister } from './register';
import * as upload from './upload.operation';
import * as uploadOnDemand from './uploadOnDemand.operation';
import * as uploadOtp from './uploadOtp.operation';

export const operations = {
	upload: withRegister(upload),
	uploadOnDemand: withRegister(uploadOnDemand),
	uploadOtp: withRegister(uploadOtp),
	download,
	getCirculationSheet,
	getHistory,
	getStatus,
	getResult,
	setMetadata,
	setOtpInformation,
	getRefusalMessage,
	getOtpUrl,
	delete: deleteDocument,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['document'] } },
		options: [
			{ name: 'Delete', value: 'delete', action: 'Delete a document', description: 'Delete a document for good (only while prepared, refused or rejected)' },
			{ name: 'Download', value: 'download', action: 'Download a document', description: 'Download the document, optionally with its fiche de circulation and Hélios acknowledgement' },
			{ name: 'Get Circulation Sheet', value: 'getCirculationSheet', action: 'Get the circulation sheet of a document', description: 'Download the fiche de circulation (PDF)' },
			{ name: 'Get History', value: 'getHistory', action: 'Get the history of a document', description: 'The states the document went through, oldest first' },
			{ name: 'Get OTP URL', value: 'getOtpUrl', action: 'Get one signing link for OTP documents', description: 'One link and one SMS code to sign several OTP documents' },
			{ name: 'Get Refusal Message', value: 'getRefusalMessage', action: 'Get the refusal message of a document', description: 'The comment left by whoever refused the document (empty when there is none)' },
			{ name: 'Get Result', value: 'getResult', action: 'Get the result of a document', description: 'The signed file, the fiche de circulation, the history and the refusal message in one item' },
			{ name: 'Get Status', value: 'getStatus', action: 'Get the status of a document', description: 'The current state, raw and normalised, and whether it is final' },
			{ name: 'Set Metadata', value: 'setMetadata', action: 'Set the metadata of a document', description: 'Set metadata from name/value pairs' },
			{ name: 'Set OTP Information', value: 'setOtpInformation', action: 'Set the OTP information of a document', description: 'Set the external signers of the OTP steps' },
			{ name: 'Upload', value: 'upload', action: 'Upload a document to a circuit', description: 'Send a document into an existing circuit' },
			{ name: 'Upload On Demand', value: 'uploadOnDemand', action: 'Upload a document with its own circuit', description: 'Send a document with a circuit built here: visa, signature and OTP steps' },
			{ name: 'Upload OTP', value: 'uploadOtp', action: 'Upload a document to an OTP circuit', description: 'Send a document to be signed by SMS code; returns the signing link' },
		],
		default: 'upload',
	} satisfies OperationProperty<'document', keyof typeof operations>,
	...Object.values(operations).flatMap((operation) => operation.description),
];
