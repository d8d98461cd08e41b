/**
 * Maarch Courrier's error answers, in words a user can act on. Maarch answers not-found as HTTP
 * 400 and puts its text in `{"errors": "..."}` (field notes), so the text decides the meaning.
 */
import type { ErrorDetails } from '../../shared/errors';
import type { HttpFailure } from '../../shared/request';

/** What the request was about, so that messages can name it. */
export interface MaarchSubject {
	userId?: string;
	login?: string;
	groupId?: string;
	entityId?: string;
	maarchParapheurUserId?: number;
	maarchParapheurLogin?: string;
	/** The mode sent in the body (create, update). */
	mode?: string;
}

/** The super-administrator modes: only a super administrator may give them (Maarch's server code). */
export const ROOT_MODES: ReadonlySet<string> = new Set(['root_visible', 'root_invisible']);

/** Reads `{errors}` (usual) or `{title, detail}` (unexpected errors) from a Maarch error body. */
export function readMaarchError(body: unknown): { message?: string; code?: string } {
	if (!body || typeof body !== 'object') return {};
	const data = body as Record<string, unknown>;
	const text = [data.errors, data.detail, data.title, data.message].find(
		(value) => typeof value === 'string' && value.trim() !== '',
	) as string | undefined;
	return { message: text?.trim() };
}

const user = (subject: MaarchSubject) =>
	subject.userId !== undefined ? `Maarch Courrier user ${subject.userId}` : 'The Maarch Courrier user';

export function describeMaarchError(
	failure: HttpFailure,
	subject: MaarchSubject,
	accountLogin?: string,
): ErrorDetails | undefined {
	const text = failure.vendorMessage;
	const is = (pattern: RegExp) => pattern.test(text);
	const account = accountLogin ? `'${accountLogin}'` : 'of the credential';

	if (failure.status === 401) {
		if (is(/locked/i)) {
			return {
				message: `The Maarch Courrier account ${account} is locked`,
				description:
					'Maarch locks an account after repeated failed logins. An administrator must unlock it in Maarch Courrier; then check the password in the credential.',
			};
		}
		return {
			message: `Maarch Courrier rejected the login or password of the account ${account} (HTTP 401)`,
			description:
				"Check the credential: the account must exist, be a web service account (mode 'rest'), and the password must be right. The node never retries a rejected login, because repeated failures lock the account.",
		};
	}
	if (is(/maarch ?parapheur is not enabled/i)) {
		return {
			message: 'Maarch Parapheur is not enabled on this Maarch Courrier instance',
			description:
				'An administrator must connect Maarch Courrier to Maarch Parapheur (signatory book settings) before users can be linked or checked.',
		};
	}
	if (is(/does not exist in maarch parapheur/i)) {
		return {
			message: `Maarch Parapheur has no user with ID ${subject.maarchParapheurUserId ?? '(none given)'}`,
			description: 'Give the technical ID of an existing Maarch Parapheur user.',
		};
	}
	if (is(/already linked to someone/i)) {
		return {
			message: `Maarch Parapheur user ${subject.maarchParapheurUserId ?? '(none given)'} is already linked to another Maarch Courrier user`,
			description: 'Choose another Maarch Parapheur user, or unlink it from the other account first.',
		};
	}
	if (is(/does not have maarch parapheur id/i)) {
		return {
			message: `${user(subject)} is not linked to a Maarch Parapheur account`,
			description: "Link it first with 'Link to Maarch Parapheur' or 'Create in Maarch Parapheur'.",
		};
	}
	if (is(/login already exists in maarch parapheur/i)) {
		return {
			message: `Maarch Parapheur already has a user with the login '${subject.maarchParapheurLogin ?? ''}'`,
			description: "Link the Maarch Courrier user to that account with 'Link to Maarch Parapheur' instead, or choose another login.",
		};
	}
	// Maarch answers in the language of the instance (its `lang` setting): English and French texts.
	if (is(/user (does not exist|not found)|utilisateur (n'|n’)?(existe pas|introuvable)/i)) {
		return {
			message: `${user(subject)} does not exist`,
			description: 'Check the user ID, or pick the user from the list. Deleted users cannot be changed.',
		};
	}
	// "User already exists", "The user ID already exists", "L'identifiant utilisateur existe déjà".
	if (is(/user (id )?already exists|(identifiant|login|utilisateur).{0,40}existe d[ée]j[àa]/i) && !is(/parapheur/i)) {
		return {
			message: `A Maarch Courrier user with the login '${subject.login ?? ''}' already exists`,
			description: 'Use the Update operation to change it, or choose another login.',
		};
	}
	if (is(/group not found/i)) {
		return {
			message: `Maarch Courrier group '${subject.groupId ?? ''}' does not exist`,
			description: 'Use the group identifier (for example ELU), not its label.',
		};
	}
	if (is(/entity not found/i)) {
		return {
			message: `Maarch Courrier entity '${subject.entityId ?? ''}' does not exist`,
			description: 'Use the entity identifier (for example PJS), not its label.',
		};
	}
	if (is(/already linked to this group/i)) {
		return { message: `${user(subject)} is already in group '${subject.groupId ?? ''}'` };
	}
	if (is(/already linked to this entity/i)) {
		return { message: `${user(subject)} is already in entity '${subject.entityId ?? ''}'` };
	}
	if (failure.status === 403 && is(/service forbidden/i) && subject.mode !== undefined && ROOT_MODES.has(subject.mode)) {
		// Only these modes are refused: Maarch lets a super administrator alone create or set a
		// super-administrator account (root_visible, root_invisible), and a web service account
		// (mode 'rest') never is one. Every other mode and field is allowed to the same account.
		const who = subject.login ? ` for '${subject.login}'` : subject.userId ? ` for user ${subject.userId}` : '';
		return {
			message: `Maarch Courrier refused the super-administrator mode '${subject.mode}'${who} (Service forbidden): only a super administrator may give this mode, and the web service account ${account} is not one`,
			description:
				"Choose the mode Standard or Web Service (REST), or have a super administrator set this mode in Maarch Courrier. The account's other user administration rights are not in question.",
		};
	}
	if (failure.status === 403 && is(/service forbidden/i)) {
		return {
			message: `The Maarch Courrier account ${account} is not allowed to manage users (Service forbidden)`,
			description:
				'Give the web service account the user administration privilege in Maarch Courrier, or use another account.',
		};
	}
	const field = /^Body (\w+)/i.exec(text);
	if (failure.status === 400 && field) {
		return {
			message: `Maarch Courrier rejected the value of '${field[1]}': ${text}`,
			description: 'Correct this field and run the node again.',
		};
	}
	if (failure.status === 404) {
		return {
			message: 'Maarch Courrier has no such route (HTTP 404)',
			description:
				'Check the instance URL in the credential: it is the address of Maarch Courrier as in the browser (the node adds /rest).',
		};
	}
	return undefined;
}
