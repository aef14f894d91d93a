// Temporary folders for tests: create one with files in it, remove it when done.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/**
 * Creates a fresh temporary folder holding `files` (`{ 'a/b.yaml': 'text' }`; a Buffer is written as is).
 * Returns `{ dir, file(rel), write(rel, content), cleanup() }`.
 */
function tempDir(files = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-hints-test-'));
  const file = (rel) => path.join(dir, rel);
  const write = (rel, content) => {
    const p = file(rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    return p;
  };
  for (const [rel, content] of Object.entries(files)) write(rel, content);
  return { dir, file, write, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

module.exports = { tempDir };
