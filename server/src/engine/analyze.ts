// One analysis per document version: the file parsed once, its model built once, its findings. Hovers,
// quick fixes, the suppression list and the workspace index read it instead of parsing again.
import type { ParsedFile } from '../documents/parse';
import { kindOf, modelOf, parseFile, type FileModel, type KindDescriptor } from '../kinds';
import { lint, type Finding, type LintOptions } from './run';

export interface AnalyzeOptions extends Omit<LintOptions, 'model'> {
  maxSize?: number;
  /** The parse of the document's previous version, reused where the text did not change (see ParseOptions). */
  previous?: ParsedFile;
}

/** Everything known about one version of a file; the editor's features (fixes, hovers, listings) read it. */
export interface Analysis {
  file: ParsedFile;
  /** Undefined when the file is not one KB Hints lints (`file.skipped` says why). */
  kind?: KindDescriptor;
  model: FileModel;
  findings: Finding[];
}

export function analyze(text: string, uri: string, options: AnalyzeOptions): Analysis {
  return analyzeFile(parseFile(text, uri, { maxSize: options.maxSize, previous: options.previous }), options);
}

/** Models and lints a parsed file; the workspace index, if given, learns the file's facts first. */
export function analyzeFile(file: ParsedFile, options: Omit<LintOptions, 'model'>): Analysis {
  const model = modelOf(file);
  options.workspace?.update(file, model);
  return { file, kind: kindOf(file), model, findings: lint(file, { ...options, model }) };
}
