/**
 * `npm run bench:namirial`: creates BENCH_OPERATORS (10,000) operators on the Trust and Sign
 * emulator twice, through n8n-core's WorkflowExecute, from the same input items (fields under the
 * API names, as an HR export mapped once): with `createBatch` (CSV requests of 1,000 rows, Data
 * Mode "Auto-Map Input Data") and with `create` (one request per item, every field read from the
 * item by an expression, the only way `create` can read them). Prints both wall times, the request counts and their ratio,
 * and checks that every operator exists on the emulator afterwards. Target: createBatch at least
 * 20 times faster.
 *
 *   npm run bench:namirial
 *   BENCH_OPERATORS=2000 npm run bench:namirial
 *   BENCH_LATENCY_MS=5 npm run bench:namirial    adds this latency to every emulator request
 *   BENCH_BATCH_MODE=defineBelow npm run bench:namirial   createBatch with one expression per field
 *     instead (n8n evaluates each expression for each item: about 0.1 ms apiece, which then
 *     dominates the batch's time)
 */
import '../test/harness/setup-env';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { NAMIRIAL_ADMIN_EMAIL, NAMIRIAL_ADMIN_PASSWORD, startNamirialEmulator } from '../test/emulators/namirial';
import { runNode } from '../test/harness';

const COUNT = Number(process.env.BENCH_OPERATORS ?? 10_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 0);
const TARGET_RATIO = 20;
const BATCH_MODE = process.env.BENCH_BATCH_MODE === 'defineBelow' ? 'defineBelow' : 'autoMapInputData';

function operators(): IDataObject[] {
	return Array.from({ length: COUNT }, (_, n) => ({
		email: `agent${n}@agence.example.fr`,
		firstName: n % 7 === 0 ? `Agent, "n°${n}"` : `Agent${n}`,
		lastName: n % 5 === 0 ? 'Müller-Évrard' : 'Martin',
		authorizations: ['VALIDATION'],
		groupsLabel: ['DEFAULT'],
		externalId: `HR-${n}`,
	}));
}

const PARAMETERS: Record<string, INodeParameters> = {
	createBatch:
		BATCH_MODE === 'autoMapInputData'
			? { resource: 'operator', operation: 'createBatch', dataMode: 'autoMapInputData' }
			: {
					resource: 'operator',
					operation: 'createBatch',
					dataMode: 'defineBelow',
					email: '={{ $json.email }}',
					firstName: '={{ $json.firstName }}',
					lastName: '={{ $json.lastName }}',
					additionalFields: {
						authorizations: '={{ $json.authorizations }}',
						externalId: '={{ $json.externalId }}',
						groupsLabel: '={{ $json.groupsLabel }}',
					},
				},
	create: {
		resource: 'operator',
		operation: 'create',
		email: '={{ $json.email }}',
		firstName: '={{ $json.firstName }}',
		lastName: '={{ $json.lastName }}',
		additionalFields: { authorizations: '={{ $json.authorizations }}', externalId: '={{ $json.externalId }}' },
	},
};

async function measure(operation: 'createBatch' | 'create'): Promise<{ seconds: number; requests: number }> {
	const emulator = await startNamirialEmulator({});
	emulator.server.delayAllMs = LATENCY_MS;
	try {
		const started = process.hrtime.bigint();
		const result = await runNode({
			node: { type: 'namirialTrustAndSign', parameters: PARAMETERS[operation] },
			credentials: {
				namirialTrustAndSignApi: { environment: 'custom', url: emulator.url, email: NAMIRIAL_ADMIN_EMAIL, password: NAMIRIAL_ADMIN_PASSWORD },
			},
			items: operators(),
		});
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		if (result.error) throw new Error(`${operation} failed: ${result.error.message}`);
		if (result.items.length !== COUNT) throw new Error(`${operation}: ${result.items.length} items out, expected ${COUNT}`);
		// The admin operator is there from the start.
		const created = emulator.operators.size - 1;
		if (created !== COUNT) throw new Error(`${operation}: the emulator has ${created} new operators, expected ${COUNT}`);
		return { seconds, requests: emulator.log.length };
	} finally {
		await emulator.close();
	}
}

async function main() {
	console.log(`Creating ${COUNT} operators on the Trust and Sign emulator (latency ${LATENCY_MS} ms per request; createBatch data mode ${BATCH_MODE}), through WorkflowExecute...`);
	const batch = await measure('createBatch');
	console.log(`  createBatch: ${batch.seconds.toFixed(2)} s, ${batch.requests} request(s)`);
	const single = await measure('create');
	console.log(`  create:      ${single.seconds.toFixed(2)} s, ${single.requests} request(s)`);
	const ratio = single.seconds / batch.seconds;
	console.log(`
| operation   | operators | requests | wall time |
|-------------|-----------|----------|-----------|
| createBatch | ${String(COUNT).padEnd(9)} | ${String(batch.requests).padEnd(8)} | ${`${batch.seconds.toFixed(2)} s`.padEnd(9)} |
| create      | ${String(COUNT).padEnd(9)} | ${String(single.requests).padEnd(8)} | ${`${single.seconds.toFixed(2)} s`.padEnd(9)} |

createBatch is ${ratio.toFixed(1)}x faster (${single.requests / batch.requests}x fewer requests); target >= ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`);
	process.exit(ratio >= TARGET_RATIO ? 0 : 1);
}

main().catch((error: Error) => {
	console.error(error.stack ?? error.message);
	process.exit(1);
});
