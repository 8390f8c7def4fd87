// The tool finder must tell a present tool from a missing one.
import { expect, it } from 'vitest';
import { hasTool } from './tools.ts';

it('finds sh and not a made-up tool', () => {
  expect(hasTool('sh')).toBe(true);
  expect(hasTool('springboard-no-such-tool-xyz')).toBe(false);
});
