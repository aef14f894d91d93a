// Reads kb/*.md (front matter + Markdown body) into topic objects; used by the build and the docs.
// Every topic must list the official pages it rests on (`sources`, https URLs) and the date they were
// last checked against it (`checked`, YYYY-MM-DD): the build fails without them.
import * as fs from 'node:fs';
import * as path from 'node:path';

const LIST_KEYS = ['keywords', 'cloudformation', 'kubernetes', 'properties', 'related', 'sources'];
const TEXT_KEYS = ['id', 'title', 'summary', 'checked'];

export function readTopics(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => parseTopic(fs.readFileSync(path.join(dir, f), 'utf8'), f));
}

/**
 * Front matter is one `key: value` per line. Lists are written inline (`key: [a, b]`) or, for long
 * items such as URLs, as a block: `key:` followed by one `  - item` line per item.
 */
export function parseTopic(text, file) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`${file}: missing front matter`);
  const topic = { body: m[2].trim() + '\n' };
  let block; // the list key whose `- item` lines are being read
  for (const line of m[1].split(/\r?\n/)) {
    if (!line.trim()) continue;
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item) {
      if (!block) throw new Error(`${file}: list item '${line.trim()}' outside a list`);
      topic[block].push(item[1].trim());
      continue;
    }
    block = undefined;
    const kv = /^([a-z]+):\s*(.*)$/.exec(line);
    if (!kv) throw new Error(`${file}: cannot read front matter line '${line}'`);
    const [, key, raw] = kv;
    if (key in topic) throw new Error(`${file}: front matter key '${key}' is given twice`);
    if (LIST_KEYS.includes(key)) {
      if (!raw.trim()) {
        topic[key] = [];
        block = key;
        continue;
      }
      const list = /^\[(.*)\]$/.exec(raw.trim());
      if (!list) throw new Error(`${file}: ${key} must be a [list] or a block of '- item' lines`);
      topic[key] = list[1].split(',').map((s) => s.trim()).filter(Boolean);
    } else if (TEXT_KEYS.includes(key)) topic[key] = raw.trim();
    else throw new Error(`${file}: unknown front matter key '${key}'`);
  }
  for (const k of TEXT_KEYS) if (!topic[k]) throw new Error(`${file}: front matter needs '${k}'${k === 'checked' ? ' (the date the sources were last checked, YYYY-MM-DD)' : ''}`);
  for (const k of LIST_KEYS) topic[k] ??= [];
  if (`${topic.id}.md` !== file) throw new Error(`${file}: id '${topic.id}' does not match the file name`);
  if (!topic.sources.length) throw new Error(`${file}: front matter needs 'sources': the official pages (https URLs) this topic is based on`);
  for (const s of topic.sources) if (!isHttpsUrl(s)) throw new Error(`${file}: source '${s}' is not an https URL`);
  if (!isDate(topic.checked)) throw new Error(`${file}: checked '${topic.checked}' is not a date (YYYY-MM-DD)`);
  return topic;
}

function isHttpsUrl(s) {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && !!u.hostname && !/\s/.test(s);
  } catch {
    return false;
  }
}

/** A real calendar date written YYYY-MM-DD. */
export function isDate(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
