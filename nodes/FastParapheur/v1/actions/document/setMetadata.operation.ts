import FormData from 'form-data';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { buildMetaDataListXml } from '../../../../shared/xml';
import { checkMetadataEntries } from '../../../helpers/circuit';
import type { FastClient } from '../../../transport';
import { documentIdProperty, getDocumentId } from '../common';
import { pathSegment } from '../../../../shared/path';

const properties: INodeProperties[] = [
	documentIdProperty,
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add metadata',
		default: {},
		required: true,
		description:
			"Name/value pairs, e.g. TEXT_001 = John. The names are the ones defined in the circuit's metadata step (only documents whose circuit has such a step accept metadata).",
		options: [
			{
				displayName: 'Entry',
				name: 'entry',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. TEXT_001' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['document'], operation: ['setMetadata'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FastClient): Promise<IDataObject> {
	const documentId = getDocumentId(this, itemIndex);
	const rows = ((this.getNodeParameter('metadata', itemIndex, {}) as IDataObject).entry ?? []) as IDataObject[];
	const entries = checkMetadataEntries(rows.map((row) => ({ name: row.name, value: row.value })));
	const xml = Buffer.from(buildMetaDataListXml(entries), 'utf8');
	const form = new FormData();
	form.append('metadata', xml, { filename: 'metadata.xml', contentType: 'application/xml', knownLength: xml.length });
	await client.text({
		method: 'PUT',
		path: `/documents/v2/${pathSegment(documentId, 'Document ID')}/metadata/define`,
		form,
		itemIndex,
		subject: { documentId, action: 'set the metadata' },
	});
	return { documentId, metadata: Object.fromEntries(entries.map((entry) => [entry.name, entry.value])) };
}
