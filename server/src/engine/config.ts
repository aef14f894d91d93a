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
//   kb: [docs/kb]                   # folders of team KB topics (Markdown + front matter), relative to this file
//   teamRules: [policies/rules]     # folders of team rule files (YAML); .kbhints/rules/ beside this file is read too
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asMap, asScalar, asSeq, str, type Node } from '../documents/nodes';
import { parseYaml } from '../documents/yaml';
import { SEVERITIES, type Severity } from './rule';

export const CONFIG_FILE = '.kbhints.yaml';

export type RuleSetting = Severity | 'off';

/** One `.kbhints.yaml`, as written. */
export interface ProjectConfig {
  rules: Record<string, RuleSetting>;
  ignore: string[];
  root: boolean;
  /** Folders of team topics and of team rule files, as written (relative to the file's folder). */
  kb?: string[];
  teamRules?: string[];
}

/** The merged configuration that applies to one folder. */
export interface ResolvedConfig {
  rules: Record<string, RuleSetting>;
  /** Ignore patterns with the folder each is relative to, farthest first. */
  ignore: Array<{ dir: string; pattern: string }>;
  /** The config files that were merged, nearest first. */
  files: string[];
  /** Team topic folders and team rule folders of every level (absolute; `.kbhints/rules` beside each file included), farthest first. */
  kb: string[];
  teamRules: string[];
  /** Problems found in those files (`file: message`). */
  errors: string[];
}

export const EMPTY_CONFIG: ResolvedConfig = Object.freeze({ rules: {}, ignore: [], files: [], errors: [], kb: [], teamRules: [] }) as ResolvedConfig;

const SETTINGS: readonly string[] = ['off', ...SEVERITIES];

/** Parses the text of a `.kbhints.yaml` (pure). Invalid entries are skipped and reported. */
export function parseConfig(text: string): { config: ProjectConfig; errors: string[] } {
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
    } else errors.push(`unknown key '${key}' (expected rules, ignore, root, kb, teamRules)`);
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
    const s = str(item);
    if (s && s.trim()) config.ignore.push(s.trim());
    else errors.push('ignore: expected a list of glob patterns');
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
  const out: ResolvedConfig = { rules: {}, ignore: [], files: [], errors: [], kb: [], teamRules: [] };
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i];
    Object.assign(out.rules, l.config.rules);
    out.kb.push(...(l.config.kb ?? []).map((d) => path.resolve(l.dir, d)));
    out.teamRules.push(path.join(l.dir, '.kbhints', 'rules'), ...(l.config.teamRules ?? []).map((d) => path.resolve(l.dir, d)));
    out.ignore.push(...l.config.ignore.map((pattern) => ({ dir: l.dir, pattern })));
  }
  for (const l of layers) {
    out.files.push(l.file);
    out.errors.push(...l.errors.map((e) => `${l.file}: ${e}`));
  }
  return out;
}

/** True when a file (absolute path) is ignored by the config. Later (nearer) patterns win; `!p` re-includes. */
export function isIgnored(config: ResolvedConfig, filePath: string): boolean {
  let ignored = false;
  for (const { dir, pattern } of config.ignore) {
    const negate = pattern.startsWith('!');
    const rel = path.relative(dir, filePath).split(path.sep).join('/');
    if (!rel || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) continue;
    if (matchesPath(globToRegExp(negate ? pattern.slice(1) : pattern), rel)) ignored = !negate;
  }
  return ignored;
}

/** A path matches when it, or one of the folders it is in, matches the pattern. */
function matchesPath(re: RegExp, rel: string): boolean {
  if (re.test(rel)) return true;
  const parts = rel.split('/');
  for (let i = parts.length - 1; i > 0; i--) if (re.test(parts.slice(0, i).join('/'))) return true;
  return false;
}

const GLOB_CACHE = new Map<string, RegExp>();

/** A gitignore-like glob as a RegExp over `/`-separated relative paths. */
export function globToRegExp(pattern: string): RegExp {
  const hit = GLOB_CACHE.get(pattern);
  if (hit) return hit;
  let p = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
  if (p.endsWith('/')) p = p.slice(0, -1);
  if (p.startsWith('/')) p = p.slice(1);
  else if (!p.includes('/')) p = `**/${p}`;
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      if (p[i + 1] === '*') {
        const slashAfter = p[i + 2] === '/';
        re += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = p.indexOf('}', i);
      if (close === -1) re += '\\{';
      else {
        re += `(?:${p.slice(i + 1, close).split(',').map(escape).join('|')})`;
        i = close;
      }
    } else if (c === '[') {
      const close = p.indexOf(']', i);
      if (close === -1) re += '\\[';
      else {
        re += `[${p.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += escape(c);
  }
  const out = new RegExp(`^${re}$`);
  GLOB_CACHE.set(pattern, out);
  return out;
}

function escape(s: string): string {
  return s.replace(/[.+^$()|[\]\\{}*?]/g, '\\$&');
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
      ? { rules: { ...parentResolved.rules, ...mine.rules }, ignore: [...parentResolved.ignore, ...mine.ignore], files: [...mine.files, ...parentResolved.files], errors: [...mine.errors, ...parentResolved.errors], kb: [...parentResolved.kb, ...mine.kb], teamRules: [...parentResolved.teamRules, ...mine.teamRules] }
      : mine;
    this.resolved.set(dir, result);
    return result;
  }

  private load(dir: string): { config: ProjectConfig; errors: string[] } | null {
    if (this.own.has(dir)) return this.own.get(dir)!;
    const text = this.read(path.join(dir, CONFIG_FILE));
    const parsed = text === undefined ? null : parseConfig(text);
    this.own.set(dir, parsed);
    return parsed;
  }

  /** Forgets everything read (call when a `.kbhints.yaml` changes). */
  clear(): void {
    this.own.clear();
    this.resolved.clear();
  }
}
