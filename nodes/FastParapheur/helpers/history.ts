/** FAST history entries, read leniently and described with normalised states. */
import type { IDataObject } from 'n8n-workflow';

import type { FinalRule, HistoryEntry as StateHistoryEntry, NormalisedState } from './states';
import { historyOutcome, isFinalState, normaliseState } from './states';

/** A history entry as read: every field present, null when FAST sent none. */
export interface HistoryEntry extends StateHistoryEntry {
	userFullname: string | null;
	date: string | null;
	stateName: string | null;
}

/** The history array of a response (oldest first), entries with missing fields kept as null. */
export function readHistory(body: unknown): HistoryEntry[] {
	const list = Array.isArray(body) ? body : Array.isArray((body as IDataObject)?.history) ? ((body as IDataObject).history as unknown[]) : [];
	return list
		.filter((entry): entry is IDataObject => !!entry && typeof entry === 'object')
		.map((entry) => ({
			userFullname: typeof entry.userFullname === 'string' ? entry.userFullname : null,
			date: entry.date === undefined || entry.date === null ? null : String(entry.date),
			stateName: typeof entry.stateName === 'string' ? entry.stateName : null,
		}));
}

/** An entry as the node outputs it: raw and normalised state, its position (1 = oldest). */
export function describeEntry(entry: HistoryEntry, index: number, rule: FinalRule = 'classified'): IDataObject {
	const state: NormalisedState = normaliseState(entry.stateName);
	return {
		position: index + 1,
		stateName: entry.stateName,
		state,
		isFinal: isFinalState(state, rule),
		date: entry.date,
		userFullname: entry.userFullname,
	};
}

/** The document's current state: the last entry with a state name. */
export function currentState(history: HistoryEntry[], rule: FinalRule = 'classified'): IDataObject {
	let index = history.length - 1;
	while (index >= 0 && !history[index].stateName?.trim()) index--;
	if (index < 0) {
		return { stateName: null, state: 'unknown', isFinal: false, outcome: 'inProgress', date: null, userFullname: null };
	}
	const entry = history[index];
	const state = normaliseState(entry.stateName);
	return {
		stateName: entry.stateName,
		state,
		isFinal: isFinalState(state, rule),
		// Classé or Archivé after a refusal is still a refusal.
		outcome: historyOutcome(history, rule),
		date: entry.date,
		userFullname: entry.userFullname,
	};
}
