// `--format codequality`: a GitLab Code Quality report (a JSON array of Code Climate issues), for the
// `artifacts: reports: codequality` of a job. Paths are relative to the repository root; the fingerprint
// is the finding's rule + file + message hash (stable across edits elsewhere). Suppressed findings are left out.
import type { FileResult } from '../format';
import { identify, reportPath } from './common';

const SEVERITY: Record<string, string> = { error: 'critical', warning: 'major', info: 'minor', hint: 'info' };

export function formatCodeQuality(results: FileResult[], root: string): string {
  const issues = identify(results, root)
    .filter((l) => !l.finding.suppressed)
    .map((l) => ({
      type: 'issue',
      description: l.finding.message,
      check_name: l.finding.ruleId,
      fingerprint: l.findingHash,
      severity: SEVERITY[l.finding.severity],
      location: { path: reportPath(root, l.file.path), lines: { begin: l.line, end: l.endLine } },
    }));
  return JSON.stringify(issues, null, 2) + '\n';
}
