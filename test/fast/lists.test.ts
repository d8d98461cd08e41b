/** The editor's lists: the SIREN's circuits (from the users export) and its users (step members). */
import { SAMPLE_CIRCUITS, SAMPLE_USERS } from '../emulators/fast/sample';
import { runListSearch, runLoadOptions } from '../harness';
import { useFast } from './fixture';

const fast = useFast();

describe('FAST Parapheur lists', () => {
	it('lists the circuits found in the users export, filtered without accents', async () => {
		const all = await runListSearch({ type: 'fastParapheur', method: 'searchCircuits', credentials: fast.credentials() });
		expect(all.results.map((result) => result.value)).toEqual([SAMPLE_CIRCUITS.helios, SAMPLE_CIRCUITS.otp, SAMPLE_CIRCUITS.signature]);
		const filtered = await runListSearch({ type: 'fastParapheur', method: 'searchCircuits', credentials: fast.credentials(), filter: 'helios' });
		expect(filtered.results.map((result) => result.value)).toEqual([SAMPLE_CIRCUITS.helios]);
	});

	it('lists the users of the SIREN as step members, by name with their e-mail', async () => {
		const options = await runLoadOptions({ type: 'fastParapheur', method: 'getUsers', credentials: fast.credentials(), parameters: { siren: '' } });
		expect(options).toContainEqual({ name: `Marie Dupont (${SAMPLE_USERS.mayor})`, value: SAMPLE_USERS.mayor });
		const [request] = fast.emulator.server.requests('GET', '/parapheur-ws/rest/v1/exportUsersData');
		expect(request.query).toEqual({ siren: '213501232' });
	});
});
