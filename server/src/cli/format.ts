// CLI output: text for people, JSON for scripts, SARIF 2.1.0 for code scanning; GitHub annotations,
// JUnit XML and GitLab Code Quality in cli/formats/.
import * as zlib from 'node:zlib';
import { INTERNAL_ERROR, type Finding } from '../engine/run';
import type { LineIndex } from '../documents/lines';
import { RULES } from '../rules';
import { teamRules } from '../team/registry';
import { ruleMarkdown, ruleUrl, topicById } from '../kb/topics';
import { identify } from './formats/common';
import { formatGithub } from './formats/github';
import { formatJunit } from './formats/junit';
import { formatCodeQuality } from './formats/codequality';
import { fileUri, relativeToRoot } from './root';
import { VERSION } from '../version';

export interface FileResult {
  path: string;
  kind?: string;
  skipped?: string;
  findings: Finding[];
  lines: LineIndex;
  /** The text of the line each finding starts on, in the order of `findings` (fingerprints). */
  lineTexts?: string[];
  /** Its lint read the workspace index (cross-file facts): the cache keys it on the whole index too. */
  readsWorkspace?: boolean;
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

/** The related locations of a finding, 1-based, with its template location first when it was placed in a source. */
function relatedOf(r: FileResult, f: Finding): Array<{ file: string; line: number; column: number; endLine: number; endColumn: number; message: string }> {
  const at = (start: number, end: number, message: string) => {
    const s = r.lines.position(start);
    const e = r.lines.position(end);
    return { file: r.path, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, message };
  };
  const own = f.related.map((x) =>
    // A location in another file (a Helm chart's values.yaml) carries its own range.
    x.uri && x.range ? { file: x.uri, line: x.range.start.line + 1, column: x.range.start.character + 1, endLine: x.range.end.line + 1, endColumn: x.range.end.character + 1, message: x.message } : at(x.start, x.end, x.message),
  );
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
          const why = f.suppressed.justification ? `reason: ${printable(f.suppressed.justification)}` : 'no reason given';
          lines.push(paint('2', `${printable(l.file)}:${l.line}:${l.column}  ${'suppressed'.padEnd(7)} ${printable(f.ruleId)}  ${printable(f.message)}  [${why}${f.suppressed.until ? `, until ${printable(f.suppressed.until)}` : ''}]`));
        }
        continue;
      }
      counts[f.severity]++;
      const kb = f.kb ? paint('2', `  [KB: ${printable(topicById(f.kb)?.title ?? f.kb)}]`) : '';
      lines.push(`${printable(l.file)}:${l.line}:${l.column}  ${paint(sev[f.severity], f.severity.padEnd(7))} ${paint('1', printable(f.ruleId))}  ${printable(f.message)}${kb}`);
      if (f.source) {
        const t = relatedOf(r, f)[0];
        lines.push(paint('2', `    synthesized as ${printable(f.source.logicalId)} at ${printable(t.file)}:${t.line}:${t.column}${f.source.stale ? ' (from the last synth: the source changed since)' : ''}`));
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
    locate(r).map((l) => ({
      file: l.file, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn, ruleId: l.finding.ruleId, messageId: l.finding.messageId, severity: l.finding.severity, message: l.finding.message, ...(l.finding.detail ? { detail: l.finding.detail } : {}), kb: l.finding.kb, suppressed: l.finding.suppressed ?? null,
      ...(l.finding.related.length || l.finding.source ? { related: relatedOf(r, l.finding) } : {}),
      ...(l.finding.source ? { placedBy: l.finding.source.how, ...(l.finding.source.stale ? { stale: true } : {}) } : {}),
    })),
  );
  return JSON.stringify(out, null, 2) + '\n';
}

/** The rule article (built-in rules), or the fix and the KB topic (team rules, whose topics have no web page). */
function sarifHelp(r: (typeof RULES)[number]): { text: string; markdown: string } {
  const topic = 'team' in r ? topicById(r.meta.kb) : undefined;
  if (!topic) return { text: plainText(ruleMarkdown(r, 'web')), markdown: ruleMarkdown(r, 'web') };
  const md = `${r.meta.fix}\n\n## KB: ${topic.title}\n\n${topic.summary}\n\n${topic.body.trim()}`;
  return { text: plainText(md), markdown: md };
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
/** GitHub's `problem.severity` for rules that are not security rules. */
const PROBLEM_SEVERITY: Record<string, string> = { error: 'error', warning: 'warning', info: 'recommendation', hint: 'recommendation' };
/**
 * Rules whose finding is a security weakness, with a CVSS-like `security-severity` (GitHub shows 4.0-6.9 as
 * medium): a task falling back to the instance role or sharing one role across tasks (broader credentials
 * than the task needs), images never scanned, tags that can be repointed to other images.
 */
export const SECURITY_SEVERITY: Readonly<Record<string, string>> = {
  'ecr-scan-on-push-disabled': '4.0',
  'ecr-tags-mutable': '4.0',
  'ecs-task-role-missing': '5.0',
  'ecs-task-role-shared': '5.0',
};
/** GitHub code scanning: results shown per run, accepted per run, gzipped upload size. */
export const GITHUB_LIMITS = { shownResults: 5_000, results: 25_000, gzipBytes: 10 * 1024 * 1024 };

export function formatSarif(results: FileResult[], o: Pick<FormatOptions, 'cwd' | 'root' | 'startTime' | 'warn'>): string {
  const root = o.root ?? o.cwd;
  const all = [...RULES, ...teamRules()];
  const ruleIndex = new Map(all.map((r, i) => [r.meta.id, i]));
  const location = (file: string) => {
    const rel = relativeToRoot(root, file);
    return rel === undefined ? { uri: fileUri(file) } : { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  };
  const region = (lines: LineIndex, start: number, end: number) => {
    const s = lines.position(start);
    const e = lines.position(end);
    return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
  };
  const endTime = new Date();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'KB Hints',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: 'https://github.com/kb-hints/kb-hints',
            rules: all.map((r) => ({
              id: r.meta.id,
              name: r.meta.title,
              shortDescription: { text: r.meta.title },
              fullDescription: { text: plainText(r.meta.description), markdown: r.meta.description },
              help: sarifHelp(r),
              // Team rules have no web page: their help carries the KB topic.
              ...('team' in r ? {} : { helpUri: ruleUrl(r.meta.id) }),
              defaultConfiguration: { level: SARIF_LEVEL[r.meta.severity] },
              properties: {
                tags: [...(SECURITY_SEVERITY[r.meta.id] ? ['security'] : []), r.meta.kb, ...r.meta.appliesTo],
                kbTopic: r.meta.kb,
                // The rules read declared configuration, not inferred behaviour: a finding is what the file says.
                precision: 'high',
                'problem.severity': PROBLEM_SEVERITY[r.meta.severity],
                ...(SECURITY_SEVERITY[r.meta.id] ? { 'security-severity': SECURITY_SEVERITY[r.meta.id] } : {}),
              },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: !results.some((r) => r.findings.some((f) => f.ruleId === INTERNAL_ERROR)),
            ...(o.startTime ? { startTimeUtc: o.startTime.toISOString() } : {}),
            endTimeUtc: endTime.toISOString(),
            workingDirectory: { uri: fileUri(o.cwd, true) },
          },
        ],
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: fileUri(root, true) } },
        results: identify(results, root).map(({ file: r, finding: f, lineHash, findingHash }) => ({
          ruleId: f.ruleId,
          ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.detail ? `${f.message}\n\n${f.detail}` : f.message },
          ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressed.justification, ...(f.suppressed.until ? { properties: { until: f.suppressed.until } } : {}) }] } : {}),
          locations: [
            f.source
              ? { physicalLocation: { artifactLocation: location(f.source.path), region: { startLine: f.source.start.line + 1, startColumn: f.source.start.character + 1, endLine: f.source.end.line + 1, endColumn: f.source.end.character + 1 } } }
              : { physicalLocation: { artifactLocation: location(r.path), region: region(r.lines, f.start, f.end) } },
          ],
          partialFingerprints: { primaryLocationLineHash: lineHash, 'kbHintsFinding/v1': findingHash },
          ...(f.related.length || f.source
            ? { relatedLocations: relatedOf(r, f).map((x, id) => ({ id, message: { text: x.message }, physicalLocation: { artifactLocation: location(x.file), region: { startLine: x.line, startColumn: x.column, endLine: x.endLine, endColumn: x.endColumn } } })) }
            : {}),
        })),
      },
    ],
  };
  const out = JSON.stringify(sarif, null, 2) + '\n';
  const count = sarif.runs[0].results.length;
  if (count > GITHUB_LIMITS.results) o.warn?.(`warning: ${count} SARIF results: GitHub code scanning rejects a run with more than ${GITHUB_LIMITS.results} (narrow the paths, or raise the failure threshold in .kbhints.yaml)`);
  else if (count > GITHUB_LIMITS.shownResults) o.warn?.(`warning: ${count} SARIF results: GitHub code scanning shows only the first ${GITHUB_LIMITS.shownResults} of a run (and rejects more than ${GITHUB_LIMITS.results})`);
  if (out.length > GITHUB_LIMITS.gzipBytes / 4) {
    const gz = zlib.gzipSync(out).length;
    if (gz > GITHUB_LIMITS.gzipBytes) o.warn?.(`warning: the SARIF file is ${(gz / 1048576).toFixed(1)} MB gzipped: GitHub code scanning accepts at most 10 MB`);
  }
  return out;
}

/** Markdown reduced to text for SARIF `text` fields: code spans, emphasis and links unwrapped. */
function plainText(markdown: string): string {
  return markdown
    .replace(/^```[a-z]*$/gm, '')
    .replace(/^#+ /gm, '')
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[^*\w])\*([^*\s][^*\n]*)\*/g, '$1$2');
}

/** What a formatter may take into account besides the results. */
export interface FormatOptions {
  /** ANSI colours (a terminal that wants them). */
  color: boolean;
  elapsedMs: number;
  /** Also list findings suppressed in the source (text). */
  showSuppressed: boolean;
  /** The working folder. */
  cwd: string;
  /** The repository root: SARIF URIs, annotation and Code Quality paths are relative to it (default: cwd). */
  root?: string;
  /** When the run started (SARIF `invocations`). */
  startTime?: Date;
  /** One line on stderr (a report near a consumer's limits). */
  warn?: (message: string) => void;
}

/** The output formats, by the name `--format` takes. Adding one: a function here and an entry. */
export const FORMATS: Readonly<Record<string, (results: FileResult[], options: FormatOptions) => string>> = {
  text: (results, o) => formatText(results, o.color, o.elapsedMs, o.showSuppressed),
  json: (results) => formatJson(results),
  sarif: (results, o) => formatSarif(results, o),
  github: (results, o) => formatGithub(results, o.root ?? o.cwd, o.warn),
  junit: (results, o) => formatJunit(results, o.root ?? o.cwd),
  codequality: (results, o) => formatCodeQuality(results, o.root ?? o.cwd),
};
