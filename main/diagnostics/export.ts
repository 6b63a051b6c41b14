// `kiosk diagnostics export --to DIR`: a folder a technician can hand to support — the diagnostics report, the
// config, and the logs — holding no personal data. Logs are already redacted when written (main/log/redact.ts); the
// export scrubs them again with an allow-list, because a bundle leaves the kiosk: only known-safe string fields pass,
// digit runs (national numbers, phones) and non-Latin letters (Arabic names) in messages are masked, lines that are
// not JSON are dropped. The enrollment database and the key ring are never included.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KioskConfig } from '../config/schema.js';
import { redactPii } from '../log/redact.js';
import { DiagnosticsExportError } from './errors.js';
import type { DiagnosticsReport } from './report.js';

/** Log properties whose string values are kept (ids, codes and states — never values typed by or about a person). */
const SAFE_STRING_KEYS = new Set([
  'level', 'time', 'msg', 'component', 'code', 'type', 'kioskId', 'centreId', 'shell', 'keyMode', 'registryKey', 'method', 'channel',
  'state', 'reason', 'event', 'what', 'device', 'deviceId', 'kind', 'model', 'models', 'status', 'from', 'to', 'version', 'mode', 'sqliteCode',
]);

/** Masks what could identify a person inside a free-text message: digit runs of 5+ and letters outside ASCII. */
export function scrubText(text: string): string {
  return text.replace(/\d{5,}/g, (m) => '#'.repeat(m.length)).replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
}

function scrubValue(key: string, value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return SAFE_STRING_KEYS.has(key) ? scrubText(value) : '[redacted]';
  if (depth > 4) return '[depth]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrubValue(key, v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = scrubValue(k, v, depth + 1);
    return out;
  }
  return '[redacted]';
}

/** One JSON log line → its scrubbed form, or null (dropped) when it is not a JSON object. */
export function scrubLogLine(line: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  return JSON.stringify(scrubValue('', redactPii(parsed), 0));
}

export interface ExportResult {
  dir: string;
  files: { name: string; bytes: number; sha256: string }[];
  droppedLogLines: number;
}

function safeConfig(config: KioskConfig): unknown {
  // The config holds no secrets by design; paths and ids stay (support needs them), nothing else is added.
  return { ...config, dataDir: path.basename(path.resolve(config.dataDir)) };
}

/** Writes the bundle into a new folder under `to`; returns its path and a manifest of what it holds. */
export function exportDiagnostics(options: { report: DiagnosticsReport; config: KioskConfig; to: string; clock?: () => number }): ExportResult {
  const { report, config } = options;
  const stamp = new Date((options.clock ?? Date.now)()).toISOString().replace(/[:.]/g, '-');
  const dir = path.join(path.resolve(options.to), `kiosk-diagnostics-${config.kioskId}-${stamp}`);
  try {
    mkdirSync(path.join(dir, 'logs'), { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new DiagnosticsExportError(`Cannot create the diagnostics folder in ${options.to}`, { cause, details: { to: options.to } });
  }
  const files: ExportResult['files'] = [];
  const put = (name: string, data: string) => {
    const bytes = Buffer.from(data, 'utf8');
    writeFileSync(path.join(dir, name), bytes, { mode: 0o600 });
    files.push({ name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  };
  let dropped = 0;
  try {
    put('report.json', JSON.stringify(report, null, 2) + '\n');
    put('config.json', JSON.stringify(safeConfig(config), null, 2) + '\n');
    const logDir = path.join(config.dataDir, 'logs');
    const logs = existsSync(logDir) ? readdirSync(logDir).filter((f) => /^kiosk\.log(\.\d+)?$/.test(f)).sort() : [];
    for (const name of logs) {
      const out: string[] = [];
      for (const line of readFileSync(path.join(logDir, name), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const scrubbed = scrubLogLine(line);
        if (scrubbed === null) dropped++;
        else out.push(scrubbed);
      }
      put(path.join('logs', `${name}.jsonl`), out.join('\n') + (out.length ? '\n' : ''));
    }
    put('manifest.json', JSON.stringify({ format: 'kiosk-diagnostics-bundle', version: 1, kioskId: config.kioskId, createdAt: report.generatedAt, droppedLogLines: dropped, files }, null, 2) + '\n');
  } catch (cause) {
    throw new DiagnosticsExportError(`Writing the diagnostics bundle to ${dir} failed`, { cause, details: { dir } });
  }
  return { dir, files, droppedLogLines: dropped };
}
