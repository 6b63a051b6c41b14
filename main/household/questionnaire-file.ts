// Loads the household questionnaire the kiosk is configured with (config household.questionnaire): an XLSForm
// workbook (.xlsx) or a JSON definition, validated at load (QUESTIONNAIRE_INVALID names the question, sheet, row and
// column of every issue; QUESTIONNAIRE_FILE_UNREADABLE when the file cannot be read).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KioskError } from '../contract/errors.js';
import { compileQuestionnaire, importXlsForm, type CompiledQuestionnaire } from '../../sync/questionnaire/index.js';

export class QuestionnaireFileError extends KioskError {
  override name = 'QuestionnaireFileError';
}

export function loadQuestionnaireFile(file: string, cwd = process.cwd()): CompiledQuestionnaire {
  const full = path.resolve(cwd, file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(full);
  } catch (cause) {
    throw new QuestionnaireFileError('QUESTIONNAIRE_FILE_UNREADABLE', `Cannot read the household questionnaire ${full}`, { cause, details: { file: path.basename(full) } });
  }
  if (full.endsWith('.xlsx')) return importXlsForm(bytes).compiled;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new QuestionnaireFileError('QUESTIONNAIRE_FILE_UNREADABLE', `The household questionnaire ${full} is neither an .xlsx workbook nor JSON`, { cause, details: { file: path.basename(full) } });
  }
  return compileQuestionnaire(json);
}
