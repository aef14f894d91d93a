// Entry point for a mocha suite run inside the VS Code extension host, with the `run()` contract that
// @vscode/test-electron uses (resolve when done, reject on failures).
//
// Under test/e2e/run.mjs the workspace folder is a temporary copy whose parent holds
// `e2e-harness.json`. Nothing can be passed in through the environment, so that file is how the
// suite knows it runs under the harness: it then writes its results to `e2e-results.json` next to
// it and keeps the extension host alive until the harness has done its UI checks (the extension
// host shuts down as soon as run() settles).
'use strict';

const fs = require('fs');
const path = require('path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
// mocha 12 is ESM at its entry point; its CommonJS build is required directly.
const Mocha = require(path.join(REPO_ROOT, 'node_modules', 'mocha', 'lib', 'mocha.cjs'));

const HOLD_MAX_MS = 15 * 60 * 1000;

function harnessDir() {
  const vscode = require('vscode');
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  const dir = path.dirname(folder.uri.fsPath);
  return fs.existsSync(path.join(dir, 'e2e-harness.json')) ? dir : undefined;
}

// Message and stack without Node's internal frames, which only add noise to the report.
function errorText(err) {
  if (!err) return '';
  return String(err.stack || err.message || err)
    .split('\n').filter((l) => !/\(node:internal\/|^\s*at .*node:internal\//.test(l)).join('\n');
}

async function waitForFile(file, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
  }
}

function run() {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  // The UI checks of the harness run next, in the same workbench: leave it without unsaved edits or
  // open editors (a failure here is reported like a failed test).
  mocha.suite.afterAll('leave the workbench clean for the UI checks', () => require('./helpers').leaveWorkbenchClean());

  const dir = harnessDir();
  const results = [];
  return new Promise((resolve, reject) => {
    let runner;
    try {
      runner = mocha.run(async (failures) => {
        if (dir) {
          const summary = {
            passed: results.filter((r) => r.state === 'passed').length,
            failed: results.filter((r) => r.state === 'failed').length,
            tests: results,
          };
          // Write atomically so the harness never reads half a file.
          const out = path.join(dir, 'e2e-results.json');
          fs.writeFileSync(out + '.tmp', JSON.stringify(summary, null, 2));
          fs.renameSync(out + '.tmp', out);
          await waitForFile(path.join(dir, 'e2e-release'), HOLD_MAX_MS);
        }
        if (failures > 0) reject(new Error(`${failures} e2e test(s) failed.`));
        else resolve();
      });
    } catch (err) {
      if (dir) {
        fs.writeFileSync(path.join(dir, 'e2e-results.json'), JSON.stringify({
          passed: 0, failed: 1,
          tests: [{ title: 'load suite', fullTitle: 'load suite', state: 'failed', error: errorText(err) }],
        }));
      }
      reject(err);
      return;
    }
    runner.on('pass', (t) => results.push({ title: t.title, fullTitle: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err) => results.push({ title: t.title, fullTitle: t.fullTitle(), state: 'failed', durationMs: t.duration, error: errorText(err) }));
    runner.on('pending', (t) => results.push({ title: t.title, fullTitle: t.fullTitle(), state: 'skipped' }));
  });
}

module.exports = { run };
