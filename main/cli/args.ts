// Small argument parser for the kiosk CLI: --flag, --key value, --key=value, repeated keys, positionals.
import { CliUsageError } from './command.js';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string[]>;
}

export function parseArgs(args: string[], spec: { boolean?: string[]; string?: string[] } = {}): ParsedArgs {
  const booleans = new Set(spec.boolean ?? []);
  const strings = new Set(spec.string ?? []);
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const push = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') || (a.startsWith('-') && a.length === 2 && !/^-\d/.test(a))) {
      const raw = a.replace(/^--?/, '');
      const eq = raw.indexOf('=');
      const key = eq >= 0 ? raw.slice(0, eq) : raw;
      if (booleans.has(key)) {
        if (eq >= 0) throw new CliUsageError(`--${key} takes no value`);
        push(key, 'true');
      } else if (strings.has(key)) {
        const value = eq >= 0 ? raw.slice(eq + 1) : args[++i];
        if (value === undefined) throw new CliUsageError(`--${key} needs a value`);
        push(key, value);
      } else {
        throw new CliUsageError(`unknown option ${a}`);
      }
    } else {
      positionals.push(a);
    }
  }
  return { positionals, flags };
}

export function flag(parsed: ParsedArgs, key: string): boolean {
  return parsed.flags.has(key);
}

export function option(parsed: ParsedArgs, key: string): string | undefined {
  const v = parsed.flags.get(key);
  return v?.[v.length - 1];
}

export function options(parsed: ParsedArgs, key: string): string[] {
  return parsed.flags.get(key) ?? [];
}
