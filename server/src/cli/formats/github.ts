// `--format github`: GitHub Actions workflow commands, one annotation per finding
// (`::warning file=...,line=...,endLine=...,col=...,endColumn=...,title=...::message`). Values are escaped
// as the runner expects: `%`, CR and LF in the message; those and `:` and `,` in properties. Suppressed
// findings are left out. Works without GitHub Code Security (annotations show on the run and the diff).
// GitHub shows 10 error and 10 warning annotations per step (50 per job): errors come first, then warnings,
// then notices (each in file order), and a line on stderr says when some will not be shown.
import type { FileResult } from '../format';
import { identify, reportPath } from './common';

const COMMAND: Record<string, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Annotations of one level GitHub shows per step. */
export const ANNOTATIONS_PER_STEP = 10;
const ORDER: Record<string, number> = { error: 0, warning: 1, notice: 2 };

export function formatGithub(results: FileResult[], root: string, warn?: (message: string) => void): string {
  const lines: Array<{ level: string; text: string }> = [];
  for (const l of identify(results, root)) {
    const f = l.finding;
    if (f.suppressed) continue;
    const props = [`file=${escapeProperty(reportPath(root, l.file.path))}`, `line=${l.line}`, `endLine=${l.endLine}`];
    // GitHub takes columns only within one line.
    if (l.line === l.endLine) props.push(`col=${l.column}`, `endColumn=${l.endColumn}`);
    props.push(`title=${escapeProperty(`${f.ruleId} (KB Hints)`)}`);
    const level = COMMAND[f.severity];
    lines.push({ level, text: `::${level} ${props.join(',')}::${escapeData(f.detail ? `${f.message}\n\n${f.detail}` : f.message)}` });
  }
  lines.sort((a, b) => ORDER[a.level] - ORDER[b.level]);
  const counts = Object.keys(ORDER).map((level) => [level, lines.filter((l) => l.level === level).length] as const);
  if (counts.some(([, n]) => n > ANNOTATIONS_PER_STEP))
    warn?.(`warning: ${counts.map(([level, n]) => `${n} ${level}`).join(', ')} annotations: GitHub shows ${ANNOTATIONS_PER_STEP} of each level per step (50 per job), errors first; the log has them all, and --format sarif with code scanning shows every finding`);
  return lines.length ? lines.map((l) => l.text).join('\n') + '\n' : '';
}
