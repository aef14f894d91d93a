// Loading a team KB: topic files (Markdown + front matter) and rule files (YAML) from folders, checked
// and compiled. Problems are located (file, offsets, line and column) so that the editor can underline
// them and the CLI print them; a broken file or rule is left out and the others load. Parsed files are
// cached by text, so reloading on every keystroke only re-reads what changed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../documents/lines';
import { RULES } from '../rules';
import { TOPICS } from '../kb/topics';
import { compileRule, type TeamRule } from './compile';
import { FrontMatterError, parseTopic } from './frontmatter';
import type { TeamTopic } from './registry';
import { readRuleFile, type TeamRuleSpec } from './spec';

export interface TeamProblem {
  file: string;
  start: number;
  end: number;
  /** 0-based. */
  line: number;
  character: number;
  message: string;
}

export interface TeamKb {
  rules: TeamRule[];
  topics: TeamTopic[];
  problems: TeamProblem[];
  /** Every file read (rule and topic files). */
  files: string[];
}

export interface TeamIo {
  /** The file names of a folder, or undefined when it does not exist. */
  list(dir: string): string[] | undefined;
  read(file: string): string | undefined;
}

export const diskIo: TeamIo = {
  list(dir) {
    try {
      return fs.readdirSync(dir);
    } catch {
      return undefined;
    }
  },
  read(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

export const EMPTY_TEAM_KB: TeamKb = Object.freeze({ rules: [], topics: [], problems: [], files: [] }) as unknown as TeamKb;

const BUILT_IN_IDS = new Set(RULES.map((r) => r.meta.id));
const MAX_FILE = 1024 * 1024;
const MAX_RULES = 1000;

interface Parsed {
  text: string;
  rules: TeamRule[];
  topic?: TeamTopic;
  problems: TeamProblem[];
}

/** A rule or topic file read once per text. */
export class TeamLoader {
  private readonly cache = new Map<string, Parsed>();

  constructor(private readonly io: TeamIo = diskIo) {}

  /** Loads the rules of `ruleDirs` and the topics of `kbDirs` (missing folders are skipped). */
  load(ruleDirs: readonly string[], kbDirs: readonly string[]): TeamKb {
    const out: TeamKb = { rules: [], topics: [], problems: [], files: [] };
    for (const dir of unique(kbDirs)) {
      for (const f of this.files(dir, /\.md$/)) {
        const p = this.parse(f, 'topic');
        out.files.push(f);
        out.problems.push(...p.problems);
        if (!p.topic) continue;
        const dup = out.topics.find((t) => t.id === p.topic!.id);
        if (dup) out.problems.push(problemAt(p.text, f, 0, 0, `topic '${p.topic.id}' is also defined in ${dup.file}; this one is ignored`));
        else out.topics.push(p.topic);
      }
    }
    const topicIds = new Set([...TOPICS.map((t) => t.id), ...out.topics.map((t) => t.id)]);
    for (const dir of unique(ruleDirs)) {
      for (const f of this.files(dir, /\.ya?ml$/)) {
        const p = this.parse(f, 'rules');
        out.files.push(f);
        out.problems.push(...p.problems);
        for (const r of p.rules) {
          const spec = r.team;
          const dup = out.rules.find((x) => x.meta.id === spec.id);
          if (dup) out.problems.push(problemAt(p.text, f, spec.idNode.start, spec.idNode.end, `rule '${spec.id}' is also defined in ${dup.team.file}; this one is ignored`));
          else if (!topicIds.has(spec.kb)) out.problems.push(problemAt(p.text, f, spec.kbNode.start, spec.kbNode.end, `kb: no topic '${spec.kb}' (neither a built-in topic nor one in ${kbDirs.length ? kbDirs.join(', ') : 'the team KB folders (kb: in .kbhints.yaml)'})`));
          else if (out.rules.length >= MAX_RULES) out.problems.push(problemAt(p.text, f, spec.idNode.start, spec.idNode.end, `more than ${MAX_RULES} team rules: this one is ignored`));
          else out.rules.push(r);
        }
      }
    }
    return out;
  }

  private files(dir: string, ext: RegExp): string[] {
    return (this.io.list(dir) ?? []).filter((f) => ext.test(f) && !f.startsWith('.')).sort().map((f) => path.join(dir, f));
  }

  private parse(file: string, what: 'rules' | 'topic'): Parsed {
    const text = this.io.read(file) ?? '';
    const hit = this.cache.get(file);
    if (hit && hit.text === text) return hit;
    const parsed: Parsed = { text, rules: [], problems: [] };
    if (text.length > MAX_FILE) parsed.problems.push(problemAt(text, file, 0, 0, `larger than ${MAX_FILE / 1024} KB: not read`));
    else if (what === 'topic') {
      try {
        const t = parseTopic(text, file);
        parsed.topic = { ...t, file };
      } catch (e) {
        if (!(e instanceof FrontMatterError)) throw e;
        const lines = new LineIndex(text);
        const line = Math.min(e.line, lines.lineCount - 1);
        const start = lines.lineStart(line);
        const end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) - 1 : text.length;
        parsed.problems.push(problemAt(text, file, start, Math.max(start, end), e.problem));
      }
    } else {
      const { rules, errors } = readRuleFile(text, file, BUILT_IN_IDS);
      parsed.problems.push(...errors.map((e) => problemAt(text, file, e.start, e.end, e.message)));
      parsed.rules = rules.map((s: TeamRuleSpec) => compileRule(s));
    }
    this.cache.set(file, parsed);
    return parsed;
  }
}

function unique(dirs: readonly string[]): string[] {
  return [...new Set(dirs.map((d) => path.resolve(d)))];
}

function problemAt(text: string, file: string, start: number, end: number, message: string): TeamProblem {
  const p = new LineIndex(text).position(start);
  return { file, start, end, line: p.line, character: p.character, message };
}

/** `file:line:column: message`, as the CLI prints problems. */
export function formatProblem(p: TeamProblem, cwd = process.cwd()): string {
  return `${path.relative(cwd, p.file) || p.file}:${p.line + 1}:${p.character + 1}: ${p.message}`;
}
