// The README inside the .vsix (`npm run package` passes it to vsce with --readmePath): images stay
// relative, so VS Code's Extensions page loads them from the installed extension (no network); other
// relative links (rule pages, KB topics, docs/) become web pages, as those files are not in the .vsix
// (the extension shows them as articles: KB Hints: Browse Rules, Search Knowledge Base).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = 'https://github.com/kb-hints/kb-hints/blob/main/';
export const OUT = 'dist/README.vsix.md';

export function vsixReadme(text) {
  return text.replace(/(!?)\[((?:[^\]\[]|!\[[^\]\[]*\]\([^)]+\))*)\]\(([^)\s]+)\)/g, (all, image, title, link) => {
    if (image || /^[a-z][\w+.-]*:/i.test(link) || link.startsWith('#')) return all;
    return `[${title}](${WEB}${path.posix.normalize(link).replace(/^\.\//, '')})`;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, OUT), vsixReadme(fs.readFileSync(path.join(root, 'README.md'), 'utf8')));
}
