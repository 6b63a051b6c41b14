// Throwaway PostgreSQL server for tests: initdb into a temp dir, pg_ctl start on a loopback port, stop + delete.
// Runs the binaries as the `postgres` user when the tests run as root (initdb refuses root). Skips LOUDLY when
// PostgreSQL is not installed (Debian: `apt-get install -y postgresql`; .ci/run installs it).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './free-port.js';

export interface TestPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function findBinDir(): string | null {
  const fromPath = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).stdout.trim();
  const candidates: string[] = [];
  if (existsSync('/usr/lib/postgresql')) {
    for (const v of readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  if (fromPath) candidates.push(path.dirname(fromPath));
  return candidates.find((d) => existsSync(path.join(d, 'initdb')) && existsSync(path.join(d, 'pg_ctl'))) ?? null;
}

/** True when initdb/pg_ctl exist; otherwise prints a loud warning and returns false. */
export function hasPostgres(): boolean {
  if (process.env.KIOSK_SKIP_POSTGRES === '1') {
    console.warn('\n*** KIOSK_SKIP_POSTGRES=1 — PostgreSQL tests are SKIPPED. ***\n');
    return false;
  }
  if (findBinDir()) return true;
  console.warn('\n*** PostgreSQL binaries (initdb, pg_ctl) not found — PostgreSQL registry tests are SKIPPED. Install Debian package `postgresql`. ***\n');
  return false;
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = findBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found');
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'registry-pg-'));
  const data = path.join(dir, 'data');
  let uid = -1;
  if (root) {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (cmd: string, args: string[]) => {
    const r = root ? spawnSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { encoding: 'utf8' }) : spawnSync(path.join(bin, cmd), args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50 -c shared_buffers=32MB`;
  run('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  let stopped = false;
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A throwaway server for the enclosing `describe` block: started before its tests, stopped after them. Read `url`
 * inside a test or hook (it throws before the server is up).
 */
export function useTestPostgres(): { readonly url: string } {
  let pg: TestPostgres | undefined;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });
  return {
    get url(): string {
      if (!pg) throw new Error('the test PostgreSQL is not started yet');
      return pg.url;
    },
  };
}
