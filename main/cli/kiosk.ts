// `kiosk` — the headless entry point: picks the command by its words and runs it.
import { KioskError } from '../contract/errors.js';
import { CliUsageError, type CliCommand, type CliIo } from './command.js';
import { allCommands } from './registry.js';

export function findCommand(argv: string[], commands: CliCommand[] = allCommands): { command: CliCommand; rest: string[] } | null {
  let best: { command: CliCommand; rest: string[] } | null = null;
  for (const command of commands) {
    const n = command.path.length;
    if (argv.length >= n && command.path.every((w, i) => argv[i] === w) && (!best || n > best.command.path.length)) {
      best = { command, rest: argv.slice(n) };
    }
  }
  return best;
}

export function helpText(commands: CliCommand[] = allCommands): string {
  const lines = ['Usage: kiosk <command> [options]', '', 'Commands:'];
  for (const c of [...commands].sort((a, b) => a.path.join(' ').localeCompare(b.path.join(' ')))) {
    lines.push(`  ${c.usage}`, `      ${c.summary}`);
  }
  return lines.join('\n') + '\n';
}

export async function runCli(argv: string[], io: CliIo, commands: CliCommand[] = allCommands): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-v') argv = ['version', ...argv.slice(1)];
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    io.stdout.write(helpText(commands));
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv, commands);
  // `kiosk <command> --help` (or -h) anywhere after the command words: its usage, exit 0 — never an option error.
  const askedHelp = argv.some((a) => a === '--help' || a === '-h');
  if (askedHelp) {
    if (found) {
      io.stdout.write(`Usage: ${found.command.usage}\n\n${found.command.summary}\n`);
      return 0;
    }
    const words = argv.filter((a) => !a.startsWith('-'));
    const group = commands.filter((c) => words.every((w, i) => c.path[i] === w));
    if (group.length) {
      io.stdout.write(helpText(group).replace('Usage: kiosk <command> [options]', `Usage: kiosk ${words.join(' ')} <command> [options]`));
      return 0;
    }
  }
  if (!found) {
    io.stderr.write(`kiosk: unknown command "${argv.join(' ')}". Run \`kiosk --help\`.\n`);
    return 2;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`kiosk ${found.command.path.join(' ')}: ${error.message}\nUsage: ${found.command.usage}\n`);
      return 2;
    }
    if (error instanceof KioskError) {
      io.stderr.write(`kiosk: ${error.code}: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(`kiosk: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
