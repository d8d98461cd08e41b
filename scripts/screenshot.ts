/**
 * `npm run docs:screenshot`: with `npm run dev` running, signs in to the editor in headless
 * Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) and saves PNG files under docs/: the
 * workflow list, the example provisioning workflow and the Maarch Courrier node in the node
 * creator; then FAST Parapheur's actions and triggers in the node creator, a FAST Parapheur node's
 * panel, the signature story's canvas, the output of its Get Result node after a run (the run
 * waits for the emulator to move the document to its final state: about a minute) and the FAST
 * Parapheur credential dialog (its secrets are password fields: n8n shows them masked).
 *
 * N8N_URL is the playground's address (default http://127.0.0.1:<N8N_PORT or 5678>, where `npm run dev` listens).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

import { OWNER } from './dev';
import { ROOT } from './lib/n8n';

const BASE_URL = (process.env.N8N_URL ?? `http://127.0.0.1:${process.env.N8N_PORT ?? 5678}`).replace(/\/$/, '');

/** The example workflows pictured (ids from examples/). */
const WORKFLOWS = {
	maarchProvision: 'MaarchProvision1',
	fastSignatureStory: 'FastSignStory001',
	fastUploadToCircuit: 'FastFileCircuit1',
};
const FAST_CREDENTIAL_NAME = 'FAST Parapheur (emulator)';

const saved: string[] = [];

async function shot(page: Page, name: string, target?: Locator) {
	const path = join(ROOT, 'docs', name);
	if (target) await target.screenshot({ path });
	else await page.screenshot({ path });
	saved.push(`docs/${name}`);
}

async function openWorkflow(page: Page, id: string) {
	await page.goto(`${BASE_URL}/workflow/${id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	await page.keyboard.press('Escape');
	await page.waitForTimeout(1500);
	await page.keyboard.press('Shift+1'); // zoom to fit
	await page.waitForTimeout(1000);
}

function canvasNode(page: Page, name: string): Locator {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
}

/** Opens a node's panel (NDV) by double-clicking it on the canvas. */
async function openNode(page: Page, name: string) {
	await canvasNode(page, name).dblclick();
	await page.locator('[data-test-id="ndv"], [data-test-id="ndv-output-panel"], [data-test-id="output-panel"]').first().waitFor();
	await page.waitForTimeout(1500);
}

async function closePanels(page: Page) {
	await page.keyboard.press('Escape');
	await page.waitForTimeout(800);
}

/** Opens the node creator, searches `text` and opens the item named `itemName`. */
async function searchNodeCreator(page: Page, text: string, itemName?: string) {
	await page.keyboard.press('n');
	const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
	await search.waitFor();
	await page.waitForTimeout(500);
	await page.keyboard.type(text);
	await page.waitForTimeout(1500);
	if (itemName) {
		await page
			.locator('[data-test-id="item-iterator-item"]')
			.filter({ has: page.locator('[data-test-id="node-creator-item-name"]', { hasText: itemName }) })
			.first()
			.click();
	} else {
		await page.keyboard.press('Enter');
	}
	await page.waitForTimeout(1500);
}

async function main() {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
	page.setDefaultTimeout(60_000);
	try {
		await page.goto(`${BASE_URL}/signin`);
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(OWNER.email);
		await page.locator('input[type="password"]').first().fill(OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'));

		mkdirSync(join(ROOT, 'docs'), { recursive: true });
		await page.goto(`${BASE_URL}/home/workflows`);
		await page.getByText('Maarch Courrier: provision new staff').first().waitFor();
		await page.waitForTimeout(1000);
		await shot(page, 'editor-workflow-list.png');

		await openWorkflow(page, WORKFLOWS.maarchProvision);
		await shot(page, 'editor-maarch-example.png');

		// The node creator, searched for the package's nodes, then the node's actions.
		await searchNodeCreator(page, 'Maarch');
		await shot(page, 'editor-node-panel.png');
		await closePanels(page);

		// FAST Parapheur: the signature story's canvas, then its actions and triggers in the node creator.
		await openWorkflow(page, WORKFLOWS.fastSignatureStory);
		await shot(page, 'editor-fast-signature-story.png');
		// A tall page, so that the panel holds every action and the triggers (collapsed at first).
		await page.setViewportSize({ width: 1600, height: 1700 });
		await searchNodeCreator(page, 'FAST', 'FAST Parapheur');
		const creator = page.locator('[data-test-id="node-creator"]').first();
		if (!(await creator.getByText('On document state changed').first().isVisible())) {
			await creator.getByText(/^Triggers \(\d+\)/).first().click();
			await creator.getByText('On document state changed').first().waitFor();
			await page.waitForTimeout(800);
		}
		await shot(page, 'editor-fast-node-creator.png', creator);
		await closePanels(page);

		// A FAST Parapheur node's panel: Document > Upload to a circuit (tall enough for its options).
		await page.setViewportSize({ width: 1600, height: 1250 });
		await openWorkflow(page, WORKFLOWS.fastUploadToCircuit);
		await openNode(page, "Upload to the mayor's circuit");
		await shot(page, 'editor-fast-upload-node.png');
		await closePanels(page);

		// The signature story run in the editor, then the Get Result node's output (a wider page:
		// the output's Binary view shows the signed file and the fiche de circulation side by side).
		await page.setViewportSize({ width: 1800, height: 1000 });
		await openWorkflow(page, WORKFLOWS.fastSignatureStory);
		await page.locator('[data-test-id="execute-workflow-button"]').first().click();
		const stop = page.locator('[data-test-id="stop-execution-button"]').first();
		await stop.waitFor({ timeout: 15_000 }).catch(() => undefined);
		await stop.waitFor({ state: 'hidden', timeout: 240_000 });
		await page.waitForTimeout(1500);
		await openNode(page, 'Get result');
		// The "Workflow executed successfully" notification would cover the output's corner.
		for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => undefined);
		await page.waitForTimeout(800);
		await shot(page, 'editor-fast-get-result.png');
		await closePanels(page);

		// The FAST Parapheur credential as the editor shows it (secrets masked), every field: the
		// dialog, whose content scrolls, is let grow to its full height for the picture.
		await page.setViewportSize({ width: 1600, height: 1500 });
		await page.goto(`${BASE_URL}/home/credentials`);
		await page.getByText(FAST_CREDENTIAL_NAME, { exact: true }).first().click();
		await page.locator('[data-test-id="credential-edit-dialog"]').first().waitFor();
		await page.addStyleTag({
			content: [
				'.el-dialog[class*="_credentialModal_"] { height: auto !important; max-height: none !important; }',
				'[data-test-id="credential-edit-dialog"], [data-test-id="credential-edit-dialog"] [class*="_mainContent_"]',
				'  { height: auto !important; max-height: none !important; overflow: visible !important; }',
			].join('\n'),
		});
		await page.waitForTimeout(2000);
		await shot(page, 'editor-fast-credential.png', page.locator('.el-dialog').filter({ has: page.locator('[data-test-id="credential-edit-dialog"]') }).first());
		await page.keyboard.press('Escape');

		console.log(`Saved ${saved.join(', ')}`);
	} catch (error) {
		// What the page showed when a step failed, to see which selector or wait to adjust.
		const path = join(tmpdir(), 'docs-screenshot-error.png');
		await page.screenshot({ path }).catch(() => undefined);
		(error as Error).message += `\n(the page at that moment: ${path})`;
		throw error;
	} finally {
		await browser.close();
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	if (saved.length) console.error(`Saved before the error: ${saved.join(', ')}`);
	process.exit(1);
});
