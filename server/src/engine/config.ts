// The project file `.kbhints.yaml`: rule severities and ignored paths, shared by the CLI and the server.
// Files are found upward from the linted file and merged: parent folders first, the nearer file wins
// for each rule id; `ignore` patterns of every level apply (each relative to its own folder; a later,
// nearer `!pattern` re-includes). `root: true` stops the search upward. Data only: no code runs.
//
//   rules:
//     ecr-tags-mutable: off          # off | hint | info | warning | error
//     ecs-task-role-missing: error
//   ignore:
//     - cdk.out/**                   # globs: *, **, ?, {a,b}; no slash = any depth; trailing / = a folder
//     - legacy/
//   root: true
//   environment:                     # what the cluster and account are like: see environment.ts
//     eks: { loadBalancerController: true, autoMode: false, fargateNamespaces: [batch] }
//     ecr: { registryScanning: true }
//   kb: [docs/kb]                   # folders of team KB topics (Markdown + front matter), relative to this file
//   teamRules: [policies/rules]     # folders of team rule files (YAML); .kbhints/rules/ beside this file is read too
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asMap, asScalar, asSeq, str, type Node } from '../documents/nodes';
import { parseYaml } from '../documents/yaml';
import { SEVERITIES, type Severity } from './rule';
import { mergeEnvironments, parseEnvironment, type Environment } from './environment';

export const CONFIG_FILE = '.kbhints.yaml';

export type RuleSetting = Severity | 'off';

/** One `.kbhints.yaml`, as written. */
export interface ProjectConfig {
  rules: Record<string, RuleSetting>;
  ignore: string[];
  root: boolean;
  /** The declared environment (absent when the file has no `environment:` section). */
  environment?: Environment;
  /** Folders of team topics and of team rule files, as written (relative to the file's folder). */
  kb?: string[];
  teamRules?: string[];
}

/** The merged configuration that applies to one folder. */
export interface ResolvedConfig {
  rules: Record<string, RuleSetting>;
  /** Ignore patterns with the folder each is relative to, farthest first. */
  ignore: Array<{ dir: string; pattern: string }>;
  /** The declared environment, trait by trait from the nearest file that sets it. */
  environment: Environment;
  /** The config files that were merged, nearest first. */
  files: string[];
  /** Team topic folders and team rule folders of every level (absolute; `.kbhints/rules` beside each file included), farthest first. */
  kb: string[];
  teamRules: string[];
  /** Problems found in those files (`file: message`). */
  errors: string[];
}

export const EMPTY_CONFIG: ResolvedConfig = Object.freeze({ rules: {}, ignore: [], environment: {}, files: [], errors: [], kb: [], teamRules: [] }) as ResolvedConfig;

const SETTINGS: readonly string[] = ['off', ...SEVERITIES];

/** Parses the text of a `.kbhints.yaml` (pure). Invalid entries are skipped and reported. */
export function parseConfig(text: string, file = CONFIG_FILE): { config: ProjectConfig; errors: string[] } {
  const config: ProjectConfig = { rules: {}, ignore: [], root: false };
  const errors: string[] = [];
  const { docs, errors: syntax } = parseYaml(text);
  if (syntax.length) errors.push(`YAML syntax error: ${syntax[0].message}`);
  const root = docs.find((d) => d.root)?.root;
  if (!root) return { config, errors };
  const map = asMap(root);
  if (!map) return { config, errors: [...errors, 'expected a mapping with rules, ignore and root'] };
  for (const p of map.pairs) {
    const key = String(p.key.value);
    if (key === 'rules') readRules(p.value, config, errors);
    else if (key === 'ignore') readIgnore(p.value, config, errors);
    else if (key === 'kb' || key === 'teamRules') readFolders(key, p.value, (config[key] ??= []), errors);
    else if (key === 'root') {
      const v = asScalar(p.value)?.value;
      if (typeof v === 'boolean') config.root = v;
      else errors.push('root: expected true or false');
    } else if (key === 'environment') config.environment = parseEnvironment(p.value, errors, `declared in ${file}`);
    else if (key === 'helm') {
      // Read by helm/chart.ts: `helm: { values: [values-prod.yaml] }`, value files merged over each chart's values.yaml.
    } else errors.push(`unknown key '${key}' (expected rules, ignore, root, environment, helm, kb, teamRules)`);
  }
  return { config, errors };
}

function readRules(node: Node, config: ProjectConfig, errors: string[]): void {
  const m = asMap(node);
  if (!m) {
    if (asScalar(node)?.value !== null) errors.push('rules: expected a mapping of rule id to off|hint|info|warning|error');
    return;
  }
  for (const p of m.pairs) {
    const id = String(p.key.value);
    const raw = str(p.value);
    // YAML reads a bare `off` as the string "off" (YAML 1.2), and `false` as a boolean: accept both.
    const v = asScalar(p.value)?.value === false ? 'off' : raw?.toLowerCase();
    if (v && SETTINGS.includes(v)) config.rules[id] = v as RuleSetting;
    else errors.push(`rules.${id}: expected off, hint, info, warning or error, got ${raw ?? 'nothing'}`);
  }
}

function readIgnore(node: Node, config: ProjectConfig, errors: string[]): void {
  const items = asSeq(node)?.items ?? (asScalar(node)?.value === null ? [] : [node]);
  for (const item of items) {
    const s = str(item)?.trim();
    if (!s) {
      errors.push('ignore: expected a list of glob patterns');
      continue;
    }
    const glob = compileGlob(s.startsWith('!') ? s.slice(1) : s);
    if (glob instanceof Glob) config.ignore.push(s);
    else errors.push(`ignore: '${s.length > 80 ? `${s.slice(0, 80)}...` : s}' is not a valid glob (${glob.error}); it is skipped`);
  }
}

function readFolders(key: string, node: Node, out: string[], errors: string[]): void {
  const items = asSeq(node)?.items ?? (asScalar(node)?.value === null ? [] : [node]);
  for (const item of items) {
    const s = str(item);
    if (s && s.trim()) out.push(s.trim());
    else errors.push(`${key}: expected a list of folders`);
  }
}

/** Merges configs nearest first: each rule id takes the nearest setting; ignore patterns accumulate. */
export function mergeConfigs(layers: Array<{ dir: string; file: string; config: ProjectConfig; errors: string[] }>): ResolvedConfig {
  const out: ResolvedConfig = { rules: {}, ignore: [], environment: mergeEnvironments(...layers.map((l) => l.config.environment)), files: [], errors: [], kb: [], teamRules: [] };
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i];
    Object.assign(out.rules, l.config.rules);
    for (const d of l.config.kb ?? []) out.kb.push(path.resolve(l.dir, d));
    out.teamRules.push(path.join(l.dir, '.kbhints', 'rules'));
    for (const d of l.config.teamRules ?? []) out.teamRules.push(path.resolve(l.dir, d));
    for (const pattern of l.config.ignore) out.ignore.push({ dir: l.dir, pattern });
  }
  for (const l of layers) {
    out.files.push(l.file);
    for (const e of l.errors) out.errors.push(`${l.file}: ${e}`);
  }
  return out;
}

/** True when a file (absolute path) is ignored by the config. Later (nearer) patterns win; `!p` re-includes. */
export function isIgnored(config: ResolvedConfig, filePath: string): boolean {
  let ignored = false;
  let lastDir: string | undefined;
  let rel = '';
  for (const entry of config.ignore) {
    const { dir, pattern } = entry;
    if (dir !== lastDir) {
      lastDir = dir;
      rel = path.relative(dir, filePath).split(path.sep).join('/');
    }
    if (!rel || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) continue;
    const negate = pattern.startsWith('!');
    // An invalid pattern (reported by parseConfig) never matches.
    const glob = compiledFor(entry, negate ? pattern.slice(1) : pattern);
    if (glob && glob.matchesPathOrFolder(rel)) ignored = !negate;
  }
  return ignored;
}

const COMPILED = new WeakMap<object, Glob | null>();

function compiledFor(entry: object, pattern: string): Glob | null {
  let g = COMPILED.get(entry);
  if (g === undefined) {
    const c = compileGlob(pattern);
    COMPILED.set(entry, (g = c instanceof Glob ? c : null));
  }
  return g;
}

/** Longest glob pattern accepted (longer ones are reported as config errors). */
export const MAX_GLOB_LENGTH = 1000;

/** The result of compiling an invalid pattern. */
export interface GlobError {
  error: string;
}

/**
 * Compiles a gitignore-like glob over `/`-separated relative paths: `*` (not across `/`), `**` (anything),
 * `**` then `/` (any number of folders), `?`, `{a,b}` (literal alternatives), `[a-z]`/`[!a-z]`. No slash in the
 * pattern = any depth; a leading `/` anchors; a trailing `/` is dropped. Invalid patterns (a reversed
 * range such as `[z-a]`, a pattern over MAX_GLOB_LENGTH) give a GlobError, never an exception.
 */
export function compileGlob(pattern: string): Glob | GlobError {
  if (pattern.length > MAX_GLOB_LENGTH) return { error: `pattern longer than ${MAX_GLOB_LENGTH} characters` };
  let p = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
  if (p.endsWith('/')) p = p.slice(0, -1);
  if (p.startsWith('/')) p = p.slice(1);
  else if (!p.includes('/')) p = `**/${p}`;
  const b = new GlobBuilder();
  // The longest run of plain characters: every match contains it (a cheap test before the NFA).
  let run = '';
  let longest = '';
  const plainChar = (c: string) => {
    run += c;
    if (run.length > longest.length) longest = run;
  };
  // Built from the end: each token's states lead to `next`, the entry of what follows it.
  const tokens: Array<(next: number) => number> = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      if (p[i + 1] === '*') {
        if (p[i + 2] === '/') {
          tokens.push((next) => b.folders(next));
          run = '';
          i += 2;
        } else {
          tokens.push((next) => b.star(next, ANY));
          i += 1;
        }
      } else tokens.push((next) => b.star(next, NOT_SLASH));
      run = '';
    } else if (c === '?') {
      tokens.push((next) => b.test(NOT_SLASH, next));
      run = '';
    } else if (c === '{') {
      const close = p.indexOf('}', i);
      if (close === -1) {
        tokens.push(literalToken(b, c));
        plainChar(c);
      } else {
        run = '';
        const alternatives = p.slice(i + 1, close).split(',');
        tokens.push((next) => b.split(alternatives.map((alt) => b.chain(alt, next))));
        i = close;
      }
    } else if (c === '[') {
      const close = p.indexOf(']', i);
      if (close === -1) {
        tokens.push(literalToken(b, c));
        plainChar(c);
      } else {
        run = '';
        const cls = charClass(p.slice(i + 1, close));
        if (typeof cls === 'string') return { error: cls };
        tokens.push((next) => b.test(cls, next));
        i = close;
      }
    } else {
      tokens.push(literalToken(b, c));
      plainChar(c);
    }
  }
  let entry = b.accept;
  for (let i = tokens.length - 1; i >= 0; i--) entry = tokens[i](entry);
  return new Glob(pattern, b.states, entry, b.accept, longest);
}

function literalToken(b: GlobBuilder, c: string): (next: number) => number {
  const code = c.charCodeAt(0);
  return (next) => b.test((x) => x === code, next);
}

type CharTest = (c: number) => boolean;
const SLASH = 47;
const ANY: CharTest = () => true;
const NOT_SLASH: CharTest = (c) => c !== SLASH;

/** A class body (`a-z0-9`, `!abc`): a test, or an error message. */
function charClass(body: string): CharTest | string {
  let negate = false;
  if (body.startsWith('!') || body.startsWith('^')) {
    negate = true;
    body = body.slice(1);
  }
  const ranges: Array<[number, number]> = [];
  for (let j = 0; j < body.length; ) {
    const lo = body.charCodeAt(j);
    if (body[j + 1] === '-' && j + 2 < body.length) {
      const hi = body.charCodeAt(j + 2);
      if (hi < lo) return `invalid range '${body.slice(j, j + 3)}' in [${body}]`;
      ranges.push([lo, hi]);
      j += 3;
    } else {
      ranges.push([lo, lo]);
      j++;
    }
  }
  return (c) => {
    let hit = false;
    for (const [lo, hi] of ranges) if (c >= lo && c <= hi) hit = true;
    return hit !== negate;
  };
}

/** A state either tests one character (then goes to `out`) or splits (to every state of `outs`). */
interface GlobState {
  test?: CharTest;
  out: number;
  outs?: number[];
}

class GlobBuilder {
  readonly states: GlobState[] = [{ out: -1 }];
  readonly accept = 0;

  test(test: CharTest, next: number): number {
    return this.states.push({ test, out: next }) - 1;
  }

  split(outs: number[]): number {
    return this.states.push({ out: -1, outs }) - 1;
  }

  /** Any number of characters passing the test. */
  star(next: number, test: CharTest): number {
    const loop = this.split([]);
    const one = this.test(test, loop);
    this.states[loop].outs = [one, next];
    return loop;
  }

  /** `**` then `/`: nothing, or anything that ends with a `/`. */
  folders(next: number): number {
    const slash = this.test((c) => c === SLASH, next);
    const loop = this.split([]);
    const one = this.test(ANY, loop);
    this.states[loop].outs = [one, slash];
    return this.split([next, loop]);
  }

  chain(text: string, next: number): number {
    let entry = next;
    for (let i = text.length - 1; i >= 0; i--) {
      const code = text.charCodeAt(i);
      entry = this.test((x) => x === code, entry);
    }
    return entry;
  }
}

const EMPTY_U32 = new Uint32Array(0);
const EMPTY_I32 = new Int32Array(0);

/**
 * A compiled glob: a small NFA run over the path one character at a time, with each state kept at most
 * once, so a match costs at most (path length x pattern size) steps, whatever the pattern (no backtracking).
 */
export class Glob {
  // Buffers, allocated on the first match (most compiled patterns are only validated).
  private marks = EMPTY_U32;
  private generation = 0;
  private current = EMPTY_I32;
  private next = EMPTY_I32;
  private stack = EMPTY_I32;

  constructor(
    readonly pattern: string,
    private readonly states: GlobState[],
    private readonly entry: number,
    private readonly acceptState: number,
    /** Text every match contains. */
    private readonly required = '',
  ) {}

  private allocate(): void {
    const n = this.states.length;
    this.marks = new Uint32Array(n);
    this.current = new Int32Array(n);
    this.next = new Int32Array(n);
    // A state is pushed once per split that leads to it: at most the number of edges.
    let edges = 1;
    for (const st of this.states) edges += st.outs ? st.outs.length : 1;
    this.stack = new Int32Array(edges);
  }

  /** True when the whole path matches. */
  test(path: string): boolean {
    return this.run(path, false);
  }

  /** True when the path, or one of the folders it is in, matches. */
  matchesPathOrFolder(path: string): boolean {
    return this.run(path, true);
  }

  private run(text: string, folders: boolean): boolean {
    if (this.required && !text.includes(this.required)) return false;
    if (!this.marks.length) this.allocate();
    let count = 0;
    this.beginClosure();
    let accepts = false;
    const seed = (s: number): void => {
      const r = this.close(s, this.current, count);
      count = r.count;
      if (r.accepts) accepts = true;
    };
    seed(this.entry);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (folders && c === SLASH && i > 0 && accepts) return true;
      this.beginClosure();
      accepts = false;
      let nextCount = 0;
      for (let k = 0; k < count; k++) {
        const st = this.states[this.current[k]];
        if (st.test!(c)) {
          const r = this.close(st.out, this.next, nextCount);
          nextCount = r.count;
          if (r.accepts) accepts = true;
        }
      }
      if (!nextCount && !accepts) return false;
      const swap = this.current;
      this.current = this.next;
      this.next = swap;
      count = nextCount;
    }
    return accepts;
  }

  private beginClosure(): void {
    if (++this.generation === 0xffffffff) {
      this.marks.fill(0);
      this.generation = 1;
    }
  }

  /**
   * Adds the states reachable from `from` without reading a character (each once per step) to `list`
   * from `count` on: testing states go in the list; reaching the accepting state is reported.
   */
  private close(from: number, list: Int32Array, count: number): { count: number; accepts: boolean } {
    const gen = this.generation;
    const stack = this.stack;
    let top = 0;
    let accepts = false;
    stack[top++] = from;
    while (top) {
      const s = stack[--top];
      if (this.marks[s] === gen) continue;
      this.marks[s] = gen;
      if (s === this.acceptState) accepts = true;
      const st = this.states[s];
      if (st.outs) for (let j = st.outs.length - 1; j >= 0; j--) stack[top++] = st.outs[j];
      else if (st.test) list[count++] = s;
    }
    return { count, accepts };
  }
}

/** Reads a file's text, or undefined when it does not exist. */
export type ReadFile = (file: string) => string | undefined;

const readFromDisk: ReadFile = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** Finds and merges `.kbhints.yaml` files upward from a folder; caches per folder until `clear()`. */
export class ConfigLoader {
  private readonly own = new Map<string, { config: ProjectConfig; errors: string[] } | null>();
  private readonly resolved = new Map<string, ResolvedConfig>();

  constructor(private readonly read: ReadFile = readFromDisk) {}

  /** The configuration for a file (absolute or relative path). */
  forFile(file: string): ResolvedConfig {
    return this.forDir(path.dirname(path.resolve(file)));
  }

  forDir(dir: string): ResolvedConfig {
    const hit = this.resolved.get(dir);
    if (hit) return hit;
    const layers: Array<{ dir: string; file: string; config: ProjectConfig; errors: string[] }> = [];
    let parentResolved: ResolvedConfig | undefined;
    const own = this.load(dir);
    if (own) layers.push({ dir, file: path.join(dir, CONFIG_FILE), ...own });
    const parent = path.dirname(dir);
    if (!own?.config.root && parent !== dir) parentResolved = this.forDir(parent);
    const mine = mergeConfigs(layers);
    const result: ResolvedConfig = parentResolved
      ? {
          rules: { ...parentResolved.rules, ...mine.rules },
          ignore: parentResolved.ignore.concat(mine.ignore),
          environment: mergeEnvironments(mine.environment, parentResolved.environment),
          files: mine.files.concat(parentResolved.files),
          errors: mine.errors.concat(parentResolved.errors),
          kb: parentResolved.kb.concat(mine.kb),
          teamRules: parentResolved.teamRules.concat(mine.teamRules),
        }
      : mine;
    this.resolved.set(dir, result);
    return result;
  }

  private load(dir: string): { config: ProjectConfig; errors: string[] } | null {
    if (this.own.has(dir)) return this.own.get(dir)!;
    const text = this.read(path.join(dir, CONFIG_FILE));
    const parsed = text === undefined ? null : parseConfig(text, path.join(dir, CONFIG_FILE));
    this.own.set(dir, parsed);
    return parsed;
  }

  /** Forgets everything read (call when a `.kbhints.yaml` changes). */
  clear(): void {
    this.own.clear();
    this.resolved.clear();
  }
}
