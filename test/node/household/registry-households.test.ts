// The registry's household tables on both backends (SQLite, and PostgreSQL when installed — the helper skips loudly
// otherwise): members linked in any order, the head's response rescored with the registry's own definitions, a
// re-processed packet changes nothing, a section that is not a household link is refused without a row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuestionnaire } from '../../../sync/questionnaire/index.js';
import type { OpenedPacket } from '../../../sync/packet/index.js';
import { RegistryHouseholds } from '../../../sync/registry/households.js';
import { QuestionnaireRegistry } from '../../../sync/registry/questionnaires.js';
import { openRegistryStore } from '../../../sync/registry/store/index.js';
import { PostgresRegistryStore } from '../../../sync/registry/store/postgres.js';
import type { RegistryStore } from '../../../sync/registry/store/types.js';
import { hasPostgres, startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { HOUSEHOLD_QUESTIONNAIRE, expectedPmt } from '../../helpers/household-questionnaire.js';
import { tempDataDir } from '../store/helpers.js';

const HH = '01JF1111111111111111111111';
const answers = { rooms: 2, water: 'well', hh_size: 3, members: [{ m_dob: '1980-01-01', m_works: 'yes', m_income: 1200 }, { m_dob: '1984-06-01', m_works: 'yes', m_income: 600 }, { m_dob: '2015-01-01' }], assets: ['tv'] };
const packet = (recordId: string, household: Record<string, unknown>) => ({ manifest: { recordId, kioskId: 'K-1', record: { demographics: {}, household } } }) as unknown as OpenedPacket;
const head = { householdId: HH, relationship: 'head', details: {}, members: [], questionnaire: { questionnaireId: 'hh_e2e', version: '1', answeredOn: '2026-12-04', answers }, kioskPmt: { score: 1, eligible: null } };

function suite(name: string, open: () => Promise<RegistryStore>, close: (s: RegistryStore) => Promise<void>) {
  describe(name, () => {
    let store: RegistryStore;
    let reg: RegistryHouseholds;
    beforeAll(async () => {
      store = await open();
      const q = new QuestionnaireRegistry();
      q.add(compileQuestionnaire(JSON.parse(JSON.stringify(HOUSEHOLD_QUESTIONNAIRE))));
      reg = await RegistryHouseholds.open(store.sqlAdapter(), q);
    }, 60_000);
    afterAll(async () => close(store));

    it('links members in any order and rescores the head, idempotently', async () => {
      expect(await reg.ingest(packet('E2', { householdId: HH, relationship: 'spouse' }), 'RID-2', 'P2', '2026-12-04T10:00:00.000Z')).toEqual({ householdId: HH, relationship: 'spouse' });
      const r = await reg.ingest(packet('E1', head), 'RID-1', 'P1', '2026-12-04T10:01:00.000Z');
      const want = expectedPmt({ hhSize: 3, children: 1, incomes: [1200, 600], water: 'well', assets: ['tv'] });
      expect(r!.pmtScore).toBeCloseTo(want, 9);
      await reg.ingest(packet('E1', head), 'RID-1', 'P1', '2026-12-04T10:02:00.000Z');
      const v = (await reg.get(HH))!;
      expect(v.members.map((m) => [m.rid, m.relationship])).toEqual([['RID-1', 'head'], ['RID-2', 'spouse']]);
      expect(v.pmt!.score).toBeCloseTo(want, 9);
      expect(v.pmt!.eligible).toBe(true);
      expect(v.pmt!.terms.map((t) => t.name)).toEqual(['hh_size', 'n_children', 'income_pc', 'water', 'assets']);
      expect(v.kioskPmtScore).toBe(1);
      expect(v.questionnaire).toEqual({ id: 'hh_e2e', version: '1', answeredOn: '2026-12-04' });
      expect((await reg.list(10)).map((h) => h.householdId)).toEqual([HH]);
      expect(await reg.ofPerson('RID-2')).toBe(HH);
      expect(await reg.ofPerson('RID-9')).toBeNull();
    });

    it('an incomplete response keeps the links and says why there is no score; a malformed section is refused', async () => {
      const other = '01JF2222222222222222222222';
      await reg.ingest(packet('E3', { ...head, householdId: other, questionnaire: { ...head.questionnaire, answers: { rooms: 2 } } }), 'RID-3', 'P3', '2026-12-04T10:03:00.000Z');
      expect(await reg.get(other)).toMatchObject({ pmt: null, pmtError: 'QUESTIONNAIRE_INCOMPLETE', members: [{ rid: 'RID-3' }] });
      expect(await reg.ingest(packet('E4', { householdId: 'not-an-id', relationship: 'cousin' }), 'RID-4', 'P4', '2026-12-04T10:04:00.000Z')).toEqual({ householdId: null, error: 'HOUSEHOLD_SECTION_INVALID' });
      expect(await reg.ofPerson('RID-4')).toBeNull();
      expect(await reg.ingest(packet('E5', undefined as never), 'RID-5', 'P5', '2026-12-04T10:05:00.000Z')).toBeNull();
    });
  });
}

const sqliteDir = tempDataDir('registry-households-');
suite('registry households (SQLite)', () => openRegistryStore(sqliteDir.dir), async (s) => {
  await s.close();
  sqliteDir.cleanup();
});

let pg: TestPostgres | null = null;
describe.skipIf(!hasPostgres())('PostgreSQL', () => {
  suite(
    'registry households (PostgreSQL)',
    async () => {
      pg = await startPostgres();
      const s = new PostgresRegistryStore(pg.url, { schema: 'hh' });
      await s.init();
      return s;
    },
    async (s) => {
      await s.close();
      await pg?.stop();
    },
  );
});
