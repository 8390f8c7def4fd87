// The contract tests: the same suite against the Session directly, over the WebSocket, and over IPC.
import { describe, expect, it } from 'vitest';
import { bindIpcMain, clientFromBridge, COMMAND_NAMES, CONTRACT, createIpcBridge, EVENT_NAMES, ipcCommandChannel } from '../../src/shared/index.ts';
import { Session } from '../../src/main/node/session/index.ts';
import { contractSuite, expectCode, ipcPair, MISSING, transports } from './harness.ts';

for (const [label, transport] of Object.entries(transports)) contractSuite(label, transport);

describe('the contract object', () => {
  it('derives the names of commands and events from one object', () => {
    expect(COMMAND_NAMES).toEqual(Object.keys(CONTRACT.commands));
    expect(EVENT_NAMES).toEqual(Object.keys(CONTRACT.events));
    expect(new Set(COMMAND_NAMES).size).toBe(COMMAND_NAMES.length);
  });
});

describe('IPC binding', () => {
  it('registers exactly one handler per command', () => {
    const pair = ipcPair('file:///app/index.html');
    bindIpcMain(pair.main, new Session({ parts: MISSING, defaultImagePath: null }), () => [], () => true);
    expect([...pair.handlers.keys()].sort()).toEqual(COMMAND_NAMES.map(ipcCommandChannel).sort());
  });

  it('refuses calls from a frame that is not our renderer', async () => {
    const pair = ipcPair('https://evil.example/');
    const session = new Session({ parts: MISSING, defaultImagePath: null });
    bindIpcMain(pair.main, session, () => [pair.target], (e) => e.senderFrame?.url.startsWith('file:///app/') === true);
    const client = clientFromBridge(createIpcBridge(pair.renderer));
    await expectCode(client.call('session.hello', {}), 'unauthorized');
  });

  it('the bridge reaches only contract channels', async () => {
    const pair = ipcPair('file:///app/index.html');
    const bridge = createIpcBridge(pair.renderer);
    expect(await bridge.invoke('evil', {})).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    expect(() => bridge.on('evil', () => {})).toThrow(/no event/);
  });
});
