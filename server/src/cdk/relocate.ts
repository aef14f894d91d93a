// After a lint: findings on CDK templates are given the source line that creates their construct
// (`Finding.source`); the template location stays the finding's own (shown as related). Used by the CLI;
// the server uses `CdkApps` (workspace.ts) with the same placer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INTERNAL_ERROR, SYNTAX_ERROR, type Finding } from '../engine/run';
import { appDirAbove, readApp } from './assembly';
import { AppPlacer } from './place';
import { pythonHeadline, pythonSpelling } from './spelling';

export interface LintedFile {
  path: string;
  findings: Finding[];
}

export interface RelocateStats {
  /** Findings on templates of a CDK app's assembly. */
  onAssemblies: number;
  placed: number;
  byTrace: number;
  stale: number;
}

/** Places every finding on a template of a CDK app's assembly it can; the others stay as they are. */
export function relocateCdkFindings(results: readonly LintedFile[], cwd = process.cwd()): RelocateStats {
  const stats: RelocateStats = { onAssemblies: 0, placed: 0, byTrace: 0, stale: 0 };
  const placers = new Map<string, AppPlacer | null>();
  for (const r of results) {
    const movable = r.findings.filter((f) => f.ruleId !== SYNTAX_ERROR && f.ruleId !== INTERNAL_ERROR);
    if (!movable.length || !/\.json$/i.test(r.path)) continue;
    const dir = appDirAbove(r.path);
    if (!dir) continue;
    let placer = placers.get(dir);
    if (placer === undefined) {
      let app: ReturnType<typeof readApp>;
      try {
        app = readApp(dir);
      } catch {
        app = undefined;
      }
      placer = app ? new AppPlacer(app) : null;
      placers.set(dir, placer);
    }
    if (!placer?.stackOf(r.path)) continue;
    let text: string;
    try {
      text = fs.readFileSync(r.path, 'utf8');
    } catch {
      continue;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    for (const f of movable) {
      stats.onAssemblies++;
      let p: ReturnType<AppPlacer['place']>;
      try {
        p = placer.place(r.path, text, f.start);
      } catch {
        // A placement that fails leaves the finding on the template (nothing is lost).
        p = undefined;
      }
      if (!p) continue;
      stats.placed++;
      if (p.how === 'trace') stats.byTrace++;
      if (p.stale) stats.stale++;
      const shown = path.isAbsolute(r.path) ? p.file : path.relative(cwd, p.file);
      f.source = { path: shown, start: p.start, end: p.end, how: p.how, ...(p.stale ? { stale: true } : {}), logicalId: p.logicalId, constructPath: p.constructPath };
      // Placed in a Python app: its API names as Python spells them.
      if (/\.py$/i.test(p.file)) {
        f.message = pythonHeadline(f.message, f.detail);
        if (f.detail) f.detail = pythonSpelling(f.detail);
      }
    }
  }
  return stats;
}
