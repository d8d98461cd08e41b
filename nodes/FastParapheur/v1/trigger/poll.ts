/** The trigger's poll: reads and checks the parameters, then hands over to the event's module. */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { toNodeError } from '../../../shared/execute';
import { redactDeep } from '../../../shared/redaction';
import { InputError } from '../../../shared/validation';
import { resolveSiren } from '../actions/common';
import { finalRuleOf } from '../../helpers/states';
import type { FastClient } from '../../transport';
import { fastClient } from '../../transport';
import { latestDocumentStates, pollDocumentStates, readDeadline, readDocumentWatch } from './documents';
import { latestRegisterStates, pollRegister, readRegisterWatch } from './register';
import { forgetCredentials } from '../../../shared/credentials';
import { forgetRegisters } from '../../helpers/register';
import { LIST_EVENTS, listedNow, pollRemainingList, readGraceSeconds } from './lists';

/**
 * One poll at `nowMs` (the caller reads the clock). Returns null when there is nothing new, as
 * n8n expects. "Fetch test event" (manual mode) reads real data and moves no cursor.
 */
/**
 * The poll's time budget, where n8n gives one (2.x: `getPollBudgetMs`, absent from n8n 1.x's
 * IPollFunctions, hence the check).
 */
function pollBudgetMs(ctx: IPollFunctions): number | undefined {
	const budget = (ctx as { getPollBudgetMs?: () => number }).getPollBudgetMs;
	if (typeof budget !== 'function') return undefined;
	try {
		return budget.call(ctx);
	} catch {
		return undefined;
	}
}

export async function pollTrigger(this: IPollFunctions, nowMs: number): Promise<INodeExecutionData[][] | null> {
	// n8n's classic poller keeps one context per activation: credentials and the register are read
	// again at each poll.
	forgetCredentials(this);
	forgetRegisters(this);
	const node = this.getNode();
	const deadlineMs = readDeadline(Date.now(), pollBudgetMs(this));
	const manual = this.getMode() === 'manual';
	const event = String(this.getNodeParameter('event', 'documentStateChanged'));
	let client: FastClient | undefined;
	try {
		if (event === 'documentStateChanged') {
			const watch = readDocumentWatch({
				documentIds: this.getNodeParameter('documentIds', ''),
				states: this.getNodeParameter('states', []),
				options: this.getNodeParameter('options', {}) as IDataObject,
			}, finalRuleOf(node.typeVersion));
			client = await fastClient(this);
			const items = manual
				? await latestDocumentStates(node, client, watch, nowMs)
				: await pollDocumentStates(node, client, this.getWorkflowStaticData('node'), watch, nowMs, deadlineMs);
			return items.length > 0 ? [items.map((json) => ({ json: redactDeep(json, client!.secrets) }))] : null;
		}
		if (event === 'registeredDocumentStateChanged') {
			client = await fastClient(this);
			const watch = readRegisterWatch({
				name: this.getNodeParameter('registerName', ''),
				siren: resolveSiren(this.getNodeParameter('siren', ''), client),
				states: this.getNodeParameter('states', []),
				options: this.getNodeParameter('options', {}) as IDataObject,
			});
			const items = manual
				? await latestRegisterStates(this, node, client, watch, nowMs)
				: await pollRegister(this, node, client, this.getWorkflowStaticData('node'), watch, nowMs, deadlineMs);
			return items.length > 0 ? [items.map((json) => ({ json: redactDeep(json, client!.secrets) }))] : null;
		}

		const kind = LIST_EVENTS[event];
		if (!kind) throw new InputError(`Unknown event ${JSON.stringify(event)}`);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const download = this.getNodeParameter('download', false) === true;
		const binaryPropertyName = download ? String(this.getNodeParameter('binaryPropertyName', 'data')).trim() || 'data' : 'data';
		const graceSeconds = readGraceSeconds(options.redeliveryHours);
		client = await fastClient(this);
		const watch = { kind, siren: resolveSiren(this.getNodeParameter('siren', ''), client), download, binaryPropertyName, graceSeconds };
		const items = manual
			? await listedNow(client, watch)
			: await pollRemainingList(node, this, client, this.getWorkflowStaticData('node'), watch, nowMs);
		// Redacted like the action nodes' outputs (nodes/shared/execute.ts).
		return items.length > 0 ? [items.map((item) => ({ ...item, json: redactDeep(item.json, client!.secrets) }))] : null;
	} catch (error) {
		throw toNodeError(this, error, undefined, client?.secrets ?? []);
	} finally {
		client?.close();
	}
}
