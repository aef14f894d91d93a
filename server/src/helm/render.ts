// A Helm template as a parsed file: rendered with its chart's values, the output parsed with the project's
// YAML parser, and every node's offsets moved back onto the template text, so rules, suppressions, hovers and
// positions work on the file as written. Documents with something unknown in them are left out.
import * as path from 'node:path';
import { LineIndex } from '../documents/lines';
import type { Node } from '../documents/nodes';
import type { Doc, ParsedFile } from '../documents/parse';
import { parseYaml, type SyntaxError } from '../documents/yaml';
import { chartDirOf, isChartMetaFile, loadChart, MUTATING, readChartFile, toPath, type Chart } from './chart';
import { RenderError, Renderer, topLevel, type Segment } from './eval';
import { parseTemplate, TemplateSyntaxError } from './template';
import { cloneValues, type Origin, type Value } from './values';

export interface HelmRender {
  chart: Chart;
  /** The rendered text and where each part of it came from. */
  output: string;
  segments: Segment[];
  /** Indexes of documents left out because something in them is unknown, and the template offsets of what was. */
  unknownDocs: number[];
  unknownSrc: number[];
}

const RENDERS = new WeakMap<ParsedFile, HelmRender>();

export function helmRenderOf(file: ParsedFile): HelmRender | undefined {
  return RENDERS.get(file);
}

export const HELM_KIND = 'helm';

/** Output offset -> template offset, for starts and ends of ranges. */
export class SourceMap {
  constructor(private readonly segs: Segment[], private readonly outLength: number, private readonly srcLength: number) {}

  private find(off: number): Segment | undefined {
    const s = this.segs;
    let lo = 0;
    let hi = s.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].out + s[mid].len <= off) lo = mid + 1;
      else if (s[mid].out > off) hi = mid - 1;
      else return s[mid];
    }
    return undefined;
  }

  start(off: number): number {
    const seg = this.find(off) ?? (off >= this.outLength ? undefined : this.segs.find((s) => s.out >= off));
    if (!seg) return this.end(off);
    return seg.literal ? seg.src + Math.max(0, off - seg.out) : seg.src;
  }

  end(off: number): number {
    if (off <= 0) return this.segs[0]?.src ?? 0;
    const seg = this.find(off - 1);
    if (!seg) return this.srcLength;
    return seg.literal ? seg.src + (off - 1 - seg.out) + 1 : seg.srcEnd;
  }

  /** Segments of the output range [start, end). */
  within(start: number, end: number): Segment[] {
    return this.segs.filter((s) => s.out < Math.max(end, start + 1) && s.out + s.len > start);
  }
}

/** Moves a fresh tree's offsets from the output onto the template. */
function remap(node: Node | undefined, map: SourceMap, seen: Set<Node>): void {
  if (!node || seen.has(node)) return;
  seen.add(node);
  const start = map.start(node.start);
  const end = node.end > node.start ? map.end(node.end) : start;
  node.start = start;
  node.end = Math.max(start, end);
  if (node.kind === 'map')
    for (const p of node.pairs) {
      remap(p.key, map, seen);
      remap(p.value, map, seen);
    }
  else if (node.kind === 'seq') for (const item of node.items) remap(item, map, seen);
}

/** Whether Helm handling applies to this file, and how: a chart template, a chart's own values file, or neither. */
export function helmRole(uri: string): { role: 'template' | 'meta' | 'helper'; path: string; chartDir?: string } | undefined {
  const p = toPath(uri);
  if (!p) return undefined;
  const chartDir = chartDirOf(p);
  if (chartDir) {
    const base = path.basename(p);
    if (base.startsWith('_') || !/\.ya?ml$/i.test(base)) return { role: 'helper', path: p, chartDir };
    return { role: 'template', path: p, chartDir };
  }
  return isChartMetaFile(p) ? { role: 'meta', path: p } : undefined;
}

/** Renders a chart template; the file comes back with the template's text and the rendered documents. */
export function parseHelmTemplate(text: string, uri: string, filePath: string, chartDir: string): ParsedFile {
  const file: ParsedFile = { uri, text, format: 'yaml', kind: HELM_KIND, docs: [], errors: [], lines: new LineIndex(text) };
  const chart = loadChart(chartDir, uri);
  if (chart.disabled) {
    file.kind = undefined;
    file.skipped = `a template of subchart ${chart.name}, which its parent chart turns off (${chart.disabled} in its values)`;
    return file;
  }
  let parsed;
  try {
    parsed = parseTemplate(text);
  } catch (e) {
    if (e instanceof RangeError) return unrendered(file, 'nested too deeply');
    if (!(e instanceof TemplateSyntaxError)) throw e;
    // While typing: one clear diagnostic, and nothing linted until the template parses again.
    file.errors = [{ start: e.start, end: Math.max(e.end, e.start + 1), message: `Helm template: ${e.message}` }];
    return clamp(file);
  }
  const defines = new Map(chart.defines);
  for (const [name, body] of parsed.defines) defines.set(name, body);
  const rel = path.relative(chartDir, filePath).split(path.sep).join('/');
  const copy = chart.mutates || MUTATING.test(text);
  const dot = topLevel(copy ? cloneValues(chart.values) : chart.values, (copy ? cloneValues(chart.meta) : chart.meta) as Record<string, Value>, `${chart.name}/${rel}`, `${chart.name}/templates`, (name) => readChartFile(chartDir, name));
  let rendered;
  try {
    rendered = new Renderer({ defines }).render(parsed.root, dot);
  } catch (e) {
    if (e instanceof RangeError) return unrendered(file, 'nested too deeply');
    if (!(e instanceof RenderError)) throw e;
    return unrendered(file, e.message);
  }
  const map = new SourceMap(rendered.segments, rendered.text.length, text.length);
  // Helm splits documents on any `---` that starts a line, so `---# comment` (a separator a `{{- ... -}}` pulled
  // a comment onto) is a separator there: blank the comment, which keeps every offset.
  const yaml = parseYaml(rendered.text.replace(/^---#.*$/gm, (line) => '---' + ' '.repeat(line.length - 3)));
  const unknownDocs: number[] = [];
  const docs: Doc[] = yaml.docs.map((d, i) => {
    const unknown = rendered.unknownAt.some((o) => o >= d.start && o <= d.end);
    if (unknown) unknownDocs.push(i);
    else remap(d.root, map, new Set());
    return { root: unknown ? undefined : d.root, start: map.start(d.start), end: Math.max(map.start(d.start), map.end(d.end)) };
  });
  const errors: SyntaxError[] = [];
  for (const e of yaml.errors) {
    const doc = yaml.docs.findIndex((d) => e.start >= d.start && e.start <= d.end);
    if (unknownDocs.includes(doc)) continue;
    const start = map.start(e.start);
    // On an output line an action wrote to, the values may be at fault; on literal text alone, the template is.
    const lineStart = rendered.text.lastIndexOf('\n', e.start - 1) + 1;
    const lineEnd = rendered.text.indexOf('\n', Math.max(e.start, e.end - 1));
    const fromValues = map.within(lineStart, lineEnd < 0 ? rendered.text.length : lineEnd).some((seg) => !seg.literal);
    errors.push({ start, end: Math.max(start + 1, e.end > e.start ? map.end(e.end) : start + 1), message: `${e.message} (in the rendered template)`, ...(fromValues ? { rendered: true as const } : {}) });
  }
  // Every document depends on what the renderer cannot compute: nothing is checked, and the file says so.
  if (docs.length && unknownDocs.length === docs.length && !errors.length && docs.some((d) => d.end > d.start)) {
    return unrendered(file, 'every document depends on values or functions the chart does not set or KB Hints does not evaluate');
  }
  file.docs = docs;
  file.errors = errors;
  RENDERS.set(file, { chart, output: rendered.text, segments: rendered.segments, unknownDocs, unknownSrc: rendered.unknownSrc });
  return clamp(file);
}

function unrendered(file: ParsedFile, why: string): ParsedFile {
  file.kind = undefined;
  file.skipped = `a Helm template that could not be rendered (${why})`;
  return file;
}

function clamp(file: ParsedFile): ParsedFile {
  const n = file.text.length;
  file.errors = file.errors.map((e) => ({ ...e, start: Math.min(e.start, Math.max(0, n - 1)), end: Math.min(Math.max(e.end, e.start + 1), n) }));
  return file;
}

/** The values entries that drive the template range [start, end): what the actions there printed, then the conditions around. */
export function originsAt(render: HelmRender, start: number, end: number): Array<{ origin: Origin; how: 'value' | 'condition' }> {
  const values: Array<{ origin: Origin; how: 'value' | 'condition' }> = [];
  const conditions: Array<{ origin: Origin; how: 'value' | 'condition' }> = [];
  const seen = new Set<string>();
  for (const s of render.segments) {
    if (!s.origin || !(s.src < Math.max(end, start + 1) && s.srcEnd > start)) continue;
    const key = `${s.origin.uri}:${s.origin.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (s.literal ? conditions : values).push({ origin: s.origin, how: s.literal ? 'condition' : 'value' });
  }
  return [...values, ...conditions];
}
