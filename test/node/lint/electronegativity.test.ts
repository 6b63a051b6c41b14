// The electronegativity gate passes on the app and fails on an insecure Electron file.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/fixtures.js';

const script = path.join(projectRoot, 'scripts', 'electronegativity.js');

describe('electronegativity gate', () => {
  it('fails on an insecure BrowserWindow', () => {
    const r = spawnSync(process.execPath, [script, '--input', path.join(projectRoot, 'test', 'lint-fixtures', 'insecure-electron')], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/NODE_INTEGRATION|CONTEXT_ISOLATION|SANDBOX/);
  });

  it.skipIf(!existsSync(path.join(projectRoot, 'dist', 'renderer', 'index.html')))('passes on the app with zero findings', () => {
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toContain('0 findings');
    expect(r.status).toBe(0);
  });
});
