// The daemon module: the web UI and the contract over a WebSocket, behind a per-start token.
export { startDaemon, serveSocket, DAEMON_CSP, LOOPBACK_HOSTS, type Daemon, type DaemonOptions } from './server.ts';
export { newToken, tokenMatches, cookieName, readCookie } from './token.ts';
export { REPOSITORY_ROOT, RENDERER_DIR, DEFAULT_IMAGE_PATH } from './paths.ts';
