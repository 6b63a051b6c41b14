// Households, part two (issue 19): the household's wizard progress and questionnaire answers (encrypted JSON with the
// record field cipher, bound to the household id), saved as the clerk goes so that a restart resumes where it was.
import type { Migration } from './types.js';

export const migration0006: Migration = {
  version: 6,
  name: 'household-survey',
  up(db) {
    db.exec(`ALTER TABLE household ADD COLUMN survey BLOB;`);
  },
};
