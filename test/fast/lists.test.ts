/** The editor's lists: the SIREN's circuits (from the users export) and its users (step members). */
import { DEPOSITOR_EMAIL } from '../emulators/fast/pki';
import { SAMPLE_CIRCUITS, SAMPLE_USERS } from '../emulators/fast/sample';
import { circuitLocator } from '../../nodes/FastParapheur/v1/actions/common';
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

	it('leaves the depositor (the Account E-Mail) out of the step members: FAST refuses it (code 122)', async () => {
		const withoutAccount = await runLoadOptions({ type: 'fastParapheur', method: 'getUsers', credentials: fast.credentials(), parameters: { siren: '' } });
		// Unknown depositor (PKCS#12 without Account E-Mail): every user is offered.
		expect(withoutAccount.map((option) => option.value)).toContain(DEPOSITOR_EMAIL);
		const options = await runLoadOptions({
			type: 'fastParapheur',
			method: 'getUsers',
			credentials: fast.credentials({ accountEmail: ` ${DEPOSITOR_EMAIL.toUpperCase()} ` }),
			parameters: { siren: '' },
		});
		expect(options.map((option) => option.value)).not.toContain(DEPOSITOR_EMAIL);
		expect(options.map((option) => option.value)).toContain(SAMPLE_USERS.mayor);
		expect(options).toHaveLength(withoutAccount.length - 1);
	});

	it("the circuit field says its list comes from the users' habilitations", () => {
		expect(circuitLocator.description).toMatch(/circuits its users hold \(their habilitations\), so a circuit no user holds is missing there/);
	});
});
