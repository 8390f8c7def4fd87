// The IPC sender check accepts our own renderer page and nothing else.
import { describe, expect, it } from 'vitest';
import { isOwnRendererUrl } from './sender.ts';

const own = 'file:///opt/springboard/out/renderer/index.html';

describe('isOwnRendererUrl', () => {
  it('accepts the built page, with or without a hash', () => {
    expect(isOwnRendererUrl(own, own)).toBe(true);
    expect(isOwnRendererUrl(own + '#/callgraph', own)).toBe(true);
  });
  it('refuses other files, remote pages and garbage', () => {
    expect(isOwnRendererUrl('file:///tmp/evil.html', own)).toBe(false);
    expect(isOwnRendererUrl('https://evil.example/out/renderer/index.html', own)).toBe(false);
    expect(isOwnRendererUrl('not a url', own)).toBe(false);
    expect(isOwnRendererUrl(undefined, own)).toBe(false);
  });
  it('accepts the dev server only when one is configured', () => {
    expect(isOwnRendererUrl('http://localhost:5173/', own)).toBe(false);
    expect(isOwnRendererUrl('http://localhost:5173/', own, 'http://localhost:5173')).toBe(true);
    expect(isOwnRendererUrl('http://localhost:5174/', own, 'http://localhost:5173')).toBe(false);
  });
});
