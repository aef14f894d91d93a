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
import { siteAt } from './typescript';

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

interface TemplateResource {
  id: string;
  start: number;
  end: number;
  node: MapNode | undefined;
  cdkPath?: string;
}

/** A frame as CDK writes it: `new X (/abs/file.js:12:5)`, `at f (file:1:2)`, `/abs/file.js:1:2`. */
const FRAME = /(?:\(|^\s*(?:at\s+)?)((?:[A-Za-z]:)?[^():]+?\.(?:[cm]?[jt]sx?|py)):(\d+):(\d+)\)?\s*$/;

export class AppPlacer {
  private index: SourceIndex | undefined;
  private readonly texts = new Map<string, { text: string; lines: LineIndex; mtime: number } | null>();
  private readonly templates = new Map<string, TemplateResource[]>();

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
    const constructPath = stack.resources.get(res.id)?.path ?? res.cdkPath;
    if (!constructPath) return undefined;
    const segs = constructPath.split('/');
    const stackDepth = (stack.displayName ?? segs[0]).split('/').length;
    const base = { logicalId: res.id, constructPath };

    // A container of a task definition: the `addContainer('name')` line, when the sources have it.
    const container = containerAt(res.node, offset);
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
    const byPath = new Map<string, string[]>();
    for (const r of stack.resources.values()) if (r.trace) byPath.set(r.path, r.trace);
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
      const frame = this.userFrame(trace);
      if (!frame) continue;
      const placed = this.fromSource(frame.file, frame.line, frame.column, base);
      if (placed) return placed;
    }
    return undefined;
  }

  /** The innermost frame in the user's code, resolved to a source file on disk (through a source map). */
  private userFrame(trace: readonly string[]): { file: string; line: number; column: number } | undefined {
    for (const raw of trace) {
      const f = raw.trim();
      if (f.startsWith('...') || f.startsWith('(')) continue;
      const m = FRAME.exec(f);
      if (!m) continue;
      const file = m[1];
      if (/[\\/]node_modules[\\/]|^node:|^internal[\\/]/.test(file)) continue;
      const local = this.onDisk(file);
      // The first user frame decides: if its file is gone, the trace is of no use.
      if (!local) return undefined;
      const line = Number(m[2]) - 1;
      const column = Number(m[3]) - 1;
      if (/\.[cm]?jsx?$/.test(local)) {
        const o = originalPosition(local, line, column);
        if (o && fs.existsSync(o.source)) return { file: o.source, line: o.line, column: o.column };
      }
      return { file: local, line, column };
    }
    return undefined;
  }

  /** A path from a trace, possibly written on another machine: the same file inside this app. */
  private onDisk(file: string): string | undefined {
    if (fs.existsSync(file) && isInside(this.app.dir, file)) return path.resolve(file);
    const parts = file.split(/[\\/]/).filter(Boolean);
    for (let k = 0; k < parts.length; k++) {
      const candidate = path.join(this.app.dir, ...parts.slice(k));
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  }

  private fromSource(file: string, line: number, column: number, base: Pick<Placement, 'logicalId' | 'constructPath'>): Placement | undefined {
    const src = this.text(file);
    if (!src) return undefined;
    const offset = src.lines.offset({ line, character: column });
    const site = siteAt(file, src.text, offset);
    // No construct expression there: the file changed since the synth (or no parser): let static decide.
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
    let list = this.templates.get(template);
    if (!list) {
      list = [];
      const root = parseJson(text).root;
      for (const p of asMap(get(root, 'Resources'))?.pairs ?? []) {
        const node = asMap(p.value);
        const cdkPath = asScalar(get(get(node, 'Metadata'), 'aws:cdk:path'))?.value;
        list.push({ id: String(p.key.value), start: p.key.start, end: p.value.end, node, ...(typeof cdkPath === 'string' ? { cdkPath } : {}) });
      }
      this.templates.set(template, list);
    }
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

/** The `Name` of the container definition the offset is in, if it is in one. */
function containerAt(node: MapNode | undefined, offset: number): string | undefined {
  const defs = asSeq(get(get(node, 'Properties'), 'ContainerDefinitions'));
  if (!defs || offset < defs.start || offset > defs.end) return undefined;
  for (const item of defs.items) {
    if (offset >= item.start && offset <= item.end) {
      const name = asScalar(get(item, 'Name'))?.value;
      return typeof name === 'string' ? name : undefined;
    }
  }
  return undefined;
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, path.resolve(file));
  return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel);
}
