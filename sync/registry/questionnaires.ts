// The registry's side of the questionnaire: the definitions it accepts (DATA_DIR/questionnaires/*.xlsx|*.json) and
// the authoritative PMT score of a record's response, computed with the same engine as the kiosk
// (sync/questionnaire/score.ts). Processing calls `scoreRecord` once households are sealed into packets (issue 19).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileQuestionnaire, importXlsForm, scoreResponse, QuestionnaireDefinitionError, type CompiledQuestionnaire, type ScoredResponse } from '../questionnaire/index.js';

export class QuestionnaireRegistry {
  private readonly forms = new Map<string, CompiledQuestionnaire>();

  /** Loads every definition in `dir`; a broken one fails the load with its issues (by question, sheet, row, column). */
  static load(dir: string): QuestionnaireRegistry {
    const r = new QuestionnaireRegistry();
    if (!existsSync(dir)) return r;
    for (const f of readdirSync(dir).sort()) {
      const file = path.join(dir, f);
      if (f.endsWith('.xlsx')) r.add(importXlsForm(readFileSync(file)).compiled);
      else if (f.endsWith('.json')) r.add(compileQuestionnaire(JSON.parse(readFileSync(file, 'utf8')) as unknown));
    }
    return r;
  }

  add(q: CompiledQuestionnaire): void {
    this.forms.set(`${q.def.id}@${q.def.version}`, q);
  }

  get size(): number {
    return this.forms.size;
  }

  /** Scores `record.questionnaire` (a stored response); null when the record has none. */
  scoreRecord(record: Record<string, unknown>): ScoredResponse | null {
    const response = record.questionnaire as { questionnaireId?: unknown; version?: unknown } | undefined;
    if (response === undefined) return null;
    const q = this.forms.get(`${String(response.questionnaireId)}@${String(response.version)}`);
    if (!q) throw new QuestionnaireDefinitionError([{ question: '', field: 'version', message: `the registry has no questionnaire ${String(response.questionnaireId)} version ${String(response.version)}` }]);
    return scoreResponse(q, response);
  }
}
