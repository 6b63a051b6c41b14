// Free space on the data disk: a warning threshold for diagnostics and a hard floor below which new enrollments are
// refused (a half-written enrollment on a full disk is worse than none; existing drafts may still be saved).
import { statfsSync } from 'node:fs';
import { DiskSpaceLowError } from './errors.js';

export interface DiskSpaceReport {
  freeBytes: number;
  totalBytes: number;
  level: 'ok' | 'warn' | 'block';
  warnBelowBytes: number;
  blockBelowBytes: number;
}

export type StatFs = (dir: string) => { bavail: number | bigint; blocks: number | bigint; bsize: number | bigint };

export interface DiskSpaceGuardOptions {
  dataDir: string;
  warnMegabytes: number;
  blockMegabytes: number;
  /** Injected in tests (a fake full disk); defaults to fs.statfsSync. */
  statfs?: StatFs;
}

const MB = 1024 * 1024;

export class DiskSpaceGuard {
  private readonly statfs: StatFs;

  constructor(private readonly options: DiskSpaceGuardOptions) {
    this.statfs = options.statfs ?? ((dir) => statfsSync(dir));
  }

  check(): DiskSpaceReport {
    const s = this.statfs(this.options.dataDir);
    const freeBytes = Number(s.bavail) * Number(s.bsize);
    const totalBytes = Number(s.blocks) * Number(s.bsize);
    const warnBelowBytes = this.options.warnMegabytes * MB;
    const blockBelowBytes = this.options.blockMegabytes * MB;
    const level = freeBytes < blockBelowBytes ? 'block' : freeBytes < warnBelowBytes ? 'warn' : 'ok';
    return { freeBytes, totalBytes, level, warnBelowBytes, blockBelowBytes };
  }

  /** Throws DISK_SPACE_LOW when a new enrollment could not be saved safely. */
  assertCanSave(): void {
    const r = this.check();
    if (r.level === 'block') throw new DiskSpaceLowError(Math.floor(r.freeBytes / MB), this.options.blockMegabytes);
  }
}
