// Where a finding on a synthesized template belongs in the app's sources: the user's line that creates the
// construct owning the resource. First from the creation stack the assembly recorded (mapped through the
// compiled JavaScript's source map), else statically (match.ts). Undefined: the finding stays on the template.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseJson } from '../documents/json';
import { LineIndex, type Position } from '../documents/lines';
import { asMap, asScalar, asSeq, get, type MapNode } from '../documents/nodes';
import type { AssemblyStack, CdkApp } from './assembly';
import { SourceIndex, sourceFiles } from './match';
import { originalPosition } from './sourcemap';
import { callAt } from './callsite';

export interface Placement {
  /** Absolute path of the source file. */
  file: string;
  start: Position;
  end: Position;
  /** `trace`: from the creation stack; `static`: from the construct ids in the sources. */
  how: 'trace' | 'static';
  /** The source file changed after the assembly was written: the finding is from the last synth. */
  stale: boolean;
  logicalId: string;
  constructPath: string;
}

export interface TemplateResource {
  id: string;
  /** The key's offset. */
  start: number;
  valueStart: number;
  /** Just past the value. */
  end: number;
  node: MapNode | undefined;
  parsed?: boolean;
}

/** A frame as CDK writes it: `new X (/abs/file.js:12:5)`, `at f (file:1:2)`, `/abs/file.js:1:2`. */
// `at f (file.ts:12:5)`, `file.ts:12:5`, or with no column (`file.ts:10 (:)`, as ts-node writes a callback's frame).
const FRAME = /(?:\(|^\s*(?:at\s+)?)((?:[A-Za-z]:)?[^():]+?\.(?:[cm]?[jt]sx?|py)):(\d+)(?::(\d+))?\)?(?:\s*\(:\))?\s*$/;

export class AppPlacer {
  private index: SourceIndex | undefined;
  private readonly texts = new Map<string, { text: string; lines: LineIndex; mtime: number } | null>();
  private readonly templates = new Map<string, { text: string; list: TemplateResource[] }>();
  private readonly traces = new Map<AssemblyStack, Map<string, string[]>>();
  /** Placements by trace frame (`file:line:col`): many resources share a creation line. */
  private readonly byFrame = new Map<string, Placement | null>();

  constructor(readonly app: CdkApp) {}

  /** The stack whose template this is, if the app's assembly has it. */
  stackOf(template: string): AssemblyStack | undefined {
    return this.app.stacks.get(path.resolve(template));
  }

  sources(): SourceIndex {
    return (this.index ??= new SourceIndex(sourceFiles(this.app.dir, this.app.out)));
  }

  /** Places the finding at `offset` of a template (its text, as linted). */
  place(template: string, text: string, offset: number): Placement | undefined {
    const stack = this.stackOf(template);
    if (!stack) return undefined;
    const res = this.resourceAt(template, text, offset);
    if (!res) return undefined;
    const constructPath = stack.resources.get(res.id)?.path ?? cdkPathOf(text, res);
    if (!constructPath) return undefined;
    const segs = constructPath.split('/');
    const stackDepth = (stack.displayName ?? segs[0]).split('/').length;
    const base = { logicalId: res.id, constructPath };

    // A container of a task definition: the `addContainer('name')` line, when the sources have it.
    const container = containerAt(text, res, offset);
    if (container) {
      const owner = segs[segs.length - 1] === 'Resource' ? segs.slice(0, -1) : segs;
      const cs = [...owner, container];
      const m = this.sources().match(cs, cs.length);
      if (m) return this.fromSite(m.site.file, m.site.start, m.site.end, 'static', base);
    }

    const traced = this.fromTrace(stack, constructPath, base);
    if (traced) return traced;
    const m = this.sources().match(segs, stackDepth + 1);
    return m ? this.fromSite(m.site.file, m.site.start, m.site.end, 'static', base) : undefined;
  }

  private fromTrace(stack: AssemblyStack, constructPath: string, base: Pick<Placement, 'logicalId' | 'constructPath'>): Placement | undefined {
    // The resource's own trace; a resource the library made later (no user frame): its nearest ancestor's.
    let byPath = this.traces.get(stack);
    if (!byPath) {
      byPath = new Map<string, string[]>();
      for (const r of stack.resources.values()) if (r.trace) byPath.set(r.path, r.trace);
      this.traces.set(stack, byPath);
    }
    const candidates: string[][] = [];
    const own = byPath.get(constructPath);
    if (own) candidates.push(own);
    const segs = constructPath.split('/');
    const stackDepth = (stack.displayName ?? segs[0]).split('/').length;
    for (let n = segs.length - 1; n > stackDepth; n--) {
      const ancestor = segs.slice(0, n).join('/');
      for (const p of [`${ancestor}/Resource`, `${ancestor}/Default`, ancestor]) {
        const t = byPath.get(p);
        if (t && p !== constructPath) candidates.push(t);
      }
    }
    for (const trace of candidates) {
      // Many resources share a creation line (a pattern's): each frame is resolved once.
      const key = trace.join('\n');
      let placed = this.byFrame.get(key);
      if (placed === undefined) {
        const frame = this.userFrame(trace);
        placed = (frame && this.fromSource(frame.file, frame.line, frame.column, base)) || null;
        this.byFrame.set(key, placed);
      }
      if (placed) return { ...placed, ...base };
    }
    return undefined;
  }

  /** The innermost frame in the user's code, resolved to a source file on disk (through a source map). */
  private userFrame(trace: readonly string[]): { file: string; line: number; column: number } | undefined {
    // Files outside the app are trusted only if the trace was written here (some frame is in this app as
    // written): else an absolute path may name another copy of the project.
    const here = trace.some((f) => {
      const m = FRAME.exec(f.trim());
      return !!m && path.isAbsolute(m[1]) && !path.relative(this.app.dir, m[1]).startsWith('..');
    });
    for (const raw of trace) {
      const f = raw.trim();
      if (f.startsWith('...') || f.startsWith('(')) continue;
      const m = FRAME.exec(f);
      if (!m) continue;
      const file = m[1];
      if (/[\\/]node_modules[\\/]|^node:|^internal[\\/]/.test(file)) continue;
      const local = this.onDisk(file, here);
      // The first user frame decides: if its file is gone, the trace is of no use.
      if (!local) return undefined;
      const line = Number(m[2]) - 1;
      // No column: the expression that starts the line.
      const column = m[3] === undefined ? -1 : Number(m[3]) - 1;
      if (/\.[cm]?jsx?$/.test(local)) {
        const o = originalPosition(local, line, Math.max(column, 0));
        if (o && fs.existsSync(o.source)) return { file: o.source, line: o.line, column: o.column };
      }
      return { file: local, line, column };
    }
    return undefined;
  }

  /**
   * A path from a trace: the file in this app; for an assembly synthesized elsewhere (CI, a moved folder),
   * the file at the same path inside this app; else the file itself if it is there (a monorepo's
   * construct library outside the app).
   */
  private onDisk(file: string, outsideOk: boolean): string | undefined {
    const abs = path.resolve(this.app.dir, file);
    const rel = path.relative(this.app.dir, abs);
    if (!rel.startsWith('..') && !path.isAbsolute(rel) && fs.existsSync(abs)) return abs;
    const parts = file.split(/[\\/]/).filter(Boolean);
    for (let k = 1; k < parts.length; k++) {
      const candidate = path.join(this.app.dir, ...parts.slice(k));
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    return outsideOk && path.isAbsolute(file) && fs.existsSync(file) ? file : undefined;
  }

  private fromSource(file: string, line: number, column: number, base: Pick<Placement, 'logicalId' | 'constructPath'>): Placement | undefined {
    const src = this.text(file);
    if (!src) return undefined;
    const offset = column >= 0 ? src.lines.offset({ line, character: column }) : lineCall(src.text, src.lines.offset({ line, character: 0 }));
    const site = /\.py$/.test(file) ? undefined : callAt(src.text, offset);
    // No construct expression there: the file changed since the synth: let static decide.
    if (!site) return undefined;
    return this.fromSite(file, site.start, site.end, 'trace', base);
  }

  private fromSite(file: string, start: number, end: number, how: Placement['how'], base: Pick<Placement, 'logicalId' | 'constructPath'>): Placement | undefined {
    const src = this.text(file);
    if (!src) return undefined;
    return { file, start: src.lines.position(start), end: src.lines.position(end), how, stale: src.mtime > this.app.synthesizedAt, ...base };
  }

  private text(file: string) {
    let t = this.texts.get(file);
    if (t === undefined) {
      try {
        const text = fs.readFileSync(file, 'utf8');
        t = { text, lines: new LineIndex(text), mtime: fs.statSync(file).mtimeMs };
      } catch {
        t = null;
      }
      this.texts.set(file, t);
    }
    return t ?? undefined;
  }

  private resourceAt(template: string, text: string, offset: number): TemplateResource | undefined {
    // Keyed by the text too: an editor may hand an unsaved version of the template.
    let hit = this.templates.get(template);
    if (!hit || hit.text !== text) this.templates.set(template, (hit = { text, list: resourceRanges(text) }));
    const list = hit.list;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = list[mid];
      if (offset < r.start) hi = mid - 1;
      else if (offset > r.end) lo = mid + 1;
      else return r;
    }
    return undefined;
  }
}

/**
 * The entries of a JSON template's top-level `Resources` (logical id, key start, value range) from a scan of
 * the text: a synthesized template is large and only the resources findings point into are parsed.
 */
export function resourceRanges(text: string): TemplateResource[] {
  const out: TemplateResource[] = [];
  const n = text.length;
  let i = 0;
  let depth = 0;
  /** Offset where the value of top-level `Resources` starts (its `{`), -1 before it. */
  let inResources = false;
  let resourcesDepth = -1;
  let pendingKey: { id: string; start: number } | undefined;
  let current: TemplateResource | undefined;
  let lastString: { value: string; start: number } | undefined;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // a string
      const start = i;
      i++;
      let esc = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) esc = true;
        else if (d === 34) break;
        i++;
      }
      i++;
      lastString = { value: esc ? safeString(text.slice(start, i)) : text.slice(start + 1, i - 1), start };
      continue;
    }
    if (c === 58) {
      // ':' after a key
      if (lastString) {
        if (depth === 1 && lastString.value === 'Resources') inResources = true;
        else if (resourcesDepth >= 0 && depth === resourcesDepth) pendingKey = { id: lastString.value, start: lastString.start };
      }
      i++;
      // the value of a resource key starts at the next non-space character
      if (pendingKey) {
        while (i < n && /\s/.test(text[i])) i++;
        current = { id: pendingKey.id, start: pendingKey.start, valueStart: i, end: i, node: undefined };
        out.push(current);
        pendingKey = undefined;
      }
      continue;
    }
    if (c === 123 || c === 91) {
      depth++;
      if (inResources && c === 123 && resourcesDepth < 0) {
        resourcesDepth = depth;
        inResources = false;
      }
    } else if (c === 125 || c === 93) {
      if (current && depth === resourcesDepth + 1) {
        current.end = i + 1;
        current = undefined;
      }
      if (depth === resourcesDepth) resourcesDepth = -2; // Resources closed: done
      depth--;
      if (resourcesDepth === -2) break;
    }
    lastString = c === 44 || c === 123 || c === 125 || c === 91 || c === 93 ? undefined : lastString;
    i++;
  }
  return out;
}

function safeString(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}


/** The resource's own tree (offsets relative to its value), parsed on demand: templates are large. */
function treeOf(text: string, r: TemplateResource): MapNode | undefined {
  if (!r.parsed) {
    r.parsed = true;
    r.node = asMap(parseJson(text.slice(r.valueStart, r.end)).root);
  }
  return r.node;
}

/** Where a frame with no column points on its line: the line's `new`, else its first word. */
function lineCall(text: string, lineStart: number): number {
  const end = text.indexOf('\n', lineStart);
  const line = text.slice(lineStart, end < 0 ? text.length : end);
  const at = /\bnew\s/.exec(line)?.index ?? /\S/.exec(line)?.index ?? 0;
  return lineStart + at;
}

function cdkPathOf(text: string, r: TemplateResource): string | undefined {
  const v = asScalar(get(get(treeOf(text, r), 'Metadata'), 'aws:cdk:path'))?.value;
  return typeof v === 'string' ? v : undefined;
}

/** The `Name` of the container definition the offset is in, if it is in one. */
function containerAt(text: string, r: TemplateResource, offset: number): string | undefined {
  const rel0 = text.slice(r.valueStart, r.end).indexOf('"ContainerDefinitions"');
  if (rel0 < 0 || r.valueStart + rel0 > offset) return undefined;
  const rel = offset - r.valueStart;
  const defs = asSeq(get(get(treeOf(text, r), 'Properties'), 'ContainerDefinitions'));
  if (!defs || rel < defs.start || rel > defs.end) return undefined;
  for (const item of defs.items) {
    if (rel >= item.start && rel <= item.end) {
      const name = asScalar(get(item, 'Name'))?.value;
      return typeof name === 'string' ? name : undefined;
    }
  }
  return undefined;
}
