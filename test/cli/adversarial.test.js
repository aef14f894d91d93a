// @ts-check
// The CLI against the attack review's file-system and terminal inputs (shared/reviews/attack.md):
// bad globs in .kbhints.yaml, unreadable files and folders, FIFOs, symlink loops, a closed stdout, and
// control characters in everything it echoes.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { tempDir } = require('../helpers/tmp');
const A = require('../helpers/adversarial');
const { jsonFindings, cliForNobody } = require('../helpers/cli');

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: nginx\n';

/**
 * Runs the CLI; as root, as `nobody` when `unprivileged` (root reads any file, whatever its mode).
 * @param {string[]} args
 * @param {{ cwd?: string, unprivileged?: boolean, timeout?: number }} [options]
 */
function run(args, { cwd, unprivileged = false, timeout = 20000 } = {}) {
  const asNobody = unprivileged && process.getuid?.() === 0;
  const r = spawnSync(process.execPath, [asNobody ? cliForNobody() : CLI, ...args], { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1' }, ...(asNobody ? { uid: 65534, gid: 65534 } : {}) });
  if (r.error) throw r.error;
  return r;
}

const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f]/;

describe('CLI: adversarial inputs', function () {
  this.timeout(30000);
  /** @type {import('../helpers/tmp').TempDir | undefined} */
  let t;
  afterEach(() => t?.cleanup());

  it('an invalid glob in .kbhints.yaml is one warning; the rest of the config and the run go on', () => {
    t = tempDir({ '.kbhints.yaml': 'ignore: ["[z-a]", "gen/"]\nrules: { image-from-docker-hub: error }\n', 'pod.yaml': POD, 'gen/pod.yaml': POD });
    const r = run(['lint', '.', '--format', 'json'], { cwd: t.dir });
    assert.equal(r.status, 1, r.stderr);
    const findings = jsonFindings(r.stdout);
    assert.deepEqual(findings.map((f) => [f.file, f.ruleId, f.severity]), [['pod.yaml', 'image-from-docker-hub', 'error']]);
    assert.match(r.stderr, /^kb-hints: warning: .*\.kbhints\.yaml: ignore: '\[z-a\]' is not a valid glob/m);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('a FIFO given as a path, and a symlink loop, are skipped with one line each', function () {
    if (process.platform === 'win32') this.skip();
    t = tempDir({ 'pod.yaml': POD });
    spawnSync('mkfifo', [t.file('fifo.yaml')]);
    if (!fs.existsSync(t.file('fifo.yaml'))) this.skip();
    fs.symlinkSync('loop-b', t.file('loop-a.yaml'));
    fs.symlinkSync('loop-a.yaml', t.file('loop-b'));
    const r = run(['lint', 'fifo.yaml', 'loop-a.yaml', 'pod.yaml', '--format', 'json'], { cwd: t.dir, timeout: 10000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(jsonFindings(r.stdout).map((f) => f.ruleId), ['image-from-docker-hub']);
    assert.match(r.stderr, /skipped fifo\.yaml: not a regular file/);
    assert.match(r.stderr, /skipped loop-a\.yaml: too many levels of symbolic links/);
  });

  it('an unreadable file or folder is skipped with one line; the other files are linted', function () {
    if (process.platform === 'win32') this.skip();
    t = tempDir({ 'a/pod.yaml': POD, 'locked/pod.yaml': POD, 'secret.yaml': POD });
    fs.chmodSync(t.dir, 0o755);
    fs.chmodSync(t.file('a'), 0o755);
    fs.chmodSync(t.file('a/pod.yaml'), 0o644);
    fs.chmodSync(t.file('locked'), 0o000);
    fs.chmodSync(t.file('secret.yaml'), 0o000);
    try {
      const r = run(['lint', '.', '--format', 'json'], { cwd: t.dir, unprivileged: true });
      if (process.getuid?.() !== 0 && canRead(t.file('secret.yaml'))) this.skip();
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(jsonFindings(r.stdout).map((f) => f.file), ['a/pod.yaml']);
      assert.match(r.stderr, /skipped folder locked: permission denied \(EACCES\)/);
      assert.match(r.stderr, /skipped secret\.yaml: permission denied \(EACCES\)/);
    } finally {
      fs.chmodSync(t.file('locked'), 0o755);
    }
  });

  it('a closed stdout (| head -c 0) ends the run quietly', function () {
    if (process.platform === 'win32') this.skip();
    t = tempDir({ 'big.yaml': A.claimsAndClasses(2000) });
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" lint big.yaml --format json | head -c 0`], { cwd: t.dir, encoding: 'utf8', timeout: 20000 });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
  });

  it('text output and stderr escape control characters from ids, file names and config keys', function () {
    t = tempDir({ 'esc.yaml': A.escapeTemplate(), '.kbhints.yaml': 'bogus\u001b[2J\u001b]8;;https://evil.example/\u0007: 1\n' });
    if (process.platform !== 'win32') t.write('evil\u001b[2J.yaml', POD);
    const r = run(['lint', '.', '--show-suppressed'], { cwd: t.dir });
    assert.ok(!UNSAFE.test(r.stdout), JSON.stringify(r.stdout));
    assert.ok(!UNSAFE.test(r.stderr), JSON.stringify(r.stderr));
    assert.match(r.stdout, /Task\\x1b\[2J\\x1b\[H\\x1b\]0;pwned\\x07/);
    assert.match(r.stderr, /unknown key 'bogus\\x1b\[2J/);
    if (process.platform !== 'win32') assert.match(r.stdout, /^evil\\x1b\[2J\.yaml:/m);
    // Every finding is one line: the summary is where it should be.
    assert.match(r.stdout, /\n\n\d+ findings? \(/);
  });
});

/** @param {string} file */
function canRead(file) {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
