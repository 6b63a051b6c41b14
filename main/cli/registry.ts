// Every CLI command of `kiosk`, by area.
import type { CliCommand } from './command.js';
import { commands as an2kMake } from './commands/an2k-make.js';
import { commands as core } from './commands/core.js';
import { commands as dedup } from './commands/dedup.js';
import { commands as devices } from './commands/devices.js';
import { commands as diagnostics } from './commands/diagnostics.js';
import { commands as face } from './commands/face.js';
import { commands as fingerSynth } from './commands/finger-synth.js';
import { commands as finger } from './commands/finger.js';
import { commands as formats } from './commands/formats.js';
import { commands as store } from './commands/store.js';
import { commands as sync } from './commands/sync.js';
import { commands as provision } from './commands/provision.js';
import { commands as questionnaire } from './commands/questionnaire.js';
import { commands as update } from './commands/update.js';

// The store's commands answer both as `kiosk store init` and as the short forms the docs use (`kiosk init`, `kiosk status` …).
const storeShort = store.filter((c) => c.path[0] === 'store').map((c) => ({ ...c, path: c.path.slice(1), usage: c.usage.replace(/^kiosk store /, 'kiosk ') }));

export const allCommands: CliCommand[] = [...core, ...store, ...storeShort, ...devices, ...fingerSynth, ...finger, ...face, ...formats, ...an2kMake, ...dedup, ...sync, ...provision, ...diagnostics, ...update, ...questionnaire];
