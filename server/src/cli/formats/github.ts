// `--format github`: GitHub Actions workflow commands, one annotation per finding
// (`::warning file=...,line=...,endLine=...,col=...,endColumn=...,title=...::message`). Values are escaped
// as the runner expects: `%`, CR and LF in the message; those and `:` and `,` in properties. Suppressed
// findings are left out. Works without GitHub Code Security (annotations show on the run and the diff).
import type { FileResult } from '../format';
import { identify, reportPath } from './common';

const COMMAND: Record<string, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(results: FileResult[], root: string): string {
  const lines: string[] = [];
  for (const l of identify(results, root)) {
    const f = l.finding;
    if (f.suppressed) continue;
    const props = [`file=${escapeProperty(reportPath(root, l.file.path))}`, `line=${l.line}`, `endLine=${l.endLine}`];
    // GitHub takes columns only within one line.
    if (l.line === l.endLine) props.push(`col=${l.column}`, `endColumn=${l.endColumn}`);
    props.push(`title=${escapeProperty(`${f.ruleId} (KB Hints)`)}`);
    lines.push(`::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.detail ? `${f.message}\n\n${f.detail}` : f.message)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
