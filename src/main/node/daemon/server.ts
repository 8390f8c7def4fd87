// The daemon: serves the built renderer and the contract over a WebSocket, only to holders of the token.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  dispatch, EVENT_NAMES, parseClientMessage, type ContractService, type ServerMessage,
} from '../../../shared/index.ts';
import { cookieName, newToken, readCookie, tokenMatches } from './token.ts';

/** The renderer's policy in the browser: our own code, our own WebSocket, nothing remote. */
export const DAEMON_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json', '.ico': 'image/x-icon',
};

export interface DaemonOptions {
  readonly service: ContractService;
  readonly host: string;
  readonly port: number;
  readonly rendererDir: string;
  /** A fixed token (tests); normally a fresh random one per start. */
  readonly token?: string;
}

export interface Daemon {
  /** The URL to open, token included. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const token = options.token ?? newToken();
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 128 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const origin = `http://${urlHost}:${port}`;
  const cookie = cookieName(port);
  const loopback = LOOPBACK_HOSTS.has(options.host);

  /** On loopback only loopback names are accepted in Host (no DNS rebinding into the daemon). */
  function hostAllowed(host: string | undefined): boolean {
    if (!host) return false;
    if (!loopback) return true;
    return ['127.0.0.1', 'localhost', '[::1]'].some((h) => host === `${h}:${port}`);
  }

  function tokenOf(req: IncomingMessage, url: URL): string | null {
    return url.searchParams.get('token') ?? readCookie(req.headers.cookie, cookie);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handleHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (!hostAllowed(req.headers.host)) return refuse(res, 421, 'This Springboard daemon answers only on its loopback address.');
    if (!tokenMatches(token, tokenOf(req, url))) {
      return refuse(res, 403, 'This Springboard daemon needs its token: open the URL that `springboard serve` printed.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET is served.');
    if (url.searchParams.has('token')) {
      // Move the token from the URL (history, screenshots) into an HttpOnly cookie.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${cookie}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    const path = decodeURIComponent(url.pathname);
    const file = normalize(join(options.rendererDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(normalize(options.rendererDir) + sep)) return refuse(res, 404, 'Not found.');
    let body: Buffer;
    try {
      if (!(await stat(file)).isFile()) return refuse(res, 404, 'Not found.');
      body = await readFile(file);
    } catch {
      if (path === '/' || path === '/index.html') {
        return refuse(res, 503, 'The workbench is not built: run `npm run build`, then start `springboard serve` again.');
      }
      return refuse(res, 404, 'Not found.');
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Content-Security-Policy': DAEMON_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin);
    const refuseUpgrade = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/ws') return refuseUpgrade('404 Not Found');
    if (!hostAllowed(req.headers.host)) return refuseUpgrade('421 Misdirected Request');
    // Browsers always send Origin; it must be this daemon's own page.
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== `http://${req.headers.host}`) return refuseUpgrade('403 Forbidden');
    if (!tokenMatches(token, tokenOf(req, url))) return refuseUpgrade('403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.service));
  });

  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(message + '\n');
}

/** One WebSocket connection: every event is forwarded; every call is checked and answered. */
export function serveSocket(ws: WebSocket, service: ContractService): void {
  const send = (message: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = EVENT_NAMES.map((name) => service.on(name, (payload) => send({ type: 'event', name, payload })));
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'binary messages are not part of the contract');
    const message = parseClientMessage(String(data));
    if (message === null) return ws.close(1002, 'not a contract message');
    void dispatch(service, message.name, message.request).then((envelope) => send({ type: 'reply', id: message.id, envelope }));
  });
  ws.on('close', () => {
    for (const u of unsubscribe) u();
  });
}
