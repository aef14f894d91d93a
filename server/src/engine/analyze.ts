// One call from text to findings: parse, index for cross-file rules, lint.
import { parseFile, type ParsedFile } from '../documents/parse';
import { lint, type Finding, type LintOptions } from './run';

export interface AnalyzeOptions extends LintOptions {
  maxSize?: number;
}

export interface Analysis {
  file: ParsedFile;
  findings: Finding[];
}

export function analyze(text: string, uri: string, options: AnalyzeOptions = {}): Analysis {
  const file = parseFile(text, uri, { maxSize: options.maxSize });
  options.workspace?.update(file);
  return { file, findings: lint(file, options) };
}
