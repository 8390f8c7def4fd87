/// <reference lib="dom" />
import { it } from 'vitest';
import { startDaemon } from '/work/main/src/main/node/daemon/index.ts';
import { DEFAULT_IMAGE_PATH } from '/work/main/src/main/node/daemon/index.ts';
import { engineParts, layoutCallGraph, Session } from '/work/main/src/main/node/session/index.ts';
import { launchBrowser, ROOT } from '/work/main/test/e2e/support.ts';
import { join } from 'node:path';
it('dbg', async () => {
  const session = new Session({ parts: engineParts(), defaultImagePath: DEFAULT_IMAGE_PATH, layout: layoutCallGraph });
  const daemon = await startDaemon({ service: session, host: '127.0.0.1', port: 0, rendererDir: join(ROOT, 'out/renderer') });
  const browser = await launchBrowser();
  const page = await browser.newPage();
  page.on('console', (m) => console.log('CONSOLE', m.type(), m.text().slice(0, 200)));
  await page.goto(daemon.url);
  await page.getByTestId('open-default').click();
  await page.getByTestId('image-name').waitFor();
  await page.locator('[data-view="callgraph"]').click();
  await page.waitForSelector('[data-render-ms]', { timeout: 60000 });
  console.log('POS', await page.evaluate(() => {
    const cy = (document.querySelector('[data-testid="cg-canvas"]') as any).cytoscape;
    return JSON.stringify(cy.nodes('node.function').toArray().slice(0, 4).map((n: any) => [n.id(), n.position()]));
  }));
  await browser.close(); await daemon.close(); await session.dispose();
}, 180000);
