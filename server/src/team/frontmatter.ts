// The KB topic format: front matter (one `key: value` per line) + Markdown. Shared by the build
// (scripts/kb.mjs loads this file for the built-in topics in kb/) and by team topics read at run time.
// No imports: the build loads this file on its own.

export interface TopicData {
  id: string;
  title: string;
  summary: string;
  keywords: string[];
  cloudformation: string[];
  kubernetes: string[];
  properties: string[];
  related: string[];
  /** Official pages (https URLs) the topic rests on. */
  sources: string[];
  /** When the topic was last checked against its sources (YYYY-MM-DD). */
  checked: string;
  body: string;
}

export const LIST_KEYS = ['keywords', 'cloudformation', 'kubernetes', 'properties', 'related', 'sources'] as const;
export const TEXT_KEYS = ['id', 'title', 'summary', 'checked'] as const;

/** A problem in a topic file; `line` is 0-based (the front matter's first line is 1). */
export class FrontMatterError extends Error {
  constructor(readonly file: string, readonly problem: string, readonly line: number) {
    super(`${file}: ${problem}`);
  }
}

export interface ParseTopicOptions {
  /** Require the id to match the file name (`<id>.md`); default true. */
  idMatchesFile?: boolean;
}

/**
 * Front matter is one `key: value` per line. Lists are written inline (`key: [a, b]`) or, for long
 * items such as URLs, as a block: `key:` followed by one `  - item` line per item.
 */
export function parseTopic(text: string, file: string, options: ParseTopicOptions = {}): TopicData {
  const m = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n([\s\S]*))?$/.exec(text);
  const fail = (problem: string, line = 0): never => {
    throw new FrontMatterError(file, problem, line);
  };
  if (!m) fail('missing front matter (a --- line, key: value lines, a --- line, then Markdown)');
  const topic: Record<string, string | string[]> = { body: (m![2] ?? '').trim() + '\n' };
  const lineOf: Record<string, number> = {};
  let block: string | undefined; // the list key whose `- item` lines are being read
  m![1].split(/\r?\n/).forEach((line, i) => {
    const n = i + 1;
    if (!line.trim()) return;
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item) {
      if (!block) fail(`list item '${line.trim()}' outside a list`, n);
      (topic[block!] as string[]).push(item[1].trim());
      return;
    }
    block = undefined;
    const kv = /^([a-z]+):\s*(.*)$/.exec(line);
    if (!kv) fail(`cannot read front matter line '${line}'`, n);
    const [, key, raw] = kv!;
    if (key in topic) fail(`front matter key '${key}' is given twice`, n);
    lineOf[key] = n;
    if ((LIST_KEYS as readonly string[]).includes(key)) {
      if (!raw.trim()) {
        topic[key] = [];
        block = key;
        return;
      }
      const list = /^\[(.*)\]$/.exec(raw.trim());
      if (!list) fail(`${key} must be a [list] or a block of '- item' lines`, n);
      topic[key] = list![1].split(',').map((s) => s.trim()).filter(Boolean);
    } else if ((TEXT_KEYS as readonly string[]).includes(key)) topic[key] = raw.trim();
    else fail(`unknown front matter key '${key}' (expected ${[...TEXT_KEYS, ...LIST_KEYS].join(', ')})`, n);
  });
  for (const k of TEXT_KEYS) if (!topic[k]) fail(`front matter needs '${k}'${k === 'checked' ? ' (the date the sources were last checked, YYYY-MM-DD)' : ''}`);
  for (const k of LIST_KEYS) topic[k] ??= [];
  const t = topic as unknown as TopicData;
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  if (options.idMatchesFile !== false && `${t.id}.md` !== base) fail(`id '${t.id}' does not match the file name`, lineOf.id);
  if (!t.sources.length) fail(`front matter needs 'sources': the official pages (https URLs) this topic is based on`);
  for (const s of t.sources) if (!isHttpsUrl(s)) fail(`source '${s}' is not an https URL`, lineOf.sources);
  if (!isDate(t.checked)) fail(`checked '${t.checked}' is not a date (YYYY-MM-DD)`, lineOf.checked);
  return t;
}

function isHttpsUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && !!u.hostname && !/\s/.test(s);
  } catch {
    return false;
  }
}

/** A real calendar date written YYYY-MM-DD. */
export function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
