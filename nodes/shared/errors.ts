/**
 * Every error a node throws is a NodeApiError (the vendor said no) or a NodeOperationError (the
 * input or the node's own work is wrong), with a message a user can act on. Messages and
 * descriptions are redacted here, the one place errors are built.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { redact } from './redaction';

export interface ErrorDetails {
	message: string;
	/** What to change, in words. */
	description?: string;
	/** The vendor's own error code, when it gives one. */
	code?: string;
}

export interface ApiErrorContext {
	httpCode?: number;
	itemIndex?: number;
	secrets?: readonly string[];
}

export function apiError(node: INode, details: ErrorDetails, context: ApiErrorContext = {}): NodeApiError {
	const secrets = context.secrets ?? [];
	const message = redact(details.message, secrets);
	const description = details.description ? redact(details.description, secrets) : undefined;
	// A plain object, never the HTTP library's error: that one carries the request and its
	// Authorization header.
	const response: JsonObject = { message };
	if (details.code) response.code = details.code;
	const error = new NodeApiError(node, response, {
		message,
		description,
		httpCode: context.httpCode !== undefined ? String(context.httpCode) : undefined,
		itemIndex: context.itemIndex,
	});
	// NodeApiError swaps messages that mention a network error code for generic texts; keep ours.
	error.message = message;
	error.description = description ?? null;
	return error;
}

export function operationError(
	node: INode,
	details: ErrorDetails,
	context: { itemIndex?: number; secrets?: readonly string[] } = {},
): NodeOperationError {
	const secrets = context.secrets ?? [];
	return new NodeOperationError(node, redact(details.message, secrets), {
		description: details.description ? redact(details.description, secrets) : undefined,
		itemIndex: context.itemIndex,
	});
}

/** Removes secrets from an error that came from elsewhere (n8n, a library) before it is shown. */
export function redactError<T extends Error>(error: T, secrets: readonly string[]): T {
	if (secrets.length === 0) return error;
	error.message = redact(error.message, secrets);
	const withDescription = error as T & { description?: string | null; messages?: string[] };
	if (typeof withDescription.description === 'string') {
		withDescription.description = redact(withDescription.description, secrets);
	}
	if (Array.isArray(withDescription.messages)) {
		withDescription.messages = withDescription.messages.map((entry) => redact(String(entry), secrets));
	}
	return error;
}

/**
 * A short, single-line excerpt of a response body for an error message. Secrets are removed
 * before the text is cut: a secret cut in two would no longer be found by the redaction.
 */
export function excerpt(text: string, max = 200, secrets: readonly string[] = []): string {
	const flat = redact(text, secrets).replace(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * Says why a failed request was not sent again: a few words in the message when the request may
 * have been applied (the message is what the error list and an AI agent see), the whole reason
 * in the description.
 */
export function withRetryNote(details: ErrorDetails, note: { reason?: string; summary?: string } | undefined): ErrorDetails {
	if (!note?.reason) return details;
	return {
		...details,
		message: note.summary ? `${details.message} (${note.summary})` : details.message,
		description: [details.description, note.reason].filter(Boolean).join(' '),
	};
}
