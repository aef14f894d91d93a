// @ts-check
// Temporary folders for tests: create one with files in it, remove it when done.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/**
 * @typedef {object} TempDir
 * @property {string} dir the folder's absolute path
 * @property {(rel: string) => string} file the absolute path of `rel` in it
 * @property {(rel: string, content: string | Buffer) => string} write writes `rel` (creating folders), returns its path
 * @property {() => void} cleanup removes the folder
 */

/**
 * Creates a fresh temporary folder holding `files` (`{ 'a/b.yaml': 'text' }`; a Buffer is written as is).
 * @param {Record<string, string | Buffer>} [files]
 * @returns {TempDir}
 */
function tempDir(files = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-hints-test-'));
  /** @param {string} rel */
  const file = (rel) => path.join(dir, rel);
  /** @param {string} rel @param {string | Buffer} content */
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
