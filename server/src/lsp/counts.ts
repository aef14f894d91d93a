// One way to count a file's findings, used by every place that shows a number: the status bar
// (`kbHints/fileStatus`), the Lint Workspace summary (`kbHints/lintFiles`) and, through the published
// diagnostics, the Problems panel and the file badges. Suppressed findings are never counted.
import type { Finding } from '../engine/run';
import type { SeverityCounts } from '../protocol';

export function emptyCounts(): SeverityCounts {
  return { error: 0, warning: 0, info: 0, hint: 0 };
}

/** Adds the findings that are published (not suppressed) to `into`, by severity; returns how many. */
export function countFindings(findings: readonly Finding[], into: SeverityCounts = emptyCounts()): number {
  let n = 0;
  for (const f of findings) {
    if (f.suppressed) continue;
    into[f.severity]++;
    n++;
  }
  return n;
}

export function addCounts(into: SeverityCounts, more: SeverityCounts): void {
  for (const k of ['error', 'warning', 'info', 'hint'] as const) into[k] += more[k];
}
