/**
 * The "Return All" / "Limit" pair of every list operation, and applying it. The APIs behind them
 * are not paginated (they answer whole lists), so the limit is applied to the answer.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export const returnAllProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** The list, or its first `limit` entries unless Return All is on. */
export function applyReturnAll<T>(ctx: IExecuteFunctions, itemIndex: number, list: T[]): T[] {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return list;
	return list.slice(0, ctx.getNodeParameter('limit', itemIndex, 50) as number);
}
