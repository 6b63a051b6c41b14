// Every CLI command of `kiosk`, by area.
import type { CliCommand } from './command.js';
import { commands as core } from './commands/core.js';

export const allCommands: CliCommand[] = [...core];
