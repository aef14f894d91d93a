// One call from text to findings: parse, index for cross-file rules, lint.
import { parseFile, type ParsedFile } from '../documents/parse';
import { lint, type Finding, type LintOptions } from './run';

export interface AnalyzeOptions extends LintOptions {
  maxSize?: number;
  /** The parse of the document's previous version, reused where the text did not change (see ParseOptions). */
  previous?: ParsedFile;
}

export interface Analysis {
  file: ParsedFile;
  findings: Finding[];
}

export function analyze(text: string, uri: string, options: AnalyzeOptions = {}): Analysis {
  const file = parseFile(text, uri, { maxSize: options.maxSize, previous: options.previous });
  options.workspace?.update(file);
  return { file, findings: lint(file, options) };
}
