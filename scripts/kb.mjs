// Reads kb/*.md (front matter + Markdown body) into topic objects; used by the build and the docs.
// The parser is the server's (server/src/team/frontmatter.ts, also used for team topics at run time):
// it is compiled here on the fly, so the build and the server read topics the same way.
// Every topic must list the official pages it rests on (`sources`, https URLs) and the date they were
// last checked against it (`checked`, YYYY-MM-DD): the build fails without them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = fs.readFileSync(path.join(here, '../server/src/team/frontmatter.ts'), 'utf8');
const { code } = esbuild.transformSync(source, { loader: 'ts', format: 'esm', target: 'node20' });
const shared = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);

export const isDate = shared.isDate;

export function readTopics(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => parseTopic(fs.readFileSync(path.join(dir, f), 'utf8'), f));
}

/** A topic file's text as a topic object; throws `<file>: <problem>`. */
export function parseTopic(text, file) {
  // Plain errors, as before: the build prints the message.
  try {
    return shared.parseTopic(text, file);
  } catch (e) {
    throw new Error(e.message);
  }
}
