// Problems in a `.kbhints.yaml` open in the editor, as diagnostics on the offending line: what the
// config reader reports (syntax, unknown keys, bad severities, bad globs, environment) located in the
// file, and rule ids that no built-in or team rule has (the CLI prints the reader's problems as
// warning lines; an unknown id would otherwise go unnoticed: the setting just never applies).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { asMap, asSeq, str, type MapNode, type Node } from '../documents/nodes';
import { parseYaml } from '../documents/yaml';
import { CONFIG_FILE, parseConfig } from '../engine/config';
import { RULES, ruleById } from '../rules';
import { toRange } from './convert';

export const CONFIG_INVALID = 'config-invalid';
export const CONFIG_UNKNOWN_RULE = 'config-unknown-rule';

export const isConfigUri = (uri: string) => uri.endsWith(`/${CONFIG_FILE}`);

interface Problem {
  message: string;
  start: number;
  end: number;
  severity: DiagnosticSeverity;
  code: string;
}

/** The problems of a `.kbhints.yaml` text, located (offsets). */
export function configProblems(text: string): Problem[] {
  const { errors } = parseConfig(text);
  const { docs, errors: syntax } = parseYaml(text);
  const root = asMap(docs[0]?.root);
  const firstLine = { start: 0, end: Math.max(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n')) };
  const out: Problem[] = [];
  for (const e of errors) {
    if (e.startsWith('YAML syntax error') && syntax[0]) {
      out.push({ message: e, start: syntax[0].start, end: Math.max(syntax[0].end, syntax[0].start + 1), severity: DiagnosticSeverity.Error, code: CONFIG_INVALID });
      continue;
    }
    const at = locate(e, root) ?? firstLine;
    out.push({ message: e, ...at, severity: DiagnosticSeverity.Warning, code: CONFIG_INVALID });
  }
  const rules = asMap(pairOf(root, 'rules')?.value);
  for (const p of rules?.pairs ?? []) {
    const id = String(p.key.value);
    if (ruleById(id)) continue;
    const near = closest(id);
    out.push({
      message: `rules.${id}: no rule has this id, so this setting does nothing${near ? ` (did you mean '${near}'?)` : ''}. KB Hints: Browse Rules (or \`kb-hints rules list\`) lists the ids.`,
      start: p.key.start,
      end: p.key.end,
      severity: DiagnosticSeverity.Warning,
      code: CONFIG_UNKNOWN_RULE,
    });
  }
  return out;
}

/** The same as LSP diagnostics of a document. */
export function configDiagnostics(doc: TextDocument): Diagnostic[] {
  return configProblems(doc.getText()).map((p) => ({ range: toRange(doc, p.start, p.end), severity: p.severity, source: 'kb-hints', code: p.code, message: p.message }));
}

function pairOf(map: MapNode | undefined, key: string) {
  return map?.pairs.find((p) => str(p.key) === key);
}

/** Where a reader's message points: `rules.<id>: ...` at the value, `a.b: unknown key 'k'` at the key, `ignore: 'x' ...` at the item. */
function locate(message: string, root: MapNode | undefined): { start: number; end: number } | undefined {
  const rule = /^rules\.(.+?): expected/.exec(message);
  if (rule) {
    const p = pairOf(asMap(pairOf(root, 'rules')?.value), rule[1]);
    return p && span(p.value.end > p.value.start ? p.value : p.key);
  }
  const top = /^unknown key '(.+?)'/.exec(message);
  if (top) return span(pairOf(root, top[1])?.key);
  const m = /^([A-Za-z]+(?:\.[A-Za-z0-9_-]+)*):\s*(.*)$/.exec(message);
  if (!m) return undefined;
  let node: Node | undefined = root;
  let last: { start: number; end: number } | undefined;
  for (const key of m[1].split('.')) {
    const p = pairOf(asMap(node), key);
    if (!p) break;
    last = p.key;
    node = p.value;
  }
  const inner = /unknown (?:key|section) '(.+?)'/.exec(m[2]);
  if (inner) return span(pairOf(asMap(node), inner[1])?.key) ?? last;
  const item = /^'(.+?)(?:\.\.\.)?' is not a valid glob/.exec(m[2]);
  if (item) return span(asSeq(node)?.items.find((i) => str(i)?.trim().startsWith(item[1]))) ?? last;
  return last;
}

const span = (n: { start: number; end: number } | undefined) => (n ? { start: n.start, end: n.end } : undefined);

/** The built-in rule id nearest to a typo (edit distance at most a third of its length). */
function closest(id: string): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(id.length / 3)) + 1;
  for (const r of RULES) {
    const d = distance(id, r.meta.id);
    if (d < bestD) [best, bestD] = [r.meta.id, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 10) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
