// Helm charts on disk: a folder with `Chart.yaml` and `templates/`. A chart is read once (its metadata,
// its values merged from `values.yaml` and the value files `.kbhints.yaml` names, the named templates of all
// its template files) and kept until one of those files changes (checked by modification time), or until an
// editor's unsaved text of one of them is set with `setChartFileText`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LineIndex } from '../documents/lines';
import { asMap, asSeq, get, str, type Node } from '../documents/nodes';
import { parseYaml } from '../documents/yaml';
import { MAX_ARCHIVE_BYTES, readTarGz } from './archive';
import { parseTemplate, type TNode } from './template';
import { fromNode, isDict, mergeValues, type Dict, type Value } from './values';

export interface ValueFile {
  /** In the form template uris take (a `file:` URI or a path). */
  uri: string;
  path: string;
  lines: LineIndex;
}

export interface Chart {
  /** Absolute path of the chart folder. */
  dir: string;
  name: string;
  /** Chart.yaml as data (`.Chart` gets its keys capitalised). */
  meta: Dict;
  values: Value;
  valueFiles: ValueFile[];
  /** Named templates from every file of `templates/` and of the chart's dependencies. */
  defines: Map<string, TNode[]>;
  /** Absolute paths of the template files (`.yaml`, `.yml`, `.tpl`) under `templates/`. */
  templates: string[];
  /** Modification stamps of what it was read from. */
  stamp: string;
  /** Whether some template of the chart changes maps in place (`set`, `merge`...): then each render gets a copy of the values. */
  mutates: boolean;
  /** Set for a subchart its parent turns off (`promtail.enabled is false`): Helm renders none of it. */
  disabled?: string;
}

const overlays = new Map<string, string>();

/** Unsaved editor text of a chart file (values, helpers, templates), or undefined to read the disk again. */
export function setChartFileText(file: string, text: string | undefined): void {
  const p = toPath(file);
  if (!p) return;
  if (text === undefined) overlays.delete(p);
  else overlays.set(p, text);
}

function read(p: string): string | undefined {
  const o = overlays.get(p);
  if (o !== undefined) return o;
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

const mtimes = new Map<string, { at: number; stamp: string }>();

/** A file's modification stamp (re-read at most every second: a CLI run stats each chart file once). */
function mtime(p: string): string {
  if (overlays.has(p)) return `o${overlays.get(p)!.length}:${hash(overlays.get(p)!)}`;
  const now = Date.now();
  const hit = mtimes.get(p);
  if (hit && now - hit.at < 1000) return hit.stamp;
  let stamp = '-';
  try {
    const s = fs.statSync(p, { throwIfNoEntry: false });
    if (s) stamp = `${s.mtimeMs}:${s.size}`;
  } catch {
    // unreadable: as missing
  }
  if (mtimes.size > 20000) mtimes.clear();
  mtimes.set(p, { at: now, stamp });
  return stamp;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** A file path from a template's uri (a `file:` URI or a path); undefined for other schemes. */
export function toPath(uri: string): string | undefined {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  if (/^[a-z][a-z0-9+.-]+:/i.test(uri) && !/^[a-z]:[\\/]/i.test(uri)) return undefined;
  return path.resolve(uri);
}

/** The uri form of `uri` for another file: a `file:` URI when `uri` is one, else a path as given. */
export function uriLike(uri: string, file: string, cwdRelative = false): string {
  if (uri.startsWith('file:')) return pathToFileURL(file).href;
  return cwdRelative && !path.isAbsolute(uri) ? path.relative(process.cwd(), file) : file;
}

/** The chart folder a file belongs to, when it is under `<chart>/templates/`. */
export function chartDirOf(file: string): string | undefined {
  let dir = path.dirname(file);
  for (let i = 0; i < 12; i++) {
    if (path.basename(dir) === 'templates') {
      const chart = path.dirname(dir);
      if (isFile(path.join(chart, 'Chart.yaml'))) return chart;
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/** True for a chart's own values files (`values.yaml`, `values-*.yaml`, `values.schema.json`) and Chart.yaml. */
export function isChartMetaFile(file: string): boolean {
  const dir = path.dirname(file);
  if (!isFile(path.join(dir, 'Chart.yaml')) || !isDir(path.join(dir, 'templates'))) return false;
  return /^(chart\.ya?ml|chart\.lock|values[^/\\]*\.(ya?ml|json))$/i.test(path.basename(file));
}

const statCache = new Map<string, { at: number; file: boolean; dir: boolean }>();

function statOf(p: string): { file: boolean; dir: boolean } {
  const now = Date.now();
  const hit = statCache.get(p);
  if (hit && now - hit.at < 2000) return hit;
  let file = false;
  let dir = false;
  try {
    const s = fs.statSync(p);
    file = s.isFile();
    dir = s.isDirectory();
  } catch {
    // missing
  }
  const r = { at: now, file: file || overlays.has(p), dir };
  if (statCache.size > 10000) statCache.clear();
  statCache.set(p, r);
  return r;
}

function isFile(p: string): boolean {
  return statOf(p).file;
}

function isDir(p: string): boolean {
  return statOf(p).dir;
}

function listTemplates(dir: string, out: string[] = [], depth = 0): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && depth < 5) listTemplates(full, out, depth + 1);
    else if (e.isFile() && /\.(ya?ml|tpl|txt)$/i.test(e.name) && !/^notes\.txt$/i.test(e.name)) out.push(full);
  }
  return out;
}

/** Value files named in `.kbhints.yaml` (`helm: { values: [...] }`, paths relative to the chart), nearest config first. */
function configuredValueFiles(chartDir: string): string[] {
  let dir = chartDir;
  for (let i = 0; i < 20; i++) {
    const text = read(path.join(dir, '.kbhints.yaml'));
    if (text !== undefined) {
      const root = parseYaml(text).docs[0]?.root;
      const list = asSeq(get(get(root, 'helm'), 'values'));
      if (list) return list.items.map((n) => str(n)).filter((s): s is string => !!s);
      if (asMap(root) && get(root, 'root') !== undefined && str(get(root, 'root')) === 'true') return [];
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return [];
}

const charts = new Map<string, Chart>();

/** Functions that change a map in place. */
export const MUTATING = /\b(set|unset|merge|mergeOverwrite|mustMerge|mustMergeOverwrite)\b/;

function stampOf(dir: string, templates: string[], valueFiles: string[]): string {
  return [path.join(dir, 'Chart.yaml'), ...valueFiles, ...templates].map((p) => `${p}=${mtime(p)}`).join('|');
}

// What a chart folder lists (its templates, its dependencies' templates, the value files configured for it),
// re-read at most every 2 s: a lint while typing does not walk folders; an edited file is still seen at once by
// its modification time.
interface Listing {
  at: number;
  templates: string[];
  /** Template files of the chart's dependencies, whose named templates are global. */
  libraries: string[];
  /** Packaged dependencies (`charts/*.tgz`). */
  archives: string[];
  configured: string[];
}
const listings = new Map<string, Listing>();

function listing(dir: string): Listing {
  const now = Date.now();
  const hit = listings.get(dir);
  if (hit && now - hit.at < 2000) return hit;
  const deps = dependenciesOf(dir);
  const l = { at: now, templates: listTemplates(path.join(dir, 'templates')), libraries: deps.dirs.flatMap((d) => listTemplates(path.join(d, 'templates'))), archives: deps.archives, configured: configuredValueFiles(dir) };
  if (listings.size > 100) listings.clear();
  listings.set(dir, l);
  return l;
}

/**
 * Where the chart's dependencies are, as Helm finds them: chart folders and archives vendored in `charts/`,
 * `file://` repositories named in Chart.yaml (or a v1 chart's requirements.yaml), and so on for theirs. A
 * dependency from a remote repository that is not vendored (`helm dependency build` has not run) is taken
 * from the sibling folder of that name when it holds that chart, as in a repository of charts.
 */
function dependenciesOf(dir: string, seen = new Set<string>([dir]), depth = 0): { dirs: string[]; archives: string[] } {
  const dirs: string[] = [];
  const archives: string[] = [];
  const vendored = new Set<string>();
  const add = (d: string) => {
    if (seen.has(d) || !isFile(path.join(d, 'Chart.yaml'))) return;
    seen.add(d);
    dirs.push(d);
    if (depth < 3) {
      const more = dependenciesOf(d, seen, depth + 1);
      dirs.push(...more.dirs);
      archives.push(...more.archives);
    }
  };
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(path.join(dir, 'charts'), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    // no charts/ folder
  }
  for (const e of entries) {
    const full = path.join(dir, 'charts', e.name);
    if (e.isDirectory()) {
      vendored.add(e.name);
      add(full);
    } else if (e.isFile() && /\.tgz$/i.test(e.name)) {
      vendored.add(e.name.replace(/-v?\d[^-]*(-[^-]+)*\.tgz$/i, ''));
      archives.push(full);
    }
  }
  for (const dep of declaredDependencies(dir)) {
    const local = /^file:\/\/(.+)$/.exec(dep.repository ?? '');
    if (local) add(path.resolve(dir, local[1]));
    else if (!vendored.has(dep.name)) {
      const sibling = path.join(path.dirname(dir), dep.name);
      if (str(get(parseYaml(read(path.join(sibling, 'Chart.yaml')) ?? '').docs[0]?.root, 'name')) === dep.name) add(sibling);
    }
  }
  return { dirs, archives };
}

interface Dependency {
  name: string;
  repository?: string;
  /** The name its values go under in the parent's (and its folder's name, when packaged as such). */
  alias?: string;
  /** Comma-separated paths in the parent's values, the first that is a boolean turning it on or off. */
  condition?: string;
  tags: string[];
}

/** The `dependencies` of Chart.yaml, or of requirements.yaml for an apiVersion v1 chart. */
function declaredDependencies(dir: string): Dependency[] {
  const out: Dependency[] = [];
  for (const file of ['Chart.yaml', 'requirements.yaml']) {
    const list = asSeq(get(parseYaml(read(path.join(dir, file)) ?? '').docs[0]?.root, 'dependencies'));
    for (const item of list?.items ?? []) {
      const name = str(get(item, 'name'));
      const tags = (asSeq(get(item, 'tags'))?.items ?? []).map((t) => str(t)).filter((t): t is string => !!t);
      if (name && /^[\w.-]+$/.test(name)) out.push({ name, repository: str(get(item, 'repository')), alias: str(get(item, 'alias')), condition: str(get(item, 'condition')), tags });
    }
  }
  return out;
}

/**
 * Why the parent turns a subchart off, as Helm decides: the first path of its `condition` that is a boolean
 * in the parent's values, else its `tags` (off when every one set is false); undefined when it is on.
 */
function turnedOff(dep: Dependency, parentValues: Value): string | undefined {
  const at = (p: string): Value | undefined => {
    let v: Value | undefined = parentValues;
    for (const k of p.split('.')) v = v !== undefined && isDict(v) && Object.hasOwn(v, k) ? v[k] : undefined;
    return v;
  };
  for (const p of (dep.condition ?? '').split(',').map((c) => c.trim()).filter(Boolean)) {
    const v = at(p);
    if (typeof v === 'boolean') return v ? undefined : `${p} is false`;
  }
  const set = dep.tags.filter((t) => typeof at(`tags.${t}`) === 'boolean');
  return set.length && set.every((t) => at(`tags.${t}`) === false) ? `tags.${set.join(', tags.')} false` : undefined;
}

const archiveCache = new Map<string, { stamp: string; files: Map<string, string> }>();

/** The template files of a packaged chart (and of the charts packaged in it), by their path in the archive. */
function archiveTemplates(file: string): Map<string, string> {
  const stamp = mtime(file);
  const hit = archiveCache.get(file);
  if (hit && hit.stamp === stamp) return hit.files;
  let files = new Map<string, string>();
  try {
    // Too large an archive is not read into memory at all.
    if ((fs.statSync(file, { throwIfNoEntry: false })?.size ?? Infinity) <= MAX_ARCHIVE_BYTES) files = readTarGz(fs.readFileSync(file), (name) => /^[^/]+\/(charts\/[^/]+\/)*templates\/.+\.(ya?ml|tpl)$/i.test(name));
  } catch {
    // unreadable: no templates
  }
  if (archiveCache.size > 200) archiveCache.clear();
  archiveCache.set(file, { stamp, files });
  return files;
}

/** The parent chart of a subchart vendored in `<parent>/charts/<name>/`, if there is one. */
function parentChartDir(dir: string): string | undefined {
  const up = path.dirname(dir);
  if (path.basename(up) !== 'charts') return undefined;
  const parent = path.dirname(up);
  return isFile(path.join(parent, 'Chart.yaml')) ? parent : undefined;
}

// The named templates of a file's text, parsed once however many charts include the file (a library chart
// such as Bitnami's common is a dependency of every chart beside it).
const parsedFiles = new Map<string, { defines: [string, TNode[]][]; mutates: boolean }>();

function definesOf(text: string): { defines: [string, TNode[]][]; mutates: boolean } {
  const hit = parsedFiles.get(text);
  if (hit) return hit;
  let defines: [string, TNode[]][] = [];
  if (text.includes('define') || text.includes('block')) {
    try {
      defines = [...parseTemplate(text).defines];
    } catch {
      // A template that does not parse defines nothing (its own diagnostics say why).
    }
  }
  const parsed = { defines, mutates: MUTATING.test(text) };
  if (parsedFiles.size > 2000) parsedFiles.clear();
  parsedFiles.set(text, parsed);
  return parsed;
}

/** The chart at `dir`, read or from the cache. */
export function loadChart(dir: string, uriForm: string, depth = 0): Chart {
  const listed = listing(dir);
  const templates = [...listed.templates];
  for (const p of overlays.keys()) if (p.startsWith(path.join(dir, 'templates') + path.sep) && !templates.includes(p)) templates.push(p);
  const valuePaths = [path.join(dir, 'values.yaml'), ...listed.configured.map((f) => path.resolve(dir, f))];
  // A subchart gets its section of the parent's values (and `global`), as Helm gives it.
  const parentDir = depth < 5 ? parentChartDir(dir) : undefined;
  const parent = parentDir ? loadChart(parentDir, uriForm, depth + 1) : undefined;
  const stamp = stampOf(dir, [...templates, ...listed.libraries, ...listed.archives], valuePaths) + `|${uriForm.startsWith('file:')}|${parent?.stamp ?? ''}`;
  const hit = charts.get(dir);
  if (hit && hit.stamp === stamp) return hit;

  const metaRoot = parseYaml(read(path.join(dir, 'Chart.yaml')) ?? '').docs[0]?.root;
  const meta = fromNode(metaRoot, '');
  let values: Value = {};
  const valueFiles: ValueFile[] = [];
  for (const p of valuePaths) {
    const text = read(p);
    if (text === undefined) continue;
    const uri = uriLike(uriForm, p, true);
    const root: Node | undefined = parseYaml(text).docs[0]?.root;
    const v = fromNode(root, uri);
    if (isDict(v)) values = mergeValues(values, v);
    valueFiles.push({ uri, path: p, lines: new LineIndex(text) });
  }
  const name = str(get(metaRoot, 'name')) ?? path.basename(dir);
  // How the parent declares it (by its alias, or its name): where its values are, and whether it is on.
  const deps = parentDir ? declaredDependencies(parentDir) : [];
  const dep = deps.find((d) => d.alias === path.basename(dir)) ?? deps.find((d) => d.name === name);
  const key = dep?.alias ?? name;
  const off = parent && (parent.disabled ?? (dep && turnedOff(dep, parent.values)));
  if (parent && isDict(parent.values)) {
    const own = parent.values[key];
    const global = parent.values.global;
    if (isDict(own)) values = mergeValues(values, own);
    if (isDict(global)) values = mergeValues(values, { global: isDict(values) && isDict(values.global) ? mergeValues(values.global, global) : global });
    for (const v of parent.valueFiles) if (!valueFiles.some((x) => x.uri === v.uri)) valueFiles.push(v);
  }
  // Named templates are global across a chart and its subcharts: a subchart sees its parent's (and siblings').
  const defines = new Map<string, TNode[]>(parent?.defines);
  let mutates = parent?.mutates ?? false;
  const sources: (readonly [string, string | undefined])[] = [
    ...listed.archives.flatMap((a) => [...archiveTemplates(a)]),
    ...[...listed.libraries, ...templates].map((t) => [t, read(t)] as const),
  ];
  for (const [, text] of sources) {
    if (text === undefined) continue;
    const file = definesOf(text);
    if (file.mutates) mutates = true;
    for (const [name, body] of file.defines) defines.set(name, body);
  }
  // An aliased dependency is that chart under another name: `.Chart.Name` is the alias, as Helm has it.
  const chartMeta: Dict = isDict(meta) ? (dep?.alias ? { ...meta, name: dep.alias } : meta) : {};
  const chart: Chart = { dir, name, meta: chartMeta, values, valueFiles, defines, templates, stamp, mutates, ...(off ? { disabled: off } : {}) };
  if (charts.size > 100) charts.clear();
  charts.set(dir, chart);
  return chart;
}

/** `.Files.Get`: a file of the chart (not under templates/, never outside the chart), or undefined. */
export function readChartFile(chartDir: string, name: string): string | undefined {
  const p = path.resolve(chartDir, name);
  const rel = path.relative(chartDir, p);
  if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep)[0] === 'templates') return undefined;
  const text = read(p);
  return text !== undefined && text.length <= 1024 * 1024 ? text : undefined;
}

/**
 * For the language server: an open document's text, when it is an input of a chart other templates read
 * (its values files, helpers): kept as the file's text until `closed`. Returns the chart folder whose templates
 * should be linted again, or undefined when the document is no such input.
 */
export function chartInputChanged(uri: string, text: string | undefined): string | undefined {
  const p = toPath(uri);
  if (!p) return undefined;
  const base = path.basename(p);
  let chart: string | undefined;
  if (/^values[^/\\]*\.ya?ml$/i.test(base) && isFile(path.join(path.dirname(p), 'Chart.yaml'))) chart = path.dirname(p);
  else if (/\.tpl$/i.test(base) || base.startsWith('_')) chart = chartDirOf(p);
  if (!chart) return undefined;
  setChartFileText(p, text);
  return chart;
}

/** True when the document is a template of the chart at `chartDir` (or of one of its subcharts). */
export function isTemplateOf(uri: string, chartDir: string): boolean {
  const p = toPath(uri);
  return !!p && p.startsWith(chartDir + path.sep) && !!chartDirOf(p);
}
