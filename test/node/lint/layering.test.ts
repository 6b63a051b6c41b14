// The layering rules must fail on every kind of violation and pass on allowed imports.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/fixtures.js';

const eslint = new ESLint({ cwd: projectRoot });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${projectRoot}/${file}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}`);
}

const RESTRICTED = '@typescript-eslint/no-restricted-imports';

describe('layering lint rule', () => {
  it.each([
    ['renderer/src/x.ts', "import { channels } from '../../main/contract/ipc';\nexport const c = channels;\n"],
    ['renderer/src/x.ts', "import { createKioskCore } from '../../main/core/kiosk-core';\nexport const c = createKioskCore;\n"],
    ['renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
    ['drivers/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['drivers/x.ts', "import { createKioskCore } from '../main/core/kiosk-core.js';\nexport const c = createKioskCore;\n"],
    ['drivers/x.ts', "import * as ort from 'onnxruntime-node';\nexport const o = ort;\n"],
    ['models/x.ts', "import { SerialPort } from 'serialport';\nexport const s = SerialPort;\n"],
    ['models/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n"],
    ['sync/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n"],
    ['sync/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['main/core/x.ts', "import { BrowserWindow } from 'electron';\nexport const b = BrowserWindow;\n"],
    ['main/core/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n"],
    ['main/contract/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
  ])('%s: refuses %s', async (file, code) => {
    expect(await ruleIds(file, code)).toContain(RESTRICTED);
  });

  it.each([
    ['main/core/x.ts', "export async function f() { return import('electron'); }\n"],
    ['models/x.ts', "export async function f() { return import('serialport'); }\n"],
    ['renderer/src/x.ts', "export async function f() { return import('better-sqlite3'); }\n"],
  ])('%s: refuses dynamic import %s', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-syntax');
  });

  it.each([
    ['renderer/src/x.ts', "import type { ChannelName } from '../../main/contract/ipc';\nexport type C = ChannelName;\n"],
    ['drivers/x.ts', "import { SerialPort } from 'serialport';\nimport { KioskError } from '../main/contract/errors.js';\nexport const s = [SerialPort, KioskError];\n"],
    ['models/x.ts', "import * as ort from 'onnxruntime-node';\nimport { startWorker } from '../main/platform/worker.js';\nexport const o = [ort, startWorker];\n"],
    ['main/store/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n"],
    ['main/electron/x.ts', "import electron from 'electron';\nexport const e = electron;\n"],
    ['sync/registry/store/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n"],
  ])('%s: allows %s', async (file, code) => {
    expect(await ruleIds(file, code)).not.toContain(RESTRICTED);
  });
});
