// The questionnaire engine, shared by the kiosk (main/) and the registry (sync/registry/): definitions, XLSForm
// import, evaluation, answers, proxy-means-test score. docs/QUESTIONNAIRE.md.
export { compileQuestionnaire, type CompiledNode, type CompiledQuestionnaire } from './compile.js';
export { evaluateQuestionnaire, type AnswerIssue, type EvaluationResult, type EvaluateOptions, type IssueCode } from './evaluate.js';
export { pmtScore, type PmtResult } from './pmt.js';
export { scoreResponse, type ScoredResponse } from './score.js';
export { importXlsForm, importXlsFormSheets, type ImportedForm, type XlsFormSheets } from './xlsform.js';
export { answersSchema, responseSchema, type Answers, type AnswerValue, type GeoPoint, type PhotoRef, type QuestionnaireResponse } from './answers.js';
export { questionnaireSchema, QUESTION_TYPES, type QuestionnaireDef, type ItemDef, type Label, type PmtConfig, type PmtTerm, type QuestionType } from './definition.js';
export { QuestionnaireDefinitionError, QuestionnaireEvaluationError, XlsxReadError, describeIssue, type DefinitionIssue } from './errors.js';
export { readWorkbook, writeWorkbook, type Sheet, type SheetRow } from './xlsx/workbook.js';
