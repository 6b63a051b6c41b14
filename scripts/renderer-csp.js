// After `vite build`: pin the renderer's entry script by hash. Adds an SRI `integrity` attribute to the module
// script and writes the CSP meta tag with `script-src 'sha384-…' 'strict-dynamic'` (no 'self' for scripts).
// The Electron app:// protocol and the browser shell send the same policy as a header (read from index.html).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dir = path.join(root, 'dist', 'renderer');
const indexFile = path.join(dir, 'index.html');
let html = readFileSync(indexFile, 'utf8');

const scripts = [...html.matchAll(/<script type="module"[^>]*src="([^"]+)"[^>]*><\/script>/g)];
if (scripts.length !== 1) throw new Error(`expected one module script in index.html, found ${scripts.length}`);
const [tag, src] = scripts[0];
const code = readFileSync(path.join(dir, src.replace(/^\.\//, '')));
const hash = `sha384-${createHash('sha384').update(code).digest('base64')}`;
const newTag = tag.includes('integrity=') ? tag.replace(/integrity="[^"]*"/, `integrity="${hash}"`) : tag.replace('<script ', `<script integrity="${hash}" `);
html = html.replace(tag, newTag);

const policy = [
  "default-src 'none'",
  `script-src '${hash}' 'strict-dynamic'`,
  "style-src 'self'",
  "img-src 'self' blob:",
  "font-src 'self'",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');
html = html.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*"\s*\/?>/, `<meta http-equiv="Content-Security-Policy" content="${policy}" />`);
if (!html.includes(hash)) throw new Error('CSP rewrite failed');
writeFileSync(indexFile, html);
console.log(`renderer CSP pinned to ${hash.slice(0, 20)}…`);
