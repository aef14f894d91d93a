// Source maps (v3) of compiled JavaScript: a position in `x.js` to the original (`x.ts`) position.
// Reads `//# sourceMappingURL=` (a file beside it or an inline data: URL), else `x.js.map`.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface OriginalPosition {
  /** Absolute path of the original source. */
  source: string;
  /** 0-based. */
  line: number;
  /** 0-based. */
  column: number;
}

interface Segment {
  col: number;
  src: number;
  line: number;
  srcCol: number;
}

export class SourceMap {
  private lines: Segment[][] | undefined;

  constructor(
    private readonly mappings: string,
    readonly sources: readonly string[],
  ) {}

  /** The original position of a generated one (0-based line and column), or undefined. */
  originalFor(line: number, column: number): { source: number; line: number; column: number } | undefined {
    const lines = (this.lines ??= decode(this.mappings));
    // The segment at or before the column on that line; else the first segment of the line.
    const segs = lines[line];
    if (!segs?.length) return undefined;
    let best: Segment | undefined;
    for (const s of segs) {
      if (s.col <= column) best = s;
      else break;
    }
    best ??= segs[0];
    return best.src < 0 ? undefined : { source: best.src, line: best.line, column: best.srcCol };
  }
}

const B64 = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (B64[c.charCodeAt(0)] = i));

function decode(mappings: string): Segment[][] {
  const out: Segment[][] = [];
  let src = 0;
  let srcLine = 0;
  let srcCol = 0;
  let i = 0;
  const n = mappings.length;
  let line: Segment[] = [];
  let col = 0;
  const values: number[] = [];
  while (i <= n) {
    const c = i < n ? mappings.charCodeAt(i) : 59; // end = ';'
    if (c === 59 || c === 44) {
      // ';' ends a line, ',' a segment
      if (values.length >= 1) {
        col += values[0];
        if (values.length >= 4) {
          src += values[1];
          srcLine += values[2];
          srcCol += values[3];
          line.push({ col, src, line: srcLine, srcCol });
        } else line.push({ col, src: -1, line: 0, srcCol: 0 });
      }
      values.length = 0;
      if (c === 59) {
        line.sort((a, b) => a.col - b.col);
        out.push(line);
        line = [];
        col = 0;
      }
      i++;
      continue;
    }
    // One VLQ value.
    let value = 0;
    let shift = 0;
    for (;;) {
      const d = i < n ? B64[mappings.charCodeAt(i++)] : -1;
      if (d < 0) break;
      value += (d & 31) << shift;
      shift += 5;
      if (!(d & 32)) break;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
  }
  return out;
}

const cache = new Map<string, { mtime: number; map: SourceMap | undefined; dir: string }>();

/** The map of a compiled file, cached by the file's mtime; undefined when there is none. */
export function sourceMapFor(jsFile: string): { map: SourceMap; dir: string } | undefined {
  const stat = fs.statSync(jsFile, { throwIfNoEntry: false });
  if (!stat) return undefined;
  const hit = cache.get(jsFile);
  if (hit && hit.mtime === stat.mtimeMs) return hit.map && { map: hit.map, dir: hit.dir };
  let map: SourceMap | undefined;
  let dir = path.dirname(jsFile);
  try {
    const js = fs.readFileSync(jsFile, 'utf8');
    const m = /\/\/[#@]\s*sourceMappingURL=(\S+)\s*$/.exec(js.slice(-4096));
    let raw: string | undefined;
    if (m && m[1].startsWith('data:')) {
      const comma = m[1].indexOf(',');
      raw = /;base64$/.test(m[1].slice(0, comma)) ? Buffer.from(m[1].slice(comma + 1), 'base64').toString('utf8') : decodeURIComponent(m[1].slice(comma + 1));
    } else {
      const mapFile = m ? path.resolve(path.dirname(jsFile), decodeURIComponent(m[1])) : jsFile + '.map';
      if (fs.existsSync(mapFile)) {
        raw = fs.readFileSync(mapFile, 'utf8');
        dir = path.dirname(mapFile);
      }
    }
    if (raw !== undefined) {
      const json = JSON.parse(raw) as { mappings?: unknown; sources?: unknown; sourceRoot?: unknown };
      if (typeof json.mappings === 'string' && Array.isArray(json.sources)) {
        const root = typeof json.sourceRoot === 'string' ? json.sourceRoot : '';
        map = new SourceMap(json.mappings, json.sources.map((s) => String(root ? path.join(root, String(s)) : s)));
      }
    }
  } catch {
    map = undefined;
  }
  cache.set(jsFile, { mtime: stat.mtimeMs, map, dir });
  return map && { map, dir };
}

/** The original position of a position in compiled JavaScript (0-based), through its source map. */
export function originalPosition(jsFile: string, line: number, column: number): OriginalPosition | undefined {
  const found = sourceMapFor(jsFile);
  if (!found) return undefined;
  const o = found.map.originalFor(line, column);
  if (!o) return undefined;
  const src = found.map.sources[o.source];
  if (src === undefined) return undefined;
  const source = src.startsWith('file://') ? new URL(src).pathname : path.resolve(found.dir, src);
  return { source, line: o.line, column: o.column };
}
