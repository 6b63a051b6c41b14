// One call for both sides: the kiosk (for information) and the registry (authoritative) evaluate a stored response
// against the definition it names and compute its PMT score, with today() = the day it was answered.
import { responseSchema } from './answers.js';
import type { CompiledQuestionnaire } from './compile.js';
import { QuestionnaireDefinitionError } from './errors.js';
import { evaluateQuestionnaire, type EvaluationResult } from './evaluate.js';
import { pmtScore, type PmtResult } from './pmt.js';

export interface ScoredResponse extends EvaluationResult {
  /** Present when the definition has a PMT and the response is complete. */
  pmt?: PmtResult;
}

export function scoreResponse(q: CompiledQuestionnaire, response: unknown): ScoredResponse {
  const r = responseSchema.safeParse(response);
  if (!r.success) throw new QuestionnaireDefinitionError(r.error.issues.map((i) => ({ question: '', field: i.path.join('.'), message: `response: ${i.message}` })));
  if (r.data.questionnaireId !== q.def.id || r.data.version !== q.def.version) {
    throw new QuestionnaireDefinitionError([{ question: '', field: 'version', message: `response answers ${r.data.questionnaireId} ${r.data.version}, not ${q.def.id} ${q.def.version}` }]);
  }
  const ev = evaluateQuestionnaire(q, r.data.answers, { today: r.data.answeredOn });
  return { ...ev, ...(q.def.pmt && ev.complete ? { pmt: pmtScore(q.def.pmt, ev.values) } : {}) };
}
