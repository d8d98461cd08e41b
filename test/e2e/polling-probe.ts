/**
 * A check that the end-to-end suite can test polling triggers in a running n8n: n8n's own RSS
 * Feed Trigger watches a feed served by a local emulator, and its workflow calls the emulator
 * back when a new entry appears. The package's polling trigger is checked the same way.
 */
import { EmulatorServer } from '../emulators/shared/server';

export const PROBE_WORKFLOW_ID = 'PollingProbe0001';

export class FeedEmulator {
	readonly server = new EmulatorServer();

	private readonly entries: Array<{ title: string; date: Date }> = [{ title: 'Old entry', date: new Date('2020-01-01T00:00:00Z') }];

	constructor() {
		this.server.route('GET', '/feed.xml', () => ({
			status: 200,
			headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
			body: Buffer.from(this.rss(), 'utf8'),
		}));
		this.server.route('POST', '/sink', () => ({ status: 200, body: { received: true } }));
	}

	addEntry(title: string): void {
		this.entries.push({ title, date: new Date() });
	}

	/** Titles the triggered workflow sent back. */
	received(): string[] {
		return this.server.requests('POST', '/sink').map((entry) => String((entry.body as { title?: string })?.title));
	}

	private rss(): string {
		const items = this.entries
			.map((entry) => `<item><title>${entry.title}</title><guid>${entry.title}</guid><pubDate>${entry.date.toUTCString()}</pubDate></item>`)
			.join('');
		return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Probe</title><link>http://127.0.0.1/</link><description>Probe</description>${items}</channel></rss>`;
	}
}

export function probeWorkflow(feedBaseUrl: string) {
	return {
		id: PROBE_WORKFLOW_ID,
		name: 'Polling probe',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'feed',
				name: 'Feed',
				type: 'n8n-nodes-base.rssFeedReadTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, feedUrl: `${feedBaseUrl}/feed.xml` },
			},
			{
				id: 'callback',
				name: 'Call back',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: `${feedBaseUrl}/sink`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ title: $json.title }) }}',
					options: {},
				},
			},
		],
		connections: { Feed: { main: [[{ node: 'Call back', type: 'main', index: 0 }]] } },
	};
}
