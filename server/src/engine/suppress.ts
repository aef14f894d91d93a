// Suppressions written in the source, applied after the rules ran: a suppressed finding is kept and
// marked (`suppressed`), never dropped, so the CLI can report it (SARIF `suppressions`) and the editor
// can hide it. Three forms:
// - YAML (CloudFormation and Kubernetes): `# kb-hints-ignore rule-id[,rule-id] reason="..." [until=YYYY-MM-DD]`
//   on the line before the finding, at the end of the finding's line, or on the line before a resource's
//   logical id / a Kubernetes object (then it covers the whole resource or object).
// - CloudFormation (JSON, YAML, CDK output): resource `Metadata: { kb-hints: { ignore: [ { rule, reason, until } ] } }`.
// - Kubernetes: the annotation `kb-hints.dev/ignore: "rule-id: reason[; other-id: reason until=YYYY-MM-DD]"`.
// Choices: a suppression without a reason (or with the placeholder reason the quick fix inserts) still
// suppresses, and is itself reported (`suppression-reason-missing`, hint) so it gets a reason; an expired
// one (`until` in the past) stops suppressing and is reported (`suppression-expired`); a malformed one
// (no rule id, unknown rule, bad date) is reported (`suppression-invalid`) and, for a bad date, does not suppress.
import { compareNames } from './collate';
import { asMap, asScalar, asSeq, get, str } from '../documents/nodes';
import { insideQuotedScalar, type ParsedFile } from '../documents/parse';
import type { FileModel, KindDescriptor } from '../kinds';
import type { Template } from '../model/template';
import type { K8sObject } from '../model/kubernetes';
import type { Severity } from './rule';

export const SUPPRESSION_REASON_MISSING = 'suppression-reason-missing';
export const SUPPRESSION_EXPIRED = 'suppression-expired';
export const SUPPRESSION_INVALID = 'suppression-invalid';
/** Ids of the findings this module reports about suppressions themselves (never suppressible). */
export const SUPPRESSION_FINDINGS = [SUPPRESSION_REASON_MISSING, SUPPRESSION_EXPIRED, SUPPRESSION_INVALID];
/** The reason the "Suppress" quick fix inserts; counts as no reason until the user replaces it. */
export const PLACEHOLDER_REASON = 'TODO: why';
export const SUPPRESS_COMMENT = 'kb-hints-ignore';
export const SUPPRESS_METADATA = 'kb-hints';
export const SUPPRESS_ANNOTATION = 'kb-hints.dev/ignore';

export interface Suppression {
  form: 'comment' | 'metadata' | 'annotation';
  rules: string[];
  /** The reason as written; undefined when absent or empty. */
  reason?: string;
  /** `YYYY-MM-DD` as written (may be malformed: see `problem`). */
  until?: string;
  /** Where the suppression is written. */
  start: number;
  end: number;
  /** Offset ranges whose findings it covers (a line, a resource, an object). */
  scopes: Array<{ start: number; end: number }>;
  /** Why it is malformed, if it is. */
  problem?: string;
}

export interface SuppressedInfo {
  kind: 'inSource';
  justification: string;
  until?: string;
}

/** The part of a finding suppression reads and writes (engine `Finding` is a superset). */
export interface SuppressibleFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  related: Array<{ start: number; end: number; message: string }>;
  data?: Record<string, unknown>;
  suppressed?: SuppressedInfo;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today as `YYYY-MM-DD` (UTC). */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

export function isValidDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Every suppression written in a file, in the forms its kind accepts. */
export function findSuppressions(file: ParsedFile, kind: KindDescriptor, model: FileModel): Suppression[] {
  const { template, objects } = model;
  const forms = kind.suppressions;
  const out: Suppression[] = [];
  // Loops, not push(...list): a file can hold more suppressions than a call takes arguments.
  if (forms.includes('comment') && file.format === 'yaml') for (const s of commentSuppressions(file, template, objects)) out.push(s);
  if (forms.includes('metadata') && template && file.text.includes(SUPPRESS_METADATA)) for (const s of metadataSuppressions(template)) out.push(s);
  if (forms.includes('annotation') && objects.length && file.text.includes(SUPPRESS_ANNOTATION)) for (const s of annotationSuppressions(objects)) out.push(s);
  return out.sort((a, b) => a.start - b.start);
}

// ---- comments ---------------------------------------------------------------------------------

const COMMENT = /(^|[ \t])#[ \t]*kb-hints-ignore\b(.*)$/;

function commentSuppressions(file: ParsedFile, template: Template | undefined, objects: readonly K8sObject[]): Suppression[] {
  const text = file.text;
  if (!text.includes(SUPPRESS_COMMENT)) return [];
  const lines = file.lines;
  const inScalar = insideQuotedScalar(file);
  // Resources and objects by the line their key starts on (built on first use).
  let byLine: Map<number, Array<{ start: number; end: number }>> | undefined;
  const startingOn = (line: number) => {
    if (!byLine) {
      byLine = new Map();
      const add = (at: number, scope: { start: number; end: number }) => {
        const l = lines.position(at).line;
        let list = byLine!.get(l);
        if (!list) byLine!.set(l, (list = []));
        list.push(scope);
      };
      for (const res of template?.resources.values() ?? []) add(res.key.start, { start: res.key.start, end: Math.max(res.node.end, res.key.end) });
      for (const obj of objects) add(obj.node.start, { start: obj.node.start, end: obj.node.end });
    }
    return byLine.get(line) ?? [];
  };
  const targets: TargetScan = { before: -1, result: undefined };
  const out: Suppression[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const ls = lines.lineStart(line);
    const le = lines.lineEnd(line);
    const content = text.slice(ls, le);
    if (!content.includes(SUPPRESS_COMMENT)) continue;
    const m = COMMENT.exec(content);
    if (!m) continue;
    const hash = ls + m.index + m[1].length;
    if (inScalar(hash)) continue;
    const parsed = parseCommentArgs(m[2]);
    const fullLine = content.slice(0, hash - ls).trim() === '';
    const target = fullLine ? targetLine(file, line, targets) : line;
    const scopes: Suppression['scopes'] = [];
    if (target !== undefined) {
      scopes.push({ start: lines.lineStart(target), end: lines.lineEnd(target) });
      for (const scope of startingOn(target)) scopes.push(scope);
    }
    out.push({ form: 'comment', ...parsed, start: hash, end: le, scopes });
  }
  return out;
}

/** The last scan of targetLine: every line before `before` that it skipped leads to `result`. */
interface TargetScan {
  before: number;
  result: number | undefined;
}

/**
 * The line a full-line comment speaks about: the next line that is not a comment (past a `---`).
 * Lines are asked for in increasing order; a comment inside the run the previous scan skipped has the
 * same answer (so a block of n comment lines costs n, not n squared).
 */
function targetLine(file: ParsedFile, line: number, last: TargetScan): number | undefined {
  if (line < last.before) return last.result;
  const { text, lines } = file;
  let result: number | undefined;
  let l = line + 1;
  for (; l < lines.lineCount; l++) {
    const content = text.slice(lines.lineStart(l), lines.lineEnd(l)).trim();
    if (content.startsWith('#')) continue;
    if (content === '') break;
    if (/^---(\s|$)/.test(content) && l + 1 < lines.lineCount) continue;
    result = l;
    break;
  }
  last.before = l;
  last.result = result;
  return result;
}

function parseCommentArgs(args: string): Pick<Suppression, 'rules' | 'reason' | 'until' | 'problem'> {
  // Rule ids, built-in (`ecr-tags-mutable`) or a team's (`acme/firelens-logging`).
  const idsMatch = /^\s*([a-z0-9][a-z0-9-]*(?:\/[a-z0-9][a-z0-9-]*)?(?:\s*,\s*[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][a-z0-9-]*)?)*)/i.exec(args);
  const rules = idsMatch && !/^\s*(reason|until)\s*=/.test(args) ? idsMatch[1].split(',').map((s) => s.trim()).filter(Boolean) : [];
  const reasonMatch = /\breason\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(args);
  const reason = (reasonMatch?.[1] ?? reasonMatch?.[2] ?? reasonMatch?.[3])?.trim() || undefined;
  const until = /\buntil\s*=\s*["']?([^\s"']+)/.exec(args)?.[1];
  return { rules, reason, until, problem: rules.length ? undefined : 'names no rule id' };
}

/** Ranges of quoted and block scalars, where a `#` is text, not a comment. */
// ---- CloudFormation metadata ------------------------------------------------------------------

function metadataSuppressions(template: Template): Suppression[] {
  const out: Suppression[] = [];
  for (const res of template.resources.values()) {
    const ignore = get(get(res.metadata, SUPPRESS_METADATA), 'ignore');
    if (!ignore) continue;
    const entries = asSeq(ignore)?.items ?? [ignore];
    const scope = { start: res.key.start, end: Math.max(res.node.end, res.key.end) };
    for (const entry of entries) {
      const plain = asScalar(entry);
      const rule = plain ? str(plain) : str(get(entry, 'rule'));
      const reason = plain ? undefined : str(get(entry, 'reason'))?.trim() || undefined;
      const until = plain ? undefined : str(get(entry, 'until'));
      const rules = (rule ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      out.push({ form: 'metadata', rules, reason, until, start: entry.start, end: entry.end, scopes: [scope], problem: rules.length ? undefined : 'names no rule (set "rule")' });
    }
  }
  return out;
}

// ---- Kubernetes annotations -------------------------------------------------------------------

function annotationSuppressions(objects: readonly K8sObject[]): Suppression[] {
  const out: Suppression[] = [];
  for (const obj of objects) {
    const node = get(asMap(get(get(obj.node, 'metadata'), 'annotations')), SUPPRESS_ANNOTATION);
    const value = str(node);
    if (!node || value === undefined) continue;
    for (const part of value.split(';')) {
      if (!part.trim()) continue;
      out.push({ form: 'annotation', ...parseAnnotationEntry(part), start: node.start, end: node.end, scopes: [{ start: obj.node.start, end: obj.node.end }] });
    }
  }
  return out;
}

export function parseAnnotationEntry(part: string): Pick<Suppression, 'rules' | 'reason' | 'until' | 'problem'> {
  const colon = part.indexOf(':');
  const ids = colon === -1 ? part : part.slice(0, colon);
  let reason = colon === -1 ? '' : part.slice(colon + 1);
  let until: string | undefined;
  const u = trailingUntil(reason);
  if (u) {
    until = u.value;
    reason = reason.slice(0, u.index);
  }
  const rules = ids.split(',').map((s) => s.trim()).filter(Boolean);
  return { rules, reason: reason.trim() || undefined, until, problem: rules.length ? undefined : 'names no rule id' };
}

const SPACE = /\s/;
const WORD = /\w/;

/**
 * A trailing `until=VALUE` (VALUE the last word of the text): what `/\s*\buntil\s*=\s*(\S+)\s*$/` finds,
 * read without a regular expression, in linear time whatever the text.
 */
function trailingUntil(text: string): { value: string; index: number } | undefined {
  let end = text.length;
  while (end > 0 && SPACE.test(text[end - 1])) end--;
  let lastSpace = -1;
  for (let i = end - 1; i >= 0; i--) {
    if (SPACE.test(text[i])) {
      lastSpace = i;
      break;
    }
  }
  for (let at = text.indexOf('until'); at !== -1 && at < end; at = text.indexOf('until', at + 1)) {
    if (at > 0 && WORD.test(text[at - 1])) continue;
    let j = at + 5;
    while (j < end && SPACE.test(text[j])) j++;
    if (text[j] !== '=') continue;
    j++;
    while (j < end && SPACE.test(text[j])) j++;
    if (j >= end || j <= lastSpace) continue;
    return { value: text.slice(j, end), index: at };
  }
  return undefined;
}

// ---- applying ---------------------------------------------------------------------------------

export interface ApplyOptions {
  /** `YYYY-MM-DD`; defaults to today (UTC). Injectable for tests. */
  today?: string;
  /** Severity overrides; the suppression findings default to `hint` and may be turned `off`. */
  severities?: Record<string, Severity | 'off'>;
  /** Rule ids a suppression may name (others are reported as unknown); undefined = do not check. */
  knownRules?: ReadonlySet<string>;
}

/** True when a suppression stops suppressing: its `until` date is before today. */
export function isExpired(s: Pick<Suppression, 'until'>, today: string): boolean {
  return !!s.until && isValidDate(s.until) && s.until < today;
}

/**
 * Marks the findings each suppression covers (`suppressed`) and adds findings about suppressions
 * that lack a reason, have expired or are malformed. Returns a new array, sorted like the input.
 */
export function applySuppressions<F extends SuppressibleFinding>(findings: F[], suppressions: Suppression[], options: ApplyOptions = {}): F[] {
  if (!suppressions.length) return findings;
  const today = options.today ?? todayIso();
  const out: F[] = findings.map((f) => ({ ...f }));
  const extra: SuppressibleFinding[] = [];
  const report = (ruleId: string, s: Suppression, message: string) => {
    const severity = options.severities?.[ruleId] ?? 'hint';
    if (severity === 'off') return;
    extra.push({ ruleId, severity, message, start: s.start, end: s.end, related: [], data: { rules: s.rules, ...(s.until ? { until: s.until } : {}) } });
  };
  const what = (s: Suppression) => `Suppression of ${s.rules.join(', ') || '(no rule)'}`;
  // Findings by rule, in order of start: each suppression visits only the not yet suppressed findings
  // of its rules inside its scopes (so many suppressions over many findings stay near-linear).
  const index = new Map<string, FindingGroup<F>>();
  for (const f of out) {
    if (f.suppressed || SUPPRESSION_FINDINGS.includes(f.ruleId)) continue;
    let g = index.get(f.ruleId);
    if (!g) index.set(f.ruleId, (g = new FindingGroup<F>()));
    g.items.push(f);
  }
  for (const g of index.values()) g.seal();
  for (const s of suppressions) {
    if (s.problem) {
      report(SUPPRESSION_INVALID, s, `${what(s)} ${s.problem}: write \`${example(s.form)}\`.`);
      continue;
    }
    if (s.until !== undefined && !isValidDate(s.until)) {
      report(SUPPRESSION_INVALID, s, `${what(s)} has an invalid date until=${s.until} (use YYYY-MM-DD); it does not suppress anything until fixed.`);
      continue;
    }
    const unknown = options.knownRules ? s.rules.filter((r) => !options.knownRules!.has(r)) : [];
    if (unknown.length) report(SUPPRESSION_INVALID, s, `${what(s)} names ${unknown.length === 1 ? 'an unknown rule' : 'unknown rules'}: ${unknown.join(', ')}.`);
    if (isExpired(s, today)) {
      report(SUPPRESSION_EXPIRED, s, `${what(s)} expired on ${s.until}: the findings it covered are reported again. Fix them, or extend until= with a reason.`);
      continue;
    }
    if (!s.reason || s.reason === PLACEHOLDER_REASON) {
      report(SUPPRESSION_REASON_MISSING, s, `${what(s)} has no reason: say why (reason="...") so reviewers can judge it. It still suppresses.`);
    }
    for (const rule of new Set(s.rules)) {
      const group = index.get(rule);
      if (!group) continue;
      for (const r of s.scopes) {
        group.take(r.start, r.end, (f) => {
          f.suppressed = { kind: 'inSource', justification: s.reason ?? '', ...(s.until ? { until: s.until } : {}) };
        });
      }
    }
  }
  return [...out, ...(extra as F[])].sort((a, b) => a.start - b.start || compareNames(a.ruleId, b.ruleId));
}

/** Findings of one rule sorted by start; `take` hands out each finding at most once. */
class FindingGroup<F extends SuppressibleFinding> {
  items: F[] = [];
  /** next[i]: the first index at or after i not yet taken (path-compressed). */
  private next: Int32Array = new Int32Array(0);

  seal(): void {
    this.items.sort((a, b) => a.start - b.start);
    this.next = new Int32Array(this.items.length + 1);
    for (let i = 0; i <= this.items.length; i++) this.next[i] = i;
  }

  private find(i: number): number {
    let root = i;
    while (this.next[root] !== root) root = this.next[root];
    while (this.next[i] !== root) {
      const n = this.next[i];
      this.next[i] = root;
      i = n;
    }
    return root;
  }

  /** Calls `use` for every finding not taken yet whose start is in [start, end], and takes it. */
  take(start: number, end: number, use: (f: F) => void): void {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = this.find(lo); i < this.items.length && this.items[i].start <= end; i = this.find(i)) {
      use(this.items[i]);
      this.next[i] = i + 1;
    }
  }
}

function example(form: Suppression['form']): string {
  if (form === 'comment') return '# kb-hints-ignore rule-id reason="why" until=YYYY-MM-DD';
  if (form === 'metadata') return '{ "rule": "rule-id", "reason": "why", "until": "YYYY-MM-DD" }';
  return `${SUPPRESS_ANNOTATION}: "rule-id: why"`;
}
