// Child processes of tests and benches, bundled once with esbuild into a folder inside the project (so the packages
// left external resolve from node_modules) instead of a tsx start-up per spawn.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from './fixtures.js';

export interface BundleChildOptions {
  /** Entry files relative to the project root; each becomes `<outDir>/<name>.js`. */
  entries: string[];
  outDir: string;
  /** Packages left out of the bundle: a list, or every package (`'all'`). */
  external: string[] | 'all';
  /** Adds a CommonJS `require` to the ESM bundle (for bundled code that calls require()). */
  requireShim?: boolean;
}

/** Bundles the entries and returns the path of the first one's output. */
export async function bundleChild(o: BundleChildOptions): Promise<string> {
  mkdirSync(o.outDir, { recursive: true });
  await build({
    entryPoints: o.entries.map((e) => path.join(projectRoot, e)),
    outdir: o.outDir,
    entryNames: '[name]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    ...(o.external === 'all' ? { packages: 'external' as const } : { external: o.external }),
    ...(o.requireShim ? { banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } } : {}),
    logLevel: 'silent',
  });
  return path.join(o.outDir, `${path.basename(o.entries[0]!, path.extname(o.entries[0]!))}.js`);
}
