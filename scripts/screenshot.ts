/**
 * `npm run docs:screenshot`: with `npm run dev` running, signs in to the editor in headless
 * Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) and saves the workflow list, the example
 * provisioning workflow and the node panel as PNG files under docs/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { OWNER } from './dev';
import { ROOT } from './lib/n8n';

const BASE_URL = process.env.N8N_URL ?? 'http://localhost:5678';

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
	try {
		const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
		page.setDefaultTimeout(60_000);
		await page.goto(`${BASE_URL}/signin`);
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(OWNER.email);
		await page.locator('input[type="password"]').first().fill(OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'));

		mkdirSync(join(ROOT, 'docs'), { recursive: true });
		await page.goto(`${BASE_URL}/home/workflows`);
		await page.getByText('Maarch Courrier: provision new staff').first().waitFor();
		await page.waitForTimeout(1000);
		await page.screenshot({ path: join(ROOT, 'docs', 'editor-workflow-list.png') });

		await page.goto(`${BASE_URL}/workflow/MaarchProvision1`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await page.keyboard.press('Escape');
		await page.waitForTimeout(1500);
		await page.keyboard.press('Shift+1'); // zoom to fit
		await page.waitForTimeout(1000);
		await page.screenshot({ path: join(ROOT, 'docs', 'editor-maarch-example.png') });

		// The node panel, searched for the package's nodes, then the node's actions.
		await page.keyboard.press('n');
		await page.waitForTimeout(1000);
		await page.keyboard.type('Maarch');
		await page.waitForTimeout(1500);
		await page.keyboard.press('Enter');
		await page.waitForTimeout(1500);
		await page.screenshot({ path: join(ROOT, 'docs', 'editor-node-panel.png') });
		console.log('Saved docs/editor-workflow-list.png, docs/editor-maarch-example.png and docs/editor-node-panel.png');
	} finally {
		await browser.close();
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
