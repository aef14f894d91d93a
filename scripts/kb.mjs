// Reads kb/*.md (front matter + Markdown body) into topic objects; used by the build and the docs.
import * as fs from 'node:fs';
import * as path from 'node:path';

const LIST_KEYS = ['keywords', 'cloudformation', 'kubernetes', 'properties', 'related'];
const TEXT_KEYS = ['id', 'title', 'summary'];

export function readTopics(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => parseTopic(fs.readFileSync(path.join(dir, f), 'utf8'), f));
}

export function parseTopic(text, file) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`${file}: missing front matter`);
  const topic = { body: m[2].trim() + '\n' };
  for (const line of m[1].split(/\r?\n/)) {
    if (!line.trim()) continue;
    const kv = /^([a-z]+):\s*(.*)$/.exec(line);
    if (!kv) throw new Error(`${file}: cannot read front matter line '${line}'`);
    const [, key, raw] = kv;
    if (LIST_KEYS.includes(key)) {
      const list = /^\[(.*)\]$/.exec(raw.trim());
      if (!list) throw new Error(`${file}: ${key} must be a [list]`);
      topic[key] = list[1].split(',').map((s) => s.trim()).filter(Boolean);
    } else if (TEXT_KEYS.includes(key)) topic[key] = raw.trim();
    else throw new Error(`${file}: unknown front matter key '${key}'`);
  }
  for (const k of TEXT_KEYS) if (!topic[k]) throw new Error(`${file}: front matter needs '${k}'`);
  for (const k of LIST_KEYS) topic[k] ??= [];
  if (`${topic.id}.md` !== file) throw new Error(`${file}: id '${topic.id}' does not match the file name`);
  return topic;
}
