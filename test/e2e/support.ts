// End-to-end support: start `springboard serve` as a process, launch Debian's Chromium with a fresh profile.
/// <reference lib="dom" />
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = join(import.meta.dirname, '../..');
export const RESULTS = join(ROOT, 'test-results', 'e2e');
export const CHROMIUM = process.env.SPRINGBOARD_CHROMIUM ?? '/usr/bin/chromium';

export interface Served {
  readonly url: string;
  readonly origin: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export async function serve(): Promise<Served> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) throw new Error('out/renderer is missing: run `npm run build` before the e2e tests');
  // A fresh layout cache: the first call graph is laid out cold, as on a first open of the image.
  const cache = mkdtempSync(join(tmpdir(), 'springboard-cache-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin/springboard.js'), 'serve'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SPRINGBOARD_CACHE_DIR: cache },
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 20 s:\n${out}\n${err}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /(http:\/\/\S+\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}\n${err}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function launchBrowser(): Promise<BrowserContext> {
  mkdirSync(RESULTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'springboard-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Console errors and uncaught exceptions of a page, collected for the final check. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Frame times while `seconds` pass: requestAnimationFrame deltas in the page. */
export async function measureFrames(page: Page, seconds: number): Promise<{ frames: number; longestMs: number; fps: number }> {
  return page.evaluate(async (ms) => {
    const deltas: number[] = [];
    let last = performance.now();
    const end = last + ms;
    await new Promise<void>((resolve) => {
      const tick = (t: number) => {
        deltas.push(t - last);
        last = t;
        if (t < end) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    deltas.shift();
    return { frames: deltas.length, longestMs: Math.round(Math.max(0, ...deltas)), fps: Math.round((deltas.length * 1000) / ms) };
  }, seconds * 1000);
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: false });
