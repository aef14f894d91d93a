// The CLI's team commands: `kb-hints rules test [dir]`, `kb-hints kb search <query>`, `kb-hints kb show <id>`,
// and the team KB set-up of `kb-hints lint` (folders per file, catalogue, problems as error lines).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigLoader } from '../engine/config';
import { getArticle, searchKb } from '../kb/topics';
import { RULES } from '../rules';
import { isFixtureName, fixedName, testFixtures, type Fixture } from '../testing/fixtures';
import { formatProblem, type TeamKb } from './load';
import { TeamFolders, TeamKbs, unionOf, type TeamDirs } from './project';
import { setTeamCatalogue } from './registry';

/** Team KB folders for the CLI's files, and the catalogue of every team KB they use. */
export class CliTeam {
  readonly kbs = new TeamKbs();
  private readonly folders = new TeamFolders();
  private readonly dirs = new Map<string, TeamDirs>();
  /** By the path as given: asked for each file more than once (the team rules to load, then each lint or cache key). */
  private readonly byFile = new Map<string, TeamDirs>();

  constructor(private readonly config: ConfigLoader) {}

  dirsFor(file: string): TeamDirs {
    const known = this.byFile.get(file);
    if (known) return known;
    const dir = path.dirname(path.resolve(file));
    let d = this.dirs.get(dir);
    if (!d) {
      d = this.folders.forFile(file, this.config.forDir(dir));
      this.dirs.set(dir, d);
    }
    this.byFile.set(file, d);
    return d;
  }

  /** Loads the team KBs of these files (and of the current folder), sets the catalogue; returns the problems as lines. */
  prepare(files: string[]): string[] {
    const seen = new Set<string>();
    const kbs: TeamKb[] = [];
    for (const f of [path.join(process.cwd(), '.kbhints.yaml'), ...files]) {
      const d = this.dirsFor(f);
      const key = JSON.stringify(d);
      if (seen.has(key)) continue;
      seen.add(key);
      kbs.push(this.kbs.get(d).kb);
    }
    const u = unionOf(kbs);
    setTeamCatalogue(u);
    return u.problems.map((p) => formatProblem(p));
  }
}

export function kbCommand(args: string[], write: (s: string) => void, team: CliTeam): number {
  team.prepare([]);
  const [sub, ...rest] = args;
  if (sub === 'search') {
    const q = rest.join(' ');
    const results = searchKb(q, 20);
    if (!results.length) return write(`No topic or rule matches '${q}'.\n`), 1;
    for (const r of results) write(`${r.kind.padEnd(5)} ${r.id.padEnd(40)} ${r.title}\n      ${r.detail}\n`);
    return 0;
  }
  if (sub === 'show') {
    const id = rest[0] ?? '';
    const a = getArticle(id, 'web');
    if (!a) return write(`No topic or rule '${id}'. Try: kb-hints kb search <words>\n`), 1;
    write(a.markdown);
    return 0;
  }
  write('Usage: kb-hints kb search <query> | kb-hints kb show <topic-id | rule:rule-id>\n');
  return 2;
}

/**
 * Runs the fixtures of a team's rules: for a rule `team/name`, the `fires*` and `quiet*` files in
 * `<dir>/tests/name/` (or `<dir>/tests/team/name/`), in the annotated form of the built-in rules' fixtures.
 */
export function rulesTestCommand(args: string[], write: (s: string) => void, config: ConfigLoader): number {
  const cwd = process.cwd();
  const dir = path.resolve(args[0] ?? path.join(cwd, '.kbhints', 'rules'));
  if (!fs.existsSync(dir)) return write(`kb-hints: no rule folder ${dir} (give one: kb-hints rules test <dir>)\n`), 2;
  const cfg = config.forDir(dir);
  const kbs = new TeamKbs();
  const { kb, rules } = kbs.get({ rules: [dir], kb: cfg.kb });
  setTeamCatalogue(kb);
  let failed = 0;
  for (const p of kb.problems) {
    write(`error ${formatProblem(p, cwd)}\n`);
    failed++;
  }
  let passed = 0;
  let untested = 0;
  for (const rule of kb.rules) {
    const id = rule.meta.id;
    const name = id.split('/')[1];
    const folder = [path.join(dir, 'tests', name), path.join(dir, 'tests', ...id.split('/'))].find((f) => fs.existsSync(f));
    if (!folder) {
      write(`-     ${id}: no fixtures (add ${path.relative(cwd, path.join(dir, 'tests', name))}/fires.yaml and quiet.yaml)\n`);
      untested++;
      continue;
    }
    const fixtures = readFixtures(folder);
    const results = testFixtures(id, fixtures, rules);
    const bad = results.filter((r) => r.problems.length);
    if (!bad.length) {
      write(`ok    ${id} (${results.length} fixture${results.length === 1 ? '' : 's'})\n`);
      passed++;
      continue;
    }
    failed++;
    write(`FAIL  ${id}\n`);
    for (const r of bad) for (const p of r.problems) write(`      ${path.relative(cwd, path.join(folder, r.name))}: ${p.replace(/\n/g, '\n        ')}\n`);
  }
  write(`\n${passed} rule${passed === 1 ? '' : 's'} passed, ${failed} failed, ${untested} without fixtures (built-in rules: ${RULES.length}, also run)\n`);
  return failed ? 1 : 0;
}

function readFixtures(folder: string): Fixture[] {
  const names = fs.readdirSync(folder).sort();
  return names.filter(isFixtureName).map((name) => {
    const read = (n: string) => (names.includes(n) ? fs.readFileSync(path.join(folder, n), 'utf8') : undefined);
    return { name, text: read(name)!, expected: read(`${name}.expected`), fixed: read(fixedName(name)) };
  });
}
