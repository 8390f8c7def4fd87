// End to end: `springboard serve` in Chromium — the token, the views' states, an image, the graphs, the machine.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, measureFrames, ROOT, serve, shot, watchErrors, type Served } from './support.ts';

const FIXTURE = join(ROOT, 'test/fixtures/elf/bin/tiny-v8.elf');

describe('the workbench in a browser', () => {
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  let errors: string[];
  const figures: string[] = [];

  beforeAll(async () => {
    served = await serve();
    browser = await launchBrowser();
    page = await browser.newPage();
    errors = watchErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (figures.length > 0) console.log(`\n=== e2e figures ===\n${figures.join('\n')}\n`);
  });

  it('refuses requests without the token, over HTTP and in the browser', async () => {
    expect((await fetch(served.origin + '/')).status).toBe(403);
    expect((await fetch(served.origin + '/?token=wrong')).status).toBe(403);
    const other = await browser.newPage();
    const res = await other.goto(served.origin + '/');
    expect(res?.status()).toBe(403);
    expect(await other.textContent('body')).toMatch(/needs its token/);
    await other.close();
  });

  it('opens with the token and shows the empty states', async () => {
    await page.goto(served.url);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await page.getByTestId('machine-view').waitFor();
    await page.locator('.conn.open').waitFor();
    await page.getByTestId('no-image').waitFor();
    await shot(page, '01-machine-empty');
    await page.keyboard.press('Alt+2');
    await page.getByTestId('code-empty').waitFor();
    await page.keyboard.press('Alt+3');
    await page.getByTestId('callgraph-empty').waitFor();
    await page.keyboard.press('Alt+4');
    await page.getByTestId('function-empty').waitFor();
    await page.keyboard.press('Alt+1');
  });

  it('opens a kernel image (minisol when built, else an ELF file)', async () => {
    const openDefault = page.getByTestId('open-default');
    if (await openDefault.count() > 0) {
      await openDefault.click();
    } else {
      figures.push('minisol.elf not built: opened test/fixtures/elf/bin/tiny-v8.elf instead');
      await page.getByTestId('file-input').setInputFiles({ name: 'tiny-v8.elf', mimeType: 'application/octet-stream', buffer: readFileSync(FIXTURE) });
    }
    await page.getByTestId('image-name').waitFor();
    await shot(page, '02-machine-image');
  });

  it('lists /Code/<module>/<function>, searches, and opens a function from the keyboard', async () => {
    await page.locator('[data-view="code"]').click();
    const modules = page.getByTestId('code-module');
    await modules.first().waitFor();
    expect(await modules.count()).toBeGreaterThan(0);
    await modules.first().focus();
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('code-function').first().waitFor();
    await shot(page, '03-code');
    const first = (await page.getByTestId('code-function').first().locator('.name').textContent())!.trim();
    await page.getByTestId('code-search').fill(first);
    expect(await page.getByTestId('code-function').count()).toBeGreaterThan(0);
    await page.getByTestId('code-function').first().focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('function-name').waitFor();
    expect(await page.getByTestId('function-name').textContent()).toBe(first);
  });

  it('shows the function: its CFG and disassembly, or why they are not available', async () => {
    const cfg = page.getByTestId('cfg-canvas');
    const cfgUnavailable = page.getByTestId('cfg-unavailable');
    await cfg.or(cfgUnavailable).first().waitFor();
    if (await cfg.count() > 0) {
      await cfg.locator('canvas').first().waitFor();
      const row = page.locator('[data-address]').first();
      await row.hover();
      await expect.poll(() => page.getByTestId('registers').textContent()).toMatch(/live/);
    } else {
      figures.push('analysis not available: the Function view shows its empty state');
    }
    await shot(page, '04-function');
  });

  it('draws the whole-kernel call graph, and a click opens a function', async () => {
    await page.locator('[data-view="callgraph"]').click();
    const canvas = page.getByTestId('cg-canvas');
    const unavailable = page.getByTestId('analysis-unavailable');
    const started = Date.now();
    await canvas.or(unavailable).first().waitFor();
    if (await unavailable.count() > 0) {
      figures.push('call graph: analysis not available (empty state shown)');
      await shot(page, '05-callgraph');
      return;
    }
    await canvas.locator('canvas').first().waitFor();
    await expect.poll(() => canvas.getAttribute('data-render-ms'), { timeout: 30_000 }).not.toBeNull();
    const drawn = Number(await canvas.getAttribute('data-render-ms'));
    const nodes = await page.evaluate(() => (document.querySelector('[data-testid="cg-canvas"]') as HTMLElement & { cytoscape?: { nodes(s: string): { length: number } } }).cytoscape!.nodes('node.function').length);
    figures.push(`whole-kernel call graph (${nodes} functions), fresh layout cache (laid out since the daemon started): first render ${drawn} ms after the data arrived (create ${await canvas.getAttribute('data-create-ms')} ms, layout in the view ${await canvas.getAttribute('data-layout-ms')} ms, mount ${await canvas.getAttribute('data-mount-ms')} ms); ${Date.now() - started} ms from the click`);
    await shot(page, '05-callgraph');
    // Click a function node: its position comes from Cytoscape in the page (it draws no DOM per node).
    const target = await page.evaluate(() => {
      type Node = { id(): string; data(key: string): unknown; renderedPosition(): { x: number; y: number } };
      type Cy = { nodes(s: string): { toArray(): Node[] }; zoom(level: number): void; center(node: Node): void };
      const el = document.querySelector('[data-testid="cg-canvas"]') as HTMLElement & { cytoscape?: Cy };
      const cy = el.cytoscape!;
      const nodes = cy.nodes('node.function').toArray();
      const rect = el.getBoundingClientRect();
      // A function with no other node within 12 px (at whole-kernel zoom, neighbours can overlap).
      const isolated = (n: Node): boolean => {
        const p = n.renderedPosition();
        return nodes.every((m) => m === n || Math.hypot(m.renderedPosition().x - p.x, m.renderedPosition().y - p.y) > 12);
      };
      const main = nodes.find((n) => n.id() === 'main');
      if (main) {
        cy.zoom(2);
        cy.center(main);
      }
      const node = (main && isolated(main) ? main : nodes.find((n) => {
        const p = n.renderedPosition();
        return p.x > 20 && p.y > 20 && p.x < rect.width - 20 && p.y < rect.height - 20 && isolated(n);
      }))!;
      const p = node.renderedPosition();
      // The node's id is unique (`_init@genunix`); its label is the function's name, which the view shows.
      return { id: node.id(), name: String(node.data('label')), x: rect.left + p.x, y: rect.top + p.y };
    });
    await page.waitForTimeout(100);
    await page.mouse.click(target.x, target.y);
    await page.getByTestId('function-name').waitFor();
    expect((await page.getByTestId('function-name').textContent())?.trim()).toBe(target.name);
    await page.getByTestId('cfg-canvas').locator('canvas').first().waitFor();
    await page.locator('tr[data-address]').first().hover();
    await expect.poll(() => page.getByTestId('registers').textContent()).toMatch(/live/);
    await shot(page, '06-function-cfg');
  });

  it('boots a workload, the instruction rate moves, the UI keeps its frame rate', async () => {
    await page.locator('[data-view="machine"]').click();
    const unavailable = page.getByTestId('machine-unavailable');
    await page.getByTestId('machine-view').waitFor();
    if (await unavailable.count() > 0) {
      figures.push(`machine: not available ("${(await unavailable.textContent())?.trim()}")`);
      const idle = await measureFrames(page, 2);
      figures.push(`UI frame rate, machine idle: ${idle.fps} fps, longest frame ${idle.longestMs} ms`);
      await shot(page, '07-machine');
      return;
    }
    await page.getByTestId('boot').click();
    await expect.poll(() => page.getByTestId('machine-state').textContent(), { timeout: 60_000 }).toBe('paused');
    await page.getByTestId('cpu-row').first().waitFor();
    const workload = await page.getByTestId('workload').inputValue();
    await page.getByTestId('run').click();
    const ips = page.getByTestId('ips');
    const state = page.getByTestId('machine-state');
    await expect.poll(async () => {
      const s = await state.textContent();
      return s === 'halted' || s === 'panicked' || Number(await ips.getAttribute('data-value')) > 0;
    }, { timeout: 30_000 }).toBe(true);
    if (await state.textContent() === 'running') {
      const vtime = await page.getByTestId('vtime').textContent();
      const measured = await measureFrames(page, 3);
      expect(await page.getByTestId('vtime').textContent()).not.toBe(vtime);
      figures.push(`machine (${workload}): ${await ips.textContent()} instructions/s, virtual time ${await page.getByTestId('vtime').textContent()}`);
      figures.push(`UI frame rate while the machine runs: ${measured.fps} fps, longest frame ${measured.longestMs} ms`);
      await expect.poll(() => page.getByTestId('console').textContent()).toMatch(/\S/);
    } else {
      const measured = await measureFrames(page, 2);
      figures.push(`machine: the image ran and stopped (${await state.textContent()}: ${(await page.locator('.stats p').textContent())?.trim()}); no sustained rate to measure with this image`);
      figures.push(`UI frame rate after the run: ${measured.fps} fps, longest frame ${measured.longestMs} ms`);
    }
    await shot(page, '07-machine-run');
  });

  it('splices metrics into the running kernel, streams them, and removes them', async (ctx) => {
    await page.keyboard.press('Alt+5');
    await page.getByTestId('metrics-view').waitFor();
    await page.getByTestId('metrics-empty').waitFor();
    if (await page.getByTestId('metrics-unavailable').count() > 0) {
      figures.push(`metrics: not available ("${(await page.getByTestId('metrics-unavailable').textContent())?.trim()}")`);
      ctx.skip();
    }
    await page.getByTestId('metric-focus').fill('no_such_function');
    await page.getByTestId('metric-enable').click();
    await expect.poll(() => page.locator('.form-error').textContent()).toMatch(/no function "no_such_function"/);
    const started = Date.now();
    await page.getByTestId('metric-focus').fill('dnlc_lookup');
    await page.getByTestId('metric-enable').click();
    const row = page.locator('[data-testid="metric-row"][data-key="calls/Code/dnlc/dnlc_lookup"]');
    await row.waitFor({ timeout: 30_000 });
    figures.push(`metrics: calls on dnlc_lookup enabled in ${Date.now() - started} ms from the click (analysis of the running kernel on first use included)`);
    await page.getByTestId('metric-kind').selectOption('vtime');
    await page.getByTestId('metric-focus').fill('module:ufs');
    await page.getByTestId('metric-enable').click();
    const ufs = page.locator('[data-testid="metric-row"][data-key="vtime/Code/ufs"]');
    await ufs.waitFor({ timeout: 30_000 });
    const value = (r: typeof row) => r.getByTestId('metric-value').getAttribute('data-value').then(Number);
    await expect.poll(() => value(row), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => value(ufs), { timeout: 30_000 }).toBeGreaterThan(0);
    // The kernel's own dnlc_lookup counter, sampled at the same instants, agrees (the splice counts a few
    // instructions before the kernel does: at most one ahead per CPU).
    await expect.poll(async () => {
      const [v, k] = await Promise.all(['metric-value', 'metric-kstat'].map(async (id) => Number(await row.getByTestId(id).getAttribute('data-value'))));
      return v! - k!;
    }, { timeout: 15_000 }).toBeLessThanOrEqual(2);
    const before = await value(row);
    await expect.poll(() => value(row), { timeout: 30_000 }).toBeGreaterThan(before);
    await page.getByTestId('metric-chart').waitFor();
    figures.push(`metrics: dnlc_lookup ${await row.getByTestId('metric-value').textContent()}, ${await row.getByTestId('metric-rate').textContent()}; ufs virtual time ${await ufs.getByTestId('metric-rate').textContent()}`);
    // A trace of kmem_alloc from the Function view: its records stream in under the chart.
    await page.keyboard.press('Alt+2');
    await page.getByTestId('code-search').fill('kmem_alloc');
    await page.getByTestId('code-function').filter({ has: page.locator('.name', { hasText: /^kmem_alloc$/ }) }).first().click();
    await page.getByTestId('function-name').filter({ hasText: 'kmem_alloc' }).waitFor();
    await page.getByRole('button', { name: 'Trace it' }).click();
    await page.getByTestId('metrics-view').waitFor();
    const traceRow = page.locator('[data-testid="metric-row"][data-key="trace/Code/genunix/kmem_alloc"]');
    await traceRow.waitFor({ timeout: 30_000 });
    await traceRow.click();
    await page.getByTestId('trace-record').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('trace-record').first().textContent()).toMatch(/kmem_alloc/);
    figures.push(`metrics: trace of kmem_alloc, ${await traceRow.getByTestId('metric-value').textContent()} after ${await traceRow.getByTestId('metric-rate').textContent()}`);
    await shot(page, '07d-trace');
    await traceRow.getByTestId('metric-remove').click();
    await expect.poll(() => traceRow.count(), { timeout: 15_000 }).toBe(0);
    await page.getByTestId('splice-log').locator('summary').click();
    await expect.poll(() => page.getByTestId('splice-log').locator('tbody tr').count()).toBe(100); // the newest 100 of 160+ operations
    expect(await page.getByTestId('splice-log').textContent()).toMatch(/install/);
    await shot(page, '07c-metrics');
    await ufs.getByTestId('metric-remove').click();
    await expect.poll(() => ufs.count()).toBe(0);
    await row.getByTestId('metric-remove').click();
    await expect.poll(() => page.getByTestId('metric-row').count(), { timeout: 15_000 }).toBe(0);
    expect(await page.getByTestId('error').count()).toBe(0);
    await page.getByTestId('metrics-empty').waitFor();
    await expect.poll(() => page.getByTestId('splice-state').textContent()).toMatch(/^\s*0 splice\(s\) live/);
  });

  it('reopens the image and draws the call graph right away from the cached layout', async () => {
    await page.locator('[data-view="machine"]').click();
    const openDefault = page.getByTestId('open-default');
    if (await openDefault.count() === 0) return;
    await openDefault.click();
    // Right after opening: the analysis and the layout (read from the disk cache) are on their way.
    await page.locator('[data-view="callgraph"]').click();
    const started = Date.now();
    const canvas = page.getByTestId('cg-canvas');
    await expect.poll(() => canvas.getAttribute('data-render-ms'), { timeout: 30_000 }).not.toBeNull();
    const wall = Date.now() - started;
    figures.push(`whole-kernel call graph right after reopening the image (layout cached on disk): first render ${await canvas.getAttribute('data-render-ms')} ms after the data arrived (create ${await canvas.getAttribute('data-create-ms')} ms, mount ${await canvas.getAttribute('data-mount-ms')} ms); ${wall} ms from the click`);
    await shot(page, '07b-callgraph-cached');
  });

  it('switches theme and reports a lost daemon', async () => {
    await page.locator('button.theme').click();
    await shot(page, '08-theme');
    await served.stop();
    await page.getByTestId('disconnected').waitFor({ timeout: 15_000 });
    await shot(page, '09-disconnected');
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  });
});
