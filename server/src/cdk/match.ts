// Static placement: the segments of a resource's construct path (`Stack/Web/LB/Resource`) matched to the
// construct-id literals of the app's sources, following the user's construct classes (into their bodies),
// helper functions (called with a scope and an id: the construct the helper makes with that id parameter)
// and the `addX('Id')` methods called on a construct the user made. The deepest match wins: that is the
// user's line that makes the construct owning the resource (a library pattern's internals are not followed).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePythonFacts } from './python';
import type { Scope, Site, SourceFacts } from './sites';
import { parseTsFacts } from './tsscan';

export interface FileSite extends Site {
  file: string;
}

export interface StaticMatch {
  site: FileSite;
  /** How many path segments the match covers (from the first). */
  depth: number;
}

const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx|py)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', '.tox', 'cdk.out', 'coverage', '.pytest_cache']);
const TEST_FILE = /(\.test\.|\.spec\.|(^|\/)test_[^/]*\.py$|_test\.py$)/;
const MAX_FILES = 2000;

/** The app's source files: TypeScript over the JavaScript compiled from it, no tests, no declarations. */
export function sourceFiles(appDir: string, out: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 10 || files.length >= MAX_FILES) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && path.resolve(full) !== out && !/^(test|tests|__tests__)$/.test(e.name)) walk(full, depth + 1);
      } else if (e.isFile() && SOURCE_EXT.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name) && !TEST_FILE.test(full)) {
        // `x.js` compiled from `x.ts` beside it: the TypeScript is the source.
        if (/\.js$/.test(e.name) && names.has(e.name.replace(/\.js$/, '.ts'))) continue;
        files.push(full);
      }
    }
  };
  walk(appDir, 0);
  // A TypeScript app's JavaScript is its compiled output (wherever `outDir` put it): the TypeScript is the source.
  return files.some((f) => /\.[cm]?tsx?$/.test(f)) ? files.filter((f) => !/\.[cm]?jsx?$/.test(f)) : files;
}

const factsCache = new Map<string, { mtime: number; size: number; facts: SourceFacts | undefined }>();

export interface SeededFacts {
  file: string;
  mtime: number;
  size: number;
  facts: SourceFacts | undefined;
}

/** Facts parsed elsewhere (prefetch.ts's worker), used while the file is unchanged. */
export function seedFacts(entries: readonly SeededFacts[]): void {
  for (const e of entries) if (e.facts) factsCache.set(e.file, { mtime: e.mtime, size: e.size, facts: e.facts });
}

export function factsOf(file: string): SourceFacts | undefined {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  const hit = factsCache.get(file);
  if (hit && hit.mtime === stat.mtimeMs && hit.size === stat.size) return hit.facts;
  let facts: SourceFacts | undefined;
  try {
    const text = fs.readFileSync(file, 'utf8');
    facts = file.endsWith('.py') ? parsePythonFacts(file, text) : parseTsFacts(file, text);
  } catch {
    facts = undefined;
  }
  factsCache.set(file, { mtime: stat.mtimeMs, size: stat.size, facts });
  return facts;
}

/** What the sources of one app say, indexed for matching. */
export class SourceIndex {
  private readonly sitesByScope = new Map<string, FileSite[]>();
  private readonly classes = new Map<string, Scope>();
  private readonly functions = new Map<string, Scope>();
  readonly allScopes: string[] = [];
  /** The newest source's modification time (ms). */
  readonly newest: number;

  constructor(readonly files: readonly string[]) {
    let newest = 0;
    for (const f of files) {
      const facts = factsOf(f);
      newest = Math.max(newest, fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (!facts) continue;
      for (const s of facts.scopes) {
        if (s.kind === 'class' && !this.classes.has(s.name)) this.classes.set(s.name, s);
        if (s.kind === 'function' && !this.functions.has(s.name)) this.functions.set(s.name, s);
        if (!this.sitesByScope.has(s.key)) {
          this.sitesByScope.set(s.key, []);
          this.allScopes.push(s.key);
        }
      }
      for (const site of facts.sites) this.sitesByScope.get(site.scope)?.push({ ...site, file: f });
    }
    this.newest = newest;
  }

  get siteCount(): number {
    let n = 0;
    for (const s of this.sitesByScope.values()) n += s.length;
    return n;
  }

  /** The scopes whose code runs as a user class's body: the class and its user base classes. */
  private classScopes(name: string): string[] {
    const out: string[] = [];
    for (let c = this.classes.get(name), guard = 0; c && guard < 10 && !out.includes(c.key); c = c.base ? this.classes.get(c.base) : undefined, guard++) out.push(c.key);
    return out;
  }

  private sitesIn(scopes: readonly string[]): FileSite[] {
    return scopes.flatMap((s) => this.sitesByScope.get(s) ?? []);
  }

  /**
   * The deepest match of the path's segments from `from` on (the Stage/Stack ids first). `minDepth`: a
   * match must cover at least this many segments (the stack's: a match of the stack alone places nothing).
   */
  match(segments: readonly string[], minDepth: number): StaticMatch | undefined {
    let best: StaticMatch | undefined;
    // The first segments may have no literal (a stack made in a loop): allow skipping up to two.
    for (let from = 0; from < Math.min(3, segments.length); from++) {
      const m = this.matchIn(this.allScopes, segments, from, 0);
      if (m && (!best || m.depth > best.depth)) best = m;
      if (best && best.depth >= minDepth) break;
    }
    return best && best.depth >= minDepth ? best : undefined;
  }

  private matchIn(scopes: readonly string[], segs: readonly string[], i: number, guard: number): StaticMatch | undefined {
    if (i >= segs.length || guard > 40) return undefined;
    let best: StaticMatch | undefined;
    let bestSpecific = -1;
    for (const site of this.sitesIn(scopes)) {
      if (site.kind === 'method' || !idMatches(site, segs[i])) continue;
      const m = this.follow(site, segs, i, guard);
      // As deep: the site whose id says more of the segment (`${name}-arm` over `${name}` for `api-arm`).
      const specific = specificity(site);
      if (!best || m.depth > best.depth || (m.depth === best.depth && specific > bestSpecific)) {
        best = m;
        bestSpecific = specific;
      }
    }
    return best;
  }

  /** A site matching segment i: follow what it creates as far as the segments go. */
  private follow(site: FileSite, segs: readonly string[], i: number, guard: number): StaticMatch {
    let best: StaticMatch = { site, depth: i + 1 };
    const take = (m: StaticMatch | undefined) => {
      if (m && m.depth > best.depth) best = m;
    };
    if (this.classes.has(site.callee)) {
      take(this.matchIn(this.classScopes(site.callee), segs, i + 1, guard + 1));
    } else if (this.functions.has(site.callee)) {
      // A helper: the construct it makes from its id parameter is segment i itself.
      const fn = this.functions.get(site.callee)!;
      for (const inner of this.sitesByScope.get(fn.key) ?? []) {
        if (inner.kind !== 'method' && inner.idParam && fn.params.includes(inner.idParam)) {
          const m = this.follow(inner, segs, i, guard + 1);
          if (m.depth >= best.depth) best = m;
        }
      }
      // ... or it makes children of the scope it is given, with ids of their own.
      take(this.matchIn([fn.key], segs, i + 1, guard + 1));
    }
    // `x.addCapacity('Id')` on the construct this site made (assigned to x): a child of it.
    if (site.assignedTo && i + 1 < segs.length) {
      for (const m of this.sitesByScope.get(site.scope) ?? []) {
        if (m.kind === 'method' && m.receiver === site.assignedTo && idMatches(m, segs[i + 1])) take({ site: m, depth: i + 2 });
      }
    }
    return best;
  }
}

/** Methods whose child's id is derived from the one given (`listener.addTargets('Ecs')` makes `EcsGroup`). */
const DERIVED_IDS: Record<string, (id: string) => string> = { addTargets: (id) => `${id}Group`, add_targets: (id) => `${id}Group` };

/** How much of a segment a site's id fixes: all of it for a literal, the literal characters of a pattern. */
function specificity(site: Site): number {
  if (site.id !== undefined || !site.idPattern) return Number.MAX_SAFE_INTEGER;
  return site.idPattern.source.replace(/^\^|\$$/g, '').replace(/\.\+/g, '').replace(/\\(.)/g, '$1').length;
}

function idMatches(site: Site, seg: string): boolean {
  if (site.id !== undefined) return site.id === seg || (site.kind === 'method' && DERIVED_IDS[site.callee]?.(site.id) === seg);
  return !!site.idPattern?.test(seg);
}
