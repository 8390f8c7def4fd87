// Where the daemon finds the built renderer and the built guest kernel, relative to the repository.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const RENDERER_DIR = join(REPOSITORY_ROOT, 'out', 'renderer');
export const DEFAULT_IMAGE_PATH = join(REPOSITORY_ROOT, 'guest', 'minisol', 'minisol.elf');
