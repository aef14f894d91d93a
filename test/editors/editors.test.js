// Other editors, for real: a scripted headless Neovim (vim.lsp.start_client) and Emacs (eglot) open a
// template with kb-hints-language-server and must receive the findings the CLI reports, on the same
// lines (and Neovim a hover on the first one). Skipped where the editor is not installed
// (`apt-get install -y neovim emacs-nox elpa-eglot elpa-yaml-mode` on Debian).
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { tempDir } = require('../helpers/tmp');

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'dist/server.js');
const FILE = path.join(ROOT, 'examples/ecs-classic.yaml');
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function cliFindings() {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'lint', '--format', 'json', FILE], { encoding: 'utf8' });
  return JSON.parse(r.stdout).filter((f) => !f.suppressed);
}

function runEditor(cmd, args) {
  const tmp = tempDir();
  try {
    const out = tmp.file('result.json');
    const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 90000, env: { ...process.env, KB_HINTS_FILE: FILE, KB_HINTS_SERVER: SERVER, KB_HINTS_OUT: out, HOME: tmp.dir } });
    assert.ok(fs.existsSync(out), `${cmd} wrote no result (exit ${r.status}): ${r.stderr}`);
    return JSON.parse(fs.readFileSync(out, 'utf8'));
  } finally {
    tmp.cleanup();
  }
}

describe('other editors (headless)', function () {
  this.timeout(120000);

  it('Neovim: vim.lsp.start_client gets the diagnostics on the CLI lines, and a hover', function () {
    if (!has('nvim')) this.skip();
    const result = runEditor('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '--cmd', 'filetype on', '-c', `luafile ${path.join(__dirname, 'nvim.lua')}`]);
    assert.equal(result.error, undefined);
    const expected = cliFindings().map((f) => `${f.line - 1}:${f.ruleId}`).sort();
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.code}`).sort(), expected);
    assert.match(String(result.hover), /Why \(KB: /);
  });

  it('Emacs: eglot gets the diagnostics on the CLI lines, with their severities', function () {
    if (!has('emacs') || !fs.existsSync('/usr/share/emacs/site-lisp/elpa-src') || !fs.readdirSync('/usr/share/emacs/site-lisp/elpa-src').some((d) => d.startsWith('eglot'))) this.skip();
    const result = runEditor('emacs', ['--batch', '-Q', '-l', path.join(__dirname, 'eglot.el')]);
    const found = cliFindings();
    const expected = found.map((f) => `${f.line - 1}:${f.ruleId}`).sort();
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${/\[([\w-]+)\]/.exec(d.message)[1]}`).sort(), expected);
    const types = { error: 'eglot-error', warning: 'eglot-warning', info: 'eglot-note', hint: 'eglot-note' };
    for (const f of found) assert.ok(result.diagnostics.some((d) => d.line === f.line - 1 && d.type === types[f.severity]), `${f.ruleId} as ${types[f.severity]}`);
  });
});
