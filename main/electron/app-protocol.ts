// Serves the built renderer from app://kiosk/ with the strict CSP; refuses paths outside the renderer dir.
import { readFile } from 'node:fs/promises';
import { SECURITY_HEADERS, readRendererCsp } from '../web/csp.js';
import { contentTypeOf, resolveStaticFile } from '../web/static-files.js';
import { APP_HOST } from './origin.js';

export async function serveAppRequest(rendererDir: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  const headers = { ...SECURITY_HEADERS, 'Content-Security-Policy': readRendererCsp(rendererDir) };
  if (url.host !== APP_HOST) return new Response('Not found', { status: 404, headers });
  const file = resolveStaticFile(rendererDir, url.pathname) ?? resolveStaticFile(rendererDir, '/');
  if (!file) return new Response('Not found', { status: 404, headers });
  return new Response(await readFile(file), { status: 200, headers: { ...headers, 'Content-Type': contentTypeOf(file) } });
}
