// Lint Workspace in a real VS Code: the command (and its progress notification) finishes when the lint
// does, without waiting for the summary toast; its totals count what the Problems panel lists.
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const { kbDiagnostics, pollUntil } = require('./helpers');

const SEVERITY = { [vscode.DiagnosticSeverity.Error]: 'error', [vscode.DiagnosticSeverity.Warning]: 'warning', [vscode.DiagnosticSeverity.Information]: 'info', [vscode.DiagnosticSeverity.Hint]: 'hint' };

describe('KB Hints: Lint Workspace', function () {
  it('finishes (the progress closes before the toast is dismissed) and its totals match the published diagnostics', async function () {
    const started = Date.now();
    const total = await Promise.race([
      vscode.commands.executeCommand('kbHints.lintWorkspace'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('kbHints.lintWorkspace did not finish within 30 s (is it waiting for the toast?)')), 30000)),
    ]);
    assert.ok(total && total.linted >= 5, `unexpected totals ${JSON.stringify(total)}`);
    assert.ok(Date.now() - started < 30000);
    const files = await vscode.workspace.findFiles('**/*.{yaml,yml,json,template}', '**/{node_modules,.git}/**');
    const counted = () => {
      const by = { error: 0, warning: 0, info: 0, hint: 0 };
      for (const uri of files) for (const d of kbDiagnostics(uri)) by[SEVERITY[d.severity]]++;
      return by;
    };
    await pollUntil(() => JSON.stringify(counted()) === JSON.stringify(total.bySeverity), `the published diagnostics to add up to ${JSON.stringify(total.bySeverity)} (now ${JSON.stringify(counted())})`, 15000);
    assert.strictEqual(total.findings, Object.values(total.bySeverity).reduce((a, b) => a + b, 0));
    // The summary toast is still up: clear it for the UI checks that follow.
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
