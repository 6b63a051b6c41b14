// The registry recomputes the PMT score of a record's questionnaire response with the same engine as the kiosk.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileQuestionnaire, scoreResponse } from '../../../sync/questionnaire/index.js';
import { QuestionnaireRegistry } from '../../../sync/registry/questionnaires.js';
import { family, householdForm } from './fixtures.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('registry questionnaires', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'registry-questionnaires-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the definitions it accepts and scores a record exactly as the kiosk did', () => {
    mkdirSync(path.join(dir, 'q'));
    writeFileSync(path.join(dir, 'q/hh.json'), JSON.stringify(householdForm()));
    cpSync(path.join(root, 'docs/examples/social-registry.xlsx'), path.join(dir, 'q/social-registry.xlsx'));
    const reg = QuestionnaireRegistry.load(path.join(dir, 'q'));
    expect(reg.size).toBe(2);
    const response = { questionnaireId: 'hh_test', version: '1', answeredOn: '2026-12-04', answers: family() };
    const atKiosk = scoreResponse(compileQuestionnaire(householdForm()), response);
    const atRegistry = reg.scoreRecord({ demographics: {}, questionnaire: JSON.parse(JSON.stringify(response)) as unknown })!;
    expect(atRegistry.pmt!.score).toBe(atKiosk.pmt!.score);
    expect(reg.scoreRecord({ demographics: {} })).toBeNull();
    expect(() => reg.scoreRecord({ questionnaire: { ...response, version: '9' } })).toThrowError(expect.objectContaining({ code: 'QUESTIONNAIRE_INVALID' }) as Error);
  });
});
