// Typed errors of the questionnaire engine. Every issue names the question (and, from an XLSForm, the sheet, row
// and column) so that the form's author can fix it.
import { KioskError } from '../../main/contract/errors.js';

export interface DefinitionIssue {
  /** Question (or group/repeat/choice list) name; "" for form-level issues. */
  question: string;
  /** The attribute at fault: relevant, constraint, calculation, choices, type, … */
  field: string;
  message: string;
  /** Where it came from when imported from XLSForm: sheet, 1-based row, column letter and header. */
  sheet?: string;
  row?: number;
  column?: string;
  header?: string;
}

export function describeIssue(i: DefinitionIssue): string {
  const where = i.sheet ? `${i.sheet}!${i.column ?? ''}${i.row ?? ''}${i.header ? ` (${i.header})` : ''}: ` : '';
  const what = i.question ? `question "${i.question}"${i.field ? ` ${i.field}` : ''}: ` : i.field ? `${i.field}: ` : '';
  return `${where}${what}${i.message}`;
}

export class QuestionnaireDefinitionError extends KioskError {
  override name = 'QuestionnaireDefinitionError';
  readonly issues: DefinitionIssue[];
  constructor(issues: DefinitionIssue[]) {
    super('QUESTIONNAIRE_INVALID', `Questionnaire definition invalid (${issues.length} issue${issues.length === 1 ? '' : 's'}): ${issues.slice(0, 5).map(describeIssue).join('; ')}${issues.length > 5 ? '; …' : ''}`, {
      details: { issues: issues.map((i) => ({ ...i })) },
    });
    this.issues = issues;
  }
}

/** An .xlsx file that cannot be read at all (not a zip, sheet missing, XML broken). */
export class XlsxReadError extends KioskError {
  override name = 'XlsxReadError';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('XLSX_UNREADABLE', message, { details });
  }
}

/** An expression that cannot be evaluated on these answers (e.g. division of text); names the question. */
export class QuestionnaireEvaluationError extends KioskError {
  override name = 'QuestionnaireEvaluationError';
  constructor(question: string, field: string, message: string) {
    super('QUESTIONNAIRE_EVALUATION_FAILED', `question "${question}" ${field}: ${message}`, { details: { question, field } });
  }
}
