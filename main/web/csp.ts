// The Content-Security-Policy: generated at build time into dist/renderer/index.html (scripts pinned by hash,
// see scripts/renderer-csp.js) and sent again as a header by the app:// protocol and the browser shell.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Used only when the built index.html carries no policy: nothing runs. */
export const FALLBACK_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

export function readRendererCsp(rendererDir: string): string {
  try {
    const html = readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
    const match = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    return match?.[1] ?? FALLBACK_CSP;
  } catch {
    return FALLBACK_CSP;
  }
}

export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
};
