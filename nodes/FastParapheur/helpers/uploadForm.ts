/**
 * The two forms of FAST's upload requests, chosen in the credential ('Upload Form'). FAST's own
 * clients (Pastell's and Maarch Courrier's connectors) name the static upload's file part
 * `content`, write the on-demand CC `email_cc` and send no `circuit_id` on demand, and the FAST
 * servers in use take that (field notes). FAST's API page names the file part `doc` on every
 * upload, writes `email_CC` and marks `circuit_id` mandatory on demand: a server that follows the
 * page refuses the clients' names ("Unknown parameter", code 902). Pure data.
 */
export type FastUploadForm = 'clients' | 'apiPage';

export interface UploadFormNames {
	/** The file part of `POST /documents/v2/{siren}/{circuit_id}/upload`. */
	staticFile: string;
	/** The file part of the on-demand and OTP uploads (`doc` in both forms). */
	file: string;
	/** The CC field of the on-demand upload. */
	cc: string;
	/** Whether the on-demand upload must send `circuit_id`. */
	circuitIdRequired: boolean;
}

export const UPLOAD_FORMS: Record<FastUploadForm, UploadFormNames> = {
	clients: { staticFile: 'content', file: 'doc', cc: 'email_cc', circuitIdRequired: false },
	apiPage: { staticFile: 'doc', file: 'doc', cc: 'email_CC', circuitIdRequired: true },
};

/** The credential's display names of the forms, for messages. */
export const UPLOAD_FORM_NAMES: Record<FastUploadForm, string> = {
	clients: "As FAST's Clients Do (content)",
	apiPage: 'As the API Page Says (doc)',
};

/** The credential's value; a credential saved before the option existed has none: the clients' form. */
export function uploadFormOf(value: unknown): FastUploadForm {
	return value === 'apiPage' ? 'apiPage' : 'clients';
}
