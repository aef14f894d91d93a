// CLI output: text for people, JSON for scripts, SARIF 2.1.0 for code scanning.
import * as path from 'node:path';
import type { Finding } from '../engine/run';
import type { LineIndex } from '../documents/lines';
import { RULES } from '../rules';
import { teamRules } from '../team/registry';
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
    const s = r.lines.position(f.start);
    const e = r.lines.position(f.end);
    return { file: r.path, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, finding: f };
  });
}

/**
 * User text made safe for a terminal: control characters (C0 but tab, DEL, C1), line and paragraph
 * separators and bidirectional overrides are written as `\xNN` / `\u{NNNN}`, so a logical id, a file
 * name or a message cannot clear the screen, set the title, plant an OSC 8 link or forge a line.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

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
          const why = f.suppressed.justification ? `reason: ${printable(f.suppressed.justification)}` : 'no reason given';
          lines.push(paint('2', `${printable(l.file)}:${l.line}:${l.column}  ${'suppressed'.padEnd(7)} ${printable(f.ruleId)}  ${printable(f.message)}  [${why}${f.suppressed.until ? `, until ${printable(f.suppressed.until)}` : ''}]`));
        }
        continue;
      }
      counts[f.severity]++;
      const kb = f.kb ? paint('2', `  [KB: ${printable(topicById(f.kb)?.title ?? f.kb)}]`) : '';
      lines.push(`${printable(l.file)}:${l.line}:${l.column}  ${paint(sev[f.severity], f.severity.padEnd(7))} ${paint('1', printable(f.ruleId))}  ${printable(f.message)}${kb}`);
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
    locate(r).map((l) => ({
      file: l.file, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn, ruleId: l.finding.ruleId, messageId: l.finding.messageId, severity: l.finding.severity, message: l.finding.message, ...(l.finding.detail ? { detail: l.finding.detail } : {}), kb: l.finding.kb, suppressed: l.finding.suppressed ?? null,
      // Only locations in another file (a Helm chart's values) are listed, so the output stays as it was for the others.
      ...(l.finding.related.some((x) => x.uri) ? { related: l.finding.related.filter((x) => x.uri && x.range).map((x) => ({ file: x.uri, line: x.range!.start.line + 1, column: x.range!.start.character + 1, endLine: x.range!.end.line + 1, endColumn: x.range!.end.character + 1, message: x.message })) } : {}),
    })),
  );
  return JSON.stringify(out, null, 2) + '\n';
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** The rule's fix, and for team rules their KB topic (team topics have no web page): the help text code scanning shows. */
function sarifHelp(r: (typeof RULES)[number]): { text: string; markdown: string } {
  const topic = 'team' in r ? topicById(r.meta.kb) : undefined;
  if (!topic) return { text: r.meta.fix, markdown: r.meta.fix };
  const md = `${r.meta.fix}\n\n## KB: ${topic.title}\n\n${topic.summary}\n\n${topic.body.trim()}`;
  return { text: md, markdown: md };
}

export function formatSarif(results: FileResult[], cwd: string): string {
  const all = [...RULES, ...teamRules()];
  const ruleIndex = new Map(all.map((r, i) => [r.meta.id, i]));
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
            rules: all.map((r) => ({
              id: r.meta.id,
              name: r.meta.title,
              shortDescription: { text: r.meta.title },
              fullDescription: { text: r.meta.description },
              help: sarifHelp(r),
              ...('team' in r ? {} : { helpUri: ruleUrl(r.meta.id) }),
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
            locations: [{ physicalLocation: { artifactLocation: { uri: uri(r.path), uriBaseId: '%SRCROOT%' }, region: region(r.lines, f.start, f.end) } }],
            ...(f.related.length
              ? { relatedLocations: f.related.map((x, id) => ({ id, message: { text: x.message }, physicalLocation: { artifactLocation: { uri: uri(x.uri ?? r.path), uriBaseId: '%SRCROOT%' }, region: x.range ? { startLine: x.range.start.line + 1, startColumn: x.range.start.character + 1, endLine: x.range.end.line + 1, endColumn: x.range.end.character + 1 } : region(r.lines, x.start, x.end) } })) }
              : {}),
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** What a formatter may take into account besides the results. */
export interface FormatOptions {
  /** ANSI colours (a terminal that wants them). */
  color: boolean;
  elapsedMs: number;
  /** Also list findings suppressed in the source (text). */
  showSuppressed: boolean;
  /** Paths in the report are relative to this folder (SARIF). */
  cwd: string;
}

/** The output formats, by the name `--format` takes. Adding one: a function here and an entry. */
export const FORMATS: Readonly<Record<string, (results: FileResult[], options: FormatOptions) => string>> = {
  text: (results, o) => formatText(results, o.color, o.elapsedMs, o.showSuppressed),
  json: (results) => formatJson(results),
  sarif: (results, o) => formatSarif(results, o.cwd),
};
