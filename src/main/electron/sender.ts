// Which frames may call the contract over IPC: only our own renderer page (no Electron import: tests run it).

/**
 * True when `frameUrl` is our renderer: the built index.html (a file: URL, query and hash ignored)
 * or, in development, a page from the dev server's origin.
 */
export function isOwnRendererUrl(frameUrl: string | undefined, rendererIndexUrl: string, devServerUrl?: string): boolean {
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (devServerUrl) {
    try {
      if (url.origin === new URL(devServerUrl).origin && url.protocol.startsWith('http')) return true;
    } catch {
      return false;
    }
  }
  const own = new URL(rendererIndexUrl);
  return url.protocol === 'file:' && url.pathname === own.pathname && url.host === own.host;
}
