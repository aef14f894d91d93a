// Which team rule and topic folders apply to a file: `.kbhints/rules/` in the file's folder or any folder
// above it, plus the `teamRules:` and `kb:` folders of the `.kbhints.yaml` files that apply to it. The
// CLI and the language server both resolve folders this way, and load them with a TeamLoader.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../engine/config';
import type { Rule } from '../engine/rule';
import { RULES } from '../rules';
import { TeamLoader, type TeamIo, type TeamKb } from './load';

export interface TeamDirs {
  rules: string[];
  kb: string[];
}

export const TEAM_RULES_DIR = path.join('.kbhints', 'rules');

export class TeamFolders {
  private readonly exists = new Map<string, boolean>();

  constructor(private readonly isDir: (dir: string) => boolean = defaultIsDir) {}

  /** The folders for a file, given the `.kbhints.yaml` configuration that applies to it. */
  forFile(file: string, config: Pick<ResolvedConfig, 'kb' | 'teamRules'>): TeamDirs {
    const rules: string[] = [];
    let dir = path.dirname(path.resolve(file));
    for (;;) {
      const candidate = path.join(dir, TEAM_RULES_DIR);
      let hit = this.exists.get(candidate);
      if (hit === undefined) this.exists.set(candidate, (hit = this.isDir(candidate)));
      if (hit) rules.unshift(candidate);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return { rules: [...new Set([...rules, ...config.teamRules.filter((d) => this.known(d))])], kb: [...new Set(config.kb)] };
  }

  private known(dir: string): boolean {
    let hit = this.exists.get(dir);
    if (hit === undefined) this.exists.set(dir, (hit = this.isDir(dir)));
    return hit;
  }

  clear(): void {
    this.exists.clear();
  }
}

function defaultIsDir(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Team KBs by folder set, loaded once (the loader re-reads only changed files on `reload`). */
export class TeamKbs {
  readonly loader: TeamLoader;
  private readonly loaded = new Map<string, { kb: TeamKb; rules: Rule[] }>();

  constructor(io?: TeamIo) {
    this.loader = new TeamLoader(io);
  }

  get(dirs: TeamDirs | undefined): { kb: TeamKb; rules: readonly Rule[] } {
    if (!dirs || (!dirs.rules.length && !dirs.kb.length)) return { kb: { rules: [], topics: [], problems: [], files: [] }, rules: RULES };
    const key = JSON.stringify(dirs);
    let hit = this.loaded.get(key);
    if (!hit) {
      const kb = this.loader.load(dirs.rules, dirs.kb);
      hit = { kb, rules: [...RULES, ...kb.rules] };
      this.loaded.set(key, hit);
    }
    return hit;
  }

  /** The folders of every team KB loaded so far. */
  dirs(): TeamDirs[] {
    return [...this.loaded.keys()].map((k) => JSON.parse(k) as TeamDirs);
  }

  /** Every team KB loaded so far. */
  all(): TeamKb[] {
    return [...this.loaded.values()].map((v) => v.kb);
  }

  /** Forgets the loaded sets (files are re-read; unchanged ones come from the loader's cache). */
  reload(): void {
    this.loaded.clear();
  }
}

/** The union of several team KBs (first wins for an id), for the catalogue. */
export function unionOf(kbs: TeamKb[]): { rules: TeamKb['rules']; topics: TeamKb['topics']; problems: TeamKb['problems'] } {
  const rules = new Map<string, TeamKb['rules'][number]>();
  const topics = new Map<string, TeamKb['topics'][number]>();
  const problems = new Map<string, TeamKb['problems'][number]>();
  for (const kb of kbs) {
    for (const r of kb.rules) if (!rules.has(r.meta.id)) rules.set(r.meta.id, r);
    for (const t of kb.topics) if (!topics.has(t.id)) topics.set(t.id, t);
    for (const p of kb.problems) problems.set(`${p.file}:${p.start}:${p.message}`, p);
  }
  return { rules: [...rules.values()], topics: [...topics.values()], problems: [...problems.values()] };
}
