#!/usr/bin/env node
// Desktop entry point: the same e2e mocha suite (test/e2e/suite) in a real desktop VS Code that
// @vscode/test-electron downloads (into .vscode-test/) the first time; for people whose machines can
// reach update.code.visualstudio.com. CI here uses code-server instead (`npm run test:e2e`, run.mjs),
// which adds the UI checks. Nothing is downloaded except when this script runs.
//
// Environment: KB_HINTS_VSCODE_VERSION (default `stable`), KB_HINTS_VSCODE_EXECUTABLE (a VS Code already
// installed: no download). On Linux without a display, run it under `xvfb-run -a`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-hints-electron-'));
fs.cpSync(path.join(HERE, 'workspace'), workspace, { recursive: true });
const userData = path.join(workspace, '..', `${path.basename(workspace)}-user`);
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'files.autoSave': 'off', 'git.enabled': false }));

try {
  await runTests({
    version: process.env.KB_HINTS_VSCODE_VERSION || 'stable',
    ...(process.env.KB_HINTS_VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.KB_HINTS_VSCODE_EXECUTABLE } : {}),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(HERE, 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
  });
  console.log('e2e (desktop VS Code): passed');
} catch (e) {
  console.error(`e2e (desktop VS Code): failed: ${e && e.message ? e.message : e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.rmSync(userData, { recursive: true, force: true });
}
