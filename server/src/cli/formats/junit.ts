// `--format junit`: JUnit XML, one test suite per file and one test case per finding (a `<failure>` for
// errors and warnings; info and hints pass, with the finding as `<system-out>`); a file without findings
// is one passing case, a skipped file one `<skipped>` case. Suppressed findings are left out.
import type { FileResult } from '../format';
import { identify, reportPath, type Identified } from './common';

/** XML text: markup escaped, characters XML 1.0 cannot carry dropped. */
export function xml(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function formatJunit(results: FileResult[], root: string): string {
  const byFile = new Map<FileResult, Identified[]>();
  for (const l of identify(results, root)) if (!l.finding.suppressed) byFile.set(l.file, [...(byFile.get(l.file) ?? []), l]);
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const r of results) {
    const name = reportPath(root, r.path);
    const cases: string[] = [];
    let suiteFailures = 0;
    if (!r.kind) {
      skipped++;
      cases.push(`    <testcase classname="${xml(name)}" name="kb-hints"><skipped message="${xml(r.skipped ?? 'not linted')}"/></testcase>`);
    } else {
      const found = byFile.get(r) ?? [];
      if (!found.length) cases.push(`    <testcase classname="${xml(name)}" name="kb-hints"/>`);
      for (const l of found) {
        const f = l.finding;
        const title = `${name}:${l.line}:${l.column} ${f.ruleId}`;
        const body = `${f.severity}: ${f.message}${f.detail ? `\n\n${f.detail}` : ''}\n${name}:${l.line}:${l.column}`;
        if (f.severity === 'error' || f.severity === 'warning') {
          suiteFailures++;
          cases.push(`    <testcase classname="${xml(name)}" name="${xml(title)}"><failure type="${xml(f.ruleId)}" message="${xml(f.message)}">${xml(body)}</failure></testcase>`);
        } else cases.push(`    <testcase classname="${xml(name)}" name="${xml(title)}"><system-out>${xml(body)}</system-out></testcase>`);
      }
    }
    tests += cases.length;
    failures += suiteFailures;
    suites.push(`  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="${r.kind ? 0 : 1}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="KB Hints" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`;
}
