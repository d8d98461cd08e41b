/**
 * A mail server for the end-to-end suite: the SMTP that n8n's Send Email node (nodemailer) speaks,
 * on 127.0.0.1, keeping every message it is given. Plain SMTP without STARTTLS (none is
 * advertised); AUTH PLAIN and LOGIN accepted with any login. Not a relay: nothing leaves.
 */
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer } from 'node:net';

export interface ReceivedMail {
	from: string;
	to: string[];
	/** The message as sent (headers and body). */
	data: string;
}

/** The message's text with quoted-printable soft breaks and escapes undone, for checks. */
export function mailText(mail: ReceivedMail): string {
	return mail.data
		.replace(/=\r?\n/g, '')
		.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export class SmtpSink {
	readonly messages: ReceivedMail[] = [];
	private server?: Server;
	private readonly sockets = new Set<Socket>();
	port = 0;

	async start(port = 0): Promise<number> {
		this.server = createServer((socket) => this.session(socket));
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, '127.0.0.1', resolve);
		});
		this.port = (this.server.address() as AddressInfo).port;
		return this.port;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private session(socket: Socket): void {
		this.sockets.add(socket);
		socket.on('close', () => this.sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		socket.setEncoding('utf8');
		const reply = (text: string) => socket.write(`${text}\r\n`);
		let buffer = '';
		let mail: ReceivedMail = { from: '', to: [], data: '' };
		let inData = false;
		let authStep = 0;
		reply('220 smtp.test ESMTP');
		socket.on('data', (chunk: string) => {
			buffer += chunk;
			// Bounded: a session ends at QUIT or when the client goes; each turn consumes a line or a message.
			for (let guard = 0; guard < 10_000; guard++) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					mail.data = buffer.slice(0, end).replace(/^\.\./gm, '.');
					buffer = buffer.slice(end + 5);
					this.messages.push(mail);
					mail = { from: '', to: [], data: '' };
					inData = false;
					reply('250 2.0.0 queued');
					continue;
				}
				const newline = buffer.indexOf('\r\n');
				if (newline < 0) return;
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 2);
				if (authStep > 0) {
					authStep = authStep === 1 ? 2 : 0;
					reply(authStep === 2 ? '334 UGFzc3dvcmQ6' : '235 2.7.0 accepted');
					continue;
				}
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO') {
					socket.write('250-smtp.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
				} else if (verb === 'HELO') reply('250 smtp.test');
				else if (verb === 'AUTH') {
					if (/^AUTH LOGIN/i.test(line)) {
						authStep = 1;
						reply('334 VXNlcm5hbWU6');
					} else reply('235 2.7.0 accepted');
				} else if (verb === 'MAIL') {
					mail.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
					reply('250 2.1.0 ok');
				} else if (verb === 'RCPT') {
					mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
					reply('250 2.1.5 ok');
				} else if (verb === 'DATA') {
					inData = true;
					reply('354 end with <CRLF>.<CRLF>');
				} else if (verb === 'QUIT') {
					reply('221 bye');
					socket.end();
					return;
				} else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
				else reply('502 5.5.2 command not implemented');
			}
		});
	}
}
