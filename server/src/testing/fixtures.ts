// Runs a rule's annotated fixtures, as ESLint's RuleTester does: `fires*` files state every finding the
// rule must give (rule, message id, whole range), `quiet*` files must give none, and a fixture may carry
// the text its quick fixes must produce, which must then lint clean of that rule. `context*` files are part
// of the fixtures' workspace without being linted (a CodeBuild build spec a template's project runs).
//
// In YAML, an expected finding is a caret comment under the line it points at: `#   ^^^^ rule-id/messageId`
// (the carets cover the range exactly). For JSON, or a column too far left for a `#`, a sidecar file
// `<fixture>.expected` holds one `line:column-endLine:endColumn rule-id/messageId` per line (1-based,
// end exclusive; `line:column-endColumn` when the range is on one line).
import type { ParsedFile } from '../documents/parse';
import { parseFile } from '../kinds';
import { applyEdits, fixesFor } from '../fixes';
import type { Rule } from '../engine/rule';
import type { Environment } from '../engine/environment';
import { lint, type Finding } from '../engine/run';
import { WorkspaceIndex } from '../engine/workspace';

export interface Fixture {
  /** The file name (`fires-cdk.json`, `quiet.yaml`...); it decides whether the file fires and how it parses. */
  name: string;
  text: string;
  /** The sidecar `<name>.expected`, if there is one. */
  expected?: string;
  /** The text the rule's quick fixes must produce (`<stem>.fixed.<ext>`), if there is one. */
  fixed?: string;
}

export interface FixtureResult {
  name: string;
  /** What is wrong; empty when the fixture passes. */
  problems: string[];
}

/** The last segment of a path. */
function baseName(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
}

/** Fixture names: `fires...`, `quiet...` or `context...`, not the `.fixed.` outputs. */
export function isFixtureName(name: string): boolean {
  const base = baseName(name);
  return /^(fires|quiet|context)/.test(base) && !/\.fixed\./.test(base) && !base.endsWith('.expected');
}

/** The expected-output file name of a fixture: `fires-a.yaml` -> `fires-a.fixed.yaml`. */
export function fixedName(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? `${name}.fixed` : `${name.slice(0, dot)}.fixed${name.slice(dot)}`;
}

// A rule id may carry a team namespace (`acme/firelens-logging`); `/messageId` may follow it.
const CARET = /^(\s*#\s*)(\^+)\s+([a-z0-9-]+(?:\/[\w-]+)*)\s*$/;
const SIDECAR = /^(\d+):(\d+)(?:-(?:(\d+):)?(\d+))?\s+([a-z0-9-]+(?:\/[\w-]+)*)\s*$/;

/** `rule/messageId`, `team/rule/messageId` or a bare id: the rule under test decides how to split it. */
function splitId(token: string, ruleId: string | undefined): [string, string | undefined] {
  if (ruleId && token === ruleId) return [token, undefined];
  if (ruleId && token.startsWith(`${ruleId}/`)) return [ruleId, token.slice(ruleId.length + 1)];
  const m = /^(.*)\/(\w+)$/.exec(token);
  // `a/b` where `a` has no namespace: rule `a`, message `b`; `team/rule` alone is a team rule id.
  if (m) return [m[1], m[2]];
  return [token, undefined];
}

/** The expected findings of a fixture, as `line:column-endLine:endColumn rule/messageId` strings. */
export function expectedFindings(fixture: Fixture, ruleId?: string): string[] {
  const out: string[] = [];
  if (fixture.expected !== undefined) {
    for (const raw of fixture.expected.split('\n')) {
      const l = raw.trim();
      if (!l || l.startsWith('#')) continue;
      const m = SIDECAR.exec(l);
      if (!m) {
        out.push(`unreadable line in ${fixture.name}.expected: ${l}`);
        continue;
      }
      const [, line, column, endLine, endColumn, token] = m;
      const [rule, messageId] = splitId(token, ruleId);
      out.push(describe(+line, +column, endLine ? +endLine : +line, endColumn ? +endColumn : undefined, rule, messageId));
    }
    return out;
  }
  let target = -1;
  fixture.text.split(/\r?\n/).forEach((l, i) => {
    const m = CARET.exec(l);
    if (!m) {
      target = i;
      return;
    }
    const column = m[1].length + 1;
    const [rule, messageId] = splitId(m[3], ruleId);
    out.push(describe(target + 1, column, target + 1, column + m[2].length, rule, messageId));
  });
  return out;
}

function describe(line: number, column: number, endLine: number, endColumn: number | undefined, rule: string, messageId: string | undefined): string {
  return `${line}:${column}-${endLine}:${endColumn ?? '?'} ${rule}${messageId ? `/${messageId}` : ''}`;
}

function actual(file: ParsedFile, f: Finding): string {
  const a = file.lines.position(f.start);
  const b = file.lines.position(f.end);
  return describe(a.line + 1, a.character + 1, b.line + 1, b.character + 1, f.ruleId, f.messageId);
}

/**
 * Runs the fixtures of one rule. All fixtures form one workspace (cross-file rules see each other's
 * objects, and the environment they show is detected); `rules` are the rules to run (the rule under test
 * among them); `environment` is what a `.kbhints.yaml` would declare for them.
 */
export function testFixtures(ruleId: string, fixtures: Fixture[], rules: readonly Rule[], today?: string, environment?: Environment): FixtureResult[] {
  const workspace = new WorkspaceIndex();
  const parsed = fixtures.map((f) => {
    const file = parseFile(f.text, f.name);
    workspace.update(file);
    return file;
  });
  const findingsOf = (file: ParsedFile) => lint(file, { rules, workspace, today, environment }).filter((f) => f.ruleId === ruleId);
  const tested = fixtures.flatMap((fixture, i) => (/^context/.test(baseName(fixture.name)) ? [] : [{ fixture, file: parsed[i] }]));
  return tested.map(({ fixture, file }) => {
    const problems: string[] = [];
    if (!file.kind) return { name: fixture.name, problems: [`not recognised as a template or manifest (${file.skipped})`] };
    if (file.errors.length) problems.push(`syntax errors: ${file.errors.map((e) => e.message).join('; ')}`);
    const fires = /^fires/.test(baseName(fixture.name));
    const expected = fires ? expectedFindings(fixture, ruleId) : [];
    if (fires && !expected.length) problems.push('declares no expected finding');
    const found = findingsOf(file);
    const got = found.map((f) => actual(file, f));
    // An expectation without a message id (`# ^^^ acme/rule`) matches any message of the rule.
    const bare = found.map((f) => actual(file, { ...f, messageId: undefined }));
    const matches = (e: string, i: number) => e === got[i] || e === bare[i];
    for (const e of expected) if (!got.some((_, i) => matches(e, i))) problems.push(`expected ${e}`);
    got.forEach((g, i) => {
      if (!expected.some((e) => matches(e, i))) problems.push(`unexpected ${g}`);
    });
    if (fixture.fixed !== undefined) problems.push(...checkFixed(fixture, file, findingsOf));
    return { name: fixture.name, problems };
  });
}

/** Applies the rule's own quick fix to each of its findings in turn; the result must be `fixed` and lint clean. */
function checkFixed(fixture: Fixture, file: ParsedFile, findingsOf: (file: ParsedFile) => Finding[]): string[] {
  let current = file;
  for (let pass = 0; pass < 50; pass++) {
    const fix = findingsOf(current).map((f) => fixesFor(current, f, { suppress: false })[0]).find((x) => x);
    if (!fix) break;
    current = parseFile(applyEdits(current.text, fix.edits), fixture.name);
  }
  const problems: string[] = [];
  if (current.text !== fixture.fixed) problems.push(`the quick fixes give\n${current.text}\ninstead of ${baseName(fixedName(fixture.name))}:\n${fixture.fixed}`);
  const left = findingsOf(current);
  if (left.length) problems.push(`after the quick fixes, still: ${left.map((f) => actual(current, f)).join(', ')}`);
  return problems;
}
