// The daemon's doors: the token (URL → cookie), Host and Origin checks, static files, `springboard serve`.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cookieName, startDaemon, tokenMatches, type Daemon } from '../../src/main/node/daemon/index.ts';
import { Session } from '../../src/main/node/session/index.ts';
import { main } from '../../src/main/node/cli/main.ts';
import { startServe } from '../../src/main/node/cli/commands/serve.ts';
import { MISSING } from '../contract/harness.ts';

function upgrade(url: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

describe('daemon', () => {
  let daemon: Daemon;
  let session: Session;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-renderer-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'a.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'secret.txt'), 'secret');
    session = new Session({ parts: MISSING, defaultImagePath: null });
    daemon = await startDaemon({ service: session, host: '127.0.0.1', port: 0, rendererDir: dir });
  });
  afterAll(async () => {
    await daemon.close();
    await session.dispose();
  });

  it('compares tokens in constant time and refuses empty ones', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', '')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
  });

  it('prints a loopback URL with a long random token', () => {
    expect(daemon.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{40,}$/);
  });

  it('refuses HTTP without the token, or with a wrong one', async () => {
    for (const path of ['/', '/index.html', '/assets/a.js', '/?token=wrong']) {
      const res = await fetch(daemon.origin + path, { redirect: 'manual' });
      expect(res.status, path).toBe(403);
    }
    const cookie = `${cookieName(daemon.port)}=wrong`;
    expect((await fetch(daemon.origin + '/', { headers: { cookie } })).status).toBe(403);
  });

  it('trades the URL token for an HttpOnly cookie, then serves files with a CSP', async () => {
    const first = await fetch(daemon.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const setCookie = first.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    const page = await fetch(daemon.origin + '/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<title>t</title>');
    expect((await fetch(daemon.origin + '/assets/a.js', { headers: { cookie } })).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(daemon.origin + '/assets/../../secret.txt', { headers: { cookie } })).status).toBe(404);
    expect((await fetch(daemon.origin + '/%2e%2e/secret.txt', { headers: { cookie } })).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await new Promise<number>((resolve) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: daemon.port, path: `/?token=${daemon.token}`, headers: { host: `evil.example:${daemon.port}` } }, (r) => resolve(r.statusCode ?? 0));
        req.end();
      });
    });
    expect(res).toBe(421);
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    const ws = `ws://127.0.0.1:${daemon.port}/ws`;
    expect(await upgrade(ws)).toBe(403);
    expect(await upgrade(`${ws}?token=nope`)).toBe(403);
    expect(await upgrade(ws, { cookie: `${cookieName(daemon.port)}=${daemon.token}`, origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(ws, { cookie: `${cookieName(daemon.port)}=${daemon.token}`, origin: daemon.origin })).toBe('open');
    expect(await upgrade(`${ws}?token=${daemon.token}`)).toBe('open');
  });
});

describe('springboard serve', () => {
  it('is listed in the command help', async () => {
    let out = '';
    await main(['--help'], { stdout: (t) => (out += t), stderr: () => {} });
    expect(out).toMatch(/serve/);
  });

  it('starts on loopback, prints its URL, and warns loudly off loopback', async () => {
    let out = '';
    let err = '';
    const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) };
    const handle = await startServe({ values: {}, positionals: [] }, io);
    expect(out).toContain(handle.url);
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(err).toBe('');
    await handle.stop();
    const wide = await startServe({ values: { host: '0.0.0.0' }, positionals: [] }, io);
    expect(err).toMatch(/WARNING/);
    await wide.stop();
  });
});
