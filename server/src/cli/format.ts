// CLI output: text for people, JSON for scripts, SARIF 2.1.0 for code scanning.
import * as path from 'node:path';
import type { Finding } from '../engine/run';
import type { LineIndex } from '../documents/lines';
import { RULES } from '../rules';
import { ruleUrl, topicById } from '../kb/topics';
import { VERSION } from '../version';

export interface FileResult {
  path: string;
  kind?: string;
  skipped?: string;
  findings: Finding[];
  lines: LineIndex;
}

interface Located {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  finding: Finding;
}

/** 1-based lines and UTF-16 columns, as SARIF and editors' `file:line:col` links expect. */
function locate(r: FileResult): Located[] {
  return r.findings.map((f) => {
    // A CDK finding placed at its source line (cdk/relocate.ts) is shown there; its template location is related.
    if (f.source) return { file: f.source.path, line: f.source.start.line + 1, column: f.source.start.character + 1, endLine: f.source.end.line + 1, endColumn: f.source.end.character + 1, finding: f };
    const s = r.lines.position(f.start);
    const e = r.lines.position(f.end);
    return { file: r.path, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, finding: f };
  });
}

/** The related locations of a finding, 1-based, with its template location first when it was placed in a source. */
function relatedOf(r: FileResult, f: Finding): Array<{ file: string; line: number; column: number; endLine: number; endColumn: number; message: string }> {
  const at = (start: number, end: number, message: string) => {
    const s = r.lines.position(start);
    const e = r.lines.position(end);
    return { file: r.path, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, message };
  };
  const own = f.related.map((x) => at(x.start, x.end, x.message));
  if (!f.source) return own;
  const stale = f.source.stale ? ' (from the last synth: the source changed since)' : '';
  return [at(f.start, f.end, `Synthesized as ${f.source.logicalId} (${f.source.constructPath})${stale}`), ...own];
}

export function formatText(results: FileResult[], color: boolean, elapsedMs: number, showSuppressed = false): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sev: Record<string, string> = { error: '31', warning: '33', info: '36', hint: '2' };
  const lines: string[] = [];
  const counts: Record<string, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let suppressed = 0;
  for (const r of results) {
    for (const l of locate(r)) {
      const f = l.finding;
      if (f.suppressed) {
        suppressed++;
        if (showSuppressed) {
          const why = f.suppressed.justification ? `reason: ${f.suppressed.justification}` : 'no reason given';
          lines.push(paint('2', `${l.file}:${l.line}:${l.column}  ${'suppressed'.padEnd(7)} ${f.ruleId}  ${f.message}  [${why}${f.suppressed.until ? `, until ${f.suppressed.until}` : ''}]`));
        }
        continue;
      }
      counts[f.severity]++;
      const kb = f.kb ? paint('2', `  [KB: ${topicById(f.kb)?.title ?? f.kb}]`) : '';
      lines.push(`${l.file}:${l.line}:${l.column}  ${paint(sev[f.severity], f.severity.padEnd(7))} ${paint('1', f.ruleId)}  ${f.message}${kb}`);
      if (f.source) {
        const t = relatedOf(r, f)[0];
        lines.push(paint('2', `    synthesized as ${f.source.logicalId} at ${t.file}:${t.line}:${t.column}${f.source.stale ? ' (from the last synth: the source changed since)' : ''}`));
      }
    }
  }
  const linted = results.filter((r) => r.kind).length;
  const total = counts.error + counts.warning + counts.info + counts.hint;
  lines.push(
    '',
    `${total} finding${total === 1 ? '' : 's'} (${counts.error} error, ${counts.warning} warning, ${counts.info} info, ${counts.hint} hint) in ${linted} linted file${linted === 1 ? '' : 's'}; ${results.length - linted} skipped; ${suppressed ? `${suppressed} suppressed${showSuppressed ? '' : ' (--show-suppressed lists them)'}; ` : ''}${Math.round(elapsedMs)} ms`,
  );
  return lines.join('\n') + '\n';
}

export function formatJson(results: FileResult[]): string {
  const out = results.flatMap((r) =>
    locate(r).map((l) => ({ file: l.file, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn, ruleId: l.finding.ruleId, messageId: l.finding.messageId, severity: l.finding.severity, message: l.finding.message, ...(l.finding.detail ? { detail: l.finding.detail } : {}), kb: l.finding.kb, suppressed: l.finding.suppressed ?? null, ...(l.finding.related.length || l.finding.source ? { related: relatedOf(r, l.finding) } : {}), ...(l.finding.source ? { placedBy: l.finding.source.how, ...(l.finding.source.stale ? { stale: true } : {}) } : {}) })),
  );
  return JSON.stringify(out, null, 2) + '\n';
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(results: FileResult[], cwd: string): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.meta.id, i]));
  const uri = (p: string) => path.relative(cwd, path.resolve(p)).split(path.sep).map(encodeURIComponent).join('/');
  const region = (lines: LineIndex, start: number, end: number) => {
    const s = lines.position(start);
    const e = lines.position(end);
    return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'KB Hints',
            version: VERSION,
            informationUri: 'https://github.com/kb-hints/kb-hints',
            rules: RULES.map((r) => ({
              id: r.meta.id,
              name: r.meta.title,
              shortDescription: { text: r.meta.title },
              fullDescription: { text: r.meta.description },
              help: { text: r.meta.fix, markdown: r.meta.fix },
              helpUri: ruleUrl(r.meta.id),
              defaultConfiguration: { level: SARIF_LEVEL[r.meta.severity] },
              properties: { tags: [r.meta.kb, ...r.meta.appliesTo], kbTopic: r.meta.kb },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: 'file://' + cwd.split(path.sep).map(encodeURIComponent).join('/') + '/' } },
        results: results.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.ruleId,
            ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
            level: SARIF_LEVEL[f.severity],
            message: { text: f.detail ? `${f.message}\n\n${f.detail}` : f.message },
            ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressed.justification, ...(f.suppressed.until ? { properties: { until: f.suppressed.until } } : {}) }] } : {}),
            locations: [
              f.source
                ? { physicalLocation: { artifactLocation: { uri: uri(f.source.path), uriBaseId: '%SRCROOT%' }, region: { startLine: f.source.start.line + 1, startColumn: f.source.start.character + 1, endLine: f.source.end.line + 1, endColumn: f.source.end.character + 1 } } }
                : { physicalLocation: { artifactLocation: { uri: uri(r.path), uriBaseId: '%SRCROOT%' }, region: region(r.lines, f.start, f.end) } },
            ],
            ...(f.related.length || f.source
              ? { relatedLocations: relatedOf(r, f).map((x, id) => ({ id, message: { text: x.message }, physicalLocation: { artifactLocation: { uri: uri(x.file), uriBaseId: '%SRCROOT%' }, region: { startLine: x.line, startColumn: x.column, endLine: x.endLine, endColumn: x.endColumn } } })) }
              : {}),
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
