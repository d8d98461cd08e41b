/**
 * What each example workflow must produce when it runs in real n8n against the emulators:
 * per node and output, the item count and fields of each item (a subset match), error items
 * where expected, and the emulator's state afterwards.
 */
import type { MaarchEmulator } from '../emulators/maarch';

export interface NodeExpectation {
	node: string;
	/** 0 for the main output, 1 for the error output. */
	output?: number;
	items: number;
	/** Fields each item must have, in order (a subset of the item's JSON). */
	json?: Array<Record<string, unknown>>;
	/** For error items: patterns their `error` text must match, in order. */
	errors?: RegExp[];
}

export interface ExampleExpectation {
	nodes: NodeExpectation[];
	/** Checks on the emulators once the workflow has run; returns problems found. */
	state?: (emulators: { maarch: MaarchEmulator }) => string[];
}

export const EXPECTATIONS: Record<string, ExampleExpectation> = {
	MaarchProvision1: {
		nodes: [
			{
				node: 'Create user',
				items: 2,
				json: [
					{ user_id: 'a.martin', firstname: 'Alice', status: 'OK' },
					{ user_id: 'e.petit', firstname: 'Émile', status: 'OK' },
				],
			},
			{ node: 'Create user', output: 1, items: 1, errors: [/user with the login 'bbain' already exists/] },
			{ node: 'Add to group ELU', items: 2, json: [{ groupId: 'ELU' }, { groupId: 'ELU' }] },
			{ node: 'Add to entity PJS', items: 2, json: [{ entityId: 'PJS' }, { entityId: 'PJS' }] },
			{
				node: 'Create in Maarch Parapheur',
				items: 2,
				json: [
					{ linked: true, maarchParapheurLogin: 'a.martin' },
					{ linked: true, maarchParapheurLogin: 'e.petit' },
				],
			},
			{
				node: 'Set phone',
				items: 2,
				json: [
					{ user_id: 'a.martin', phone: '+33102030401', mail: 'alice.martin@mairie.example.fr' },
					{ user_id: 'e.petit', phone: '+33102030403', mail: 'emile.petit@mairie.example.fr' },
				],
			},
			{ node: 'List users', items: 6 },
		],
		state: ({ maarch }) => {
			const alice = maarch.findByLogin('a.martin');
			const problems: string[] = [];
			if (!alice) return ['a.martin was not created'];
			if (!alice.groups.includes('ELU')) problems.push('a.martin is not in group ELU');
			if (!alice.entities.includes('PJS')) problems.push('a.martin is not in entity PJS');
			if (!alice.maarchParapheurId) problems.push('a.martin is not linked to Maarch Parapheur');
			if (maarch.findByLogin('bbain')?.phone) problems.push('the rejected bbain row changed bbain');
			return problems;
		},
	},
	MaarchMaintain01: {
		nodes: [
			{ node: 'Get user by login', items: 1, json: [{ user_id: 'bbain', groups: [{ group_id: 'AGENT' }] }] },
			{ node: 'Link to Maarch Parapheur', items: 1, json: [{ linked: true, maarchParapheurUserId: 19 }] },
			{ node: 'Check Maarch Parapheur link', items: 1, json: [{ linked: true, maarchParapheurLogin: 'bbain' }] },
			{ node: 'Unlink from Maarch Parapheur', items: 1, json: [{ linked: false }] },
			{ node: 'Remove from group AGENT', items: 1, json: [{ groupId: 'AGENT', groups: [] }] },
			{ node: 'Remove from entity DGS', items: 1, json: [{ entityId: 'DGS', entities: [] }] },
			{ node: 'Delete user', items: 1, json: [{ deleted: true }] },
		],
		state: ({ maarch }) => (maarch.findByLogin('bbain')?.status === 'DEL' ? [] : ['bbain was not deleted']),
	},
};

/** Whether `actual` contains everything in `expected` (objects by key, arrays by position). */
export function contains(actual: unknown, expected: unknown): boolean {
	if (expected === null || typeof expected !== 'object') return actual === expected;
	if (Array.isArray(expected)) {
		return Array.isArray(actual) && expected.length === actual.length && expected.every((entry, index) => contains(actual[index], entry));
	}
	if (!actual || typeof actual !== 'object') return false;
	return Object.entries(expected).every(([key, value]) => contains((actual as Record<string, unknown>)[key], value));
}
