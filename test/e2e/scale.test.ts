// End to end at kernel scale: the views in Chromium over a Session whose analysis and machine are test doubles.
/// <reference lib="dom" />
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startDaemon, type Daemon } from '../../src/main/node/daemon/index.ts';
import { engineParts, Session } from '../../src/main/node/session/index.ts';
import { launchBrowser, measureFrames, ROOT, shot, watchErrors } from './support.ts';
import { streamingMachine, syntheticAnalysis } from '../support/synthetic-engine.ts';

const FIXTURE = join(ROOT, 'test/fixtures/elf/bin/tiny-v8.elf');
const FUNCTIONS = 400;

describe(`the views at kernel scale (${FUNCTIONS} functions; analysis and machine are test doubles)`, () => {
  let session: Session;
  let daemon: Daemon;
  let browser: BrowserContext;
  let page: Page;
  let errors: string[];
  const figures: string[] = [];

  beforeAll(async () => {
    session = new Session({
      parts: { ...engineParts(), analysis: syntheticAnalysis(FUNCTIONS, 3), machine: streamingMachine(20) },
      defaultImagePath: FIXTURE,
    });
    daemon = await startDaemon({ service: session, host: '127.0.0.1', port: 0, rendererDir: join(ROOT, 'out/renderer') });
    browser = await launchBrowser();
    page = await browser.newPage();
    errors = watchErrors(page);
    await page.goto(daemon.url);
    await page.getByTestId('open-default').click();
    await page.getByTestId('image-name').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await daemon?.close();
    await session?.dispose();
    console.log(`\n=== e2e figures at scale (${FUNCTIONS} functions, synthetic analysis) ===\n${figures.join('\n')}\n`);
  });

  it('draws the whole-kernel call graph and measures its first render', async () => {
    const clicked = Date.now();
    await page.locator('[data-view="callgraph"]').click();
    const canvas = page.getByTestId('cg-canvas');
    await expect.poll(() => canvas.getAttribute('data-render-ms'), { timeout: 30_000 }).not.toBeNull();
    const wall = Date.now() - clicked;
    const drawn = Number(await canvas.getAttribute('data-render-ms'));
    const layout = await canvas.getAttribute('data-layout-ms');
    figures.push(`whole-kernel call graph (${FUNCTIONS} functions, 12 modules), first time: ${drawn} ms from data to first render (layout ${layout} ms); ${wall} ms from the click`);
    // A second time, warm (JIT-compiled layout code, as after the first view of a session).
    await page.locator('[data-view="code"]').click();
    await page.locator('[data-view="callgraph"]').click();
    await expect.poll(() => canvas.getAttribute('data-render-ms'), { timeout: 30_000 }).not.toBeNull();
    figures.push(`whole-kernel call graph, second time: ${await canvas.getAttribute('data-render-ms')} ms (layout ${await canvas.getAttribute('data-layout-ms')} ms)`);
    await shot(page, 'scale-01-callgraph');
    expect(drawn).toBeGreaterThan(0);
  });

  it('a click on a function node opens its CFG beside the disassembly, with live registers on hover', async () => {
    const point = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="cg-canvas"]') as HTMLElement & { cytoscape?: { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } };
      const node = el.cytoscape!.getElementById('main');
      const rect = el.getBoundingClientRect();
      const p = node.renderedPosition();
      return { x: rect.left + p.x, y: rect.top + p.y };
    });
    await page.mouse.click(point.x, point.y);
    await page.getByTestId('function-name').waitFor();
    expect(await page.getByTestId('function-name').textContent()).toBe('main');
    await page.getByTestId('cfg-canvas').locator('canvas').first().waitFor();
    await page.locator('tr[data-address]').nth(2).hover();
    await expect.poll(() => page.getByTestId('registers').textContent()).toMatch(/live\s+%o0/);
    await shot(page, 'scale-02-function');
  });

  it('focused view: callers and callees around a function', async () => {
    await page.locator('[data-view="callgraph"]').click();
    await page.getByTestId('cg-focus').fill('main');
    await page.getByTestId('cg-focus').press('Enter');
    await page.getByTestId('cg-focus').dispatchEvent('change');
    await expect.poll(() => page.getByTestId('cg-canvas').getAttribute('data-render-ms')).not.toBeNull();
    await shot(page, 'scale-03-focused');
  });

  it('keeps the frame rate while machine status streams at 20 Hz', async () => {
    await page.locator('[data-view="machine"]').click();
    await page.getByTestId('boot').click();
    await page.getByTestId('run').click();
    const ips = page.getByTestId('ips');
    await expect.poll(async () => Number(await ips.getAttribute('data-value')), { timeout: 10_000 }).toBeGreaterThan(0);
    const frames = await measureFrames(page, 3);
    figures.push(`UI frame rate with 20 status events/s (Machine view): ${frames.fps} fps, longest frame ${frames.longestMs} ms`);
    await shot(page, 'scale-04-machine');
    await page.getByTestId('pause').click();
    expect(errors).toEqual([]);
  });
});
