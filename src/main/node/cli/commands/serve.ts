// `springboard serve`: the workbench in a browser — the built renderer and the contract over a WebSocket.
import { spawn } from 'node:child_process';
import { DEFAULT_IMAGE_PATH, LOOPBACK_HOSTS, RENDERER_DIR, startDaemon } from '../../daemon/index.ts';
import { cachedLayout, engineParts, layoutCallGraph, Session } from '../../session/index.ts';
import { CliError, numberOption, stringOption, type CliIo, type Command, type ParsedArgs } from '../command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the workbench to a browser (the daemon)',
  description:
    'Starts a Session and serves the built workbench (out/renderer; run `npm run build` first) and\n' +
    'its contract over a WebSocket. It prints a URL with a random token made for this start; every\n' +
    'request without the token is refused. It listens on 127.0.0.1 unless told otherwise.\n' +
    'Stop it with Ctrl-C.',
  positionals: [],
  options: {
    port: { type: 'string', short: 'p', value: 'PORT', description: 'TCP port (default: any free port)' },
    host: { type: 'string', value: 'HOST', description: 'address to listen on (default 127.0.0.1)' },
    open: { type: 'boolean', description: 'open the URL in the system browser, if there is one' },
  },
  examples: ['springboard serve', 'springboard serve --port 8431 --open'],
  run: (args, io) => runServe(args, io),
};

export interface ServeHandle {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the daemon and returns once it listens (tests use this; `run` waits for a signal too). */
export async function startServe(args: ParsedArgs, io: CliIo): Promise<ServeHandle> {
  const port = numberOption(args, 'port') ?? 0;
  if (port > 65535) throw new CliError('bad-port', `--port ${port} is not a TCP port (0–65535)`);
  const host = stringOption(args, 'host') ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    io.stderr(
      '\n*** WARNING: springboard serve is listening on ' + host + ', not on the loopback address. ***\n' +
        '*** Anyone who can reach this address and learns the URL controls the kernel session.   ***\n\n',
    );
  }
  const session = new Session({ parts: engineParts(), defaultImagePath: DEFAULT_IMAGE_PATH, layout: cachedLayout(layoutCallGraph) });
  let daemon;
  try {
    daemon = await startDaemon({ service: session, host, port, rendererDir: RENDERER_DIR });
  } catch (error) {
    await session.dispose();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError('port-in-use', `port ${port} is in use; choose another with --port or leave it out`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError('bad-host', `cannot listen on ${host}: no such local address`);
    throw error;
  }
  io.stdout(`Springboard is serving the workbench at\n\n  ${daemon.url}\n\nThe token in this URL is new for this start; requests without it are refused.\n`);
  if (args.values.open === true) openBrowser(daemon.url, io);
  // The minisol call graph is laid out (or read from the layout cache) before it is first opened.
  void session.prepareDefaultImage();
  return {
    url: daemon.url,
    stop: async () => {
      await daemon.close();
      await session.dispose();
    },
  };
}

async function runServe(args: ParsedArgs, io: CliIo): Promise<number> {
  const handle = await startServe(args, io);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.stdout('\nStopping.\n');
  await handle.stop();
  return 0;
}

/** Best effort: a missing browser or opener is a notice, never a failure. */
function openBrowser(url: string, io: CliIo): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => io.stderr(`(no system browser found to open; open the URL above yourself)\n`));
    child.unref();
  } catch {
    io.stderr(`(no system browser found to open; open the URL above yourself)\n`);
  }
}
