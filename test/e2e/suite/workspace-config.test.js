// `.kbhints.yaml` in the editor: an unknown rule id and a bad severity are diagnostics on their lines.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { waitForDiagnostics, workspaceUri } = require('./helpers');

describe('KB Hints: .kbhints.yaml diagnostics', function () {
  it('marks an unknown rule id (with the nearest one) and a bad severity on their lines', async function () {
    const uri = workspaceUri('config-check/.kbhints.yaml');
    fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
    fs.writeFileSync(uri.fsPath, 'rules:\n  ecs-task-role-missin: off\n  ecr-tags-mutable: loud\n');
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      const diags = await waitForDiagnostics(uri, (d) => d.length >= 2, 'two .kbhints.yaml problems');
      const unknown = diags.find((d) => d.range.start.line === 1);
      assert.ok(unknown && /did you mean 'ecs-task-role-missing'/.test(unknown.message), diags.map((d) => d.message).join('\n'));
      assert.ok(diags.some((d) => d.range.start.line === 2 && /got loud/.test(d.message)));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(path.dirname(uri.fsPath), { recursive: true, force: true });
    }
  });
});
