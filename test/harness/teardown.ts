// n8n-core's SSH tunnel manager starts a cleanup interval the first time a trigger runs and
// clears it on n8n's shutdown; tests shut it down after each file so that Jest can exit.
import { dirname } from 'node:path';

afterAll(() => {
	const core = dirname(require.resolve('n8n-core'));
	const { Container } = require(require.resolve('@n8n/di', { paths: [core] })) as {
		Container: { has(type: unknown): boolean; get(type: unknown): { onShutdown(): void } };
	};
	const { SSHClientsManager } = require(`${core}/execution-engine/ssh-clients-manager`) as {
		SSHClientsManager: unknown;
	};
	if (Container.has(SSHClientsManager as never)) Container.get(SSHClientsManager).onShutdown();
});
