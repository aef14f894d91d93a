// End-to-end tests run inside a real VS Code extension host (see index.js). They use only the
// public `vscode` API; the order matters (activation first, then diagnostics, then edits).
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const {
  EXTENSION_ID, waitForDiagnostics, hasRule, open, pollUntil, allTabs, tabUri,
} = require('./helpers');

describe('KB Hints extension', function () {
  it('activates', async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed in the extension host`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('reports ECS and Classic ELB findings in a CloudFormation YAML template', async function () {
    const doc = await open('ecs-task.yaml');
    const diags = await waitForDiagnostics(
      doc.uri,
      (d) => hasRule(d, 'ecs-task-role-missing') && hasRule(d, 'elb-classic-not-recommended'),
      'ecs-task-role-missing and elb-classic-not-recommended',
    );
    assert.ok(diags.length >= 2);
  });

  it('lints as you type: adding TaskRoleArn clears ecs-task-role-missing without saving', async function () {
    const doc = await open('ecs-task.yaml');
    await waitForDiagnostics(doc.uri, (d) => hasRule(d, 'ecs-task-role-missing'), 'ecs-task-role-missing');

    // Insert right under the task definition's `Properties:` line.
    const lines = doc.getText().split(/\r?\n/);
    const typeLine = lines.findIndex((l) => /^\s*Type:\s*AWS::ECS::TaskDefinition\s*$/.test(l));
    assert.ok(typeLine >= 0, 'fixture has no AWS::ECS::TaskDefinition');
    const propsLine = lines.findIndex((l, i) => i > typeLine && /^\s*Properties:\s*$/.test(l));
    assert.ok(propsLine > typeLine, 'task definition has no Properties: line');

    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(propsLine + 1, 0), '      TaskRoleArn: arn:aws:iam::123456789012:role/app\n');
    assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit failed');
    assert.ok(doc.isDirty, 'the edit should leave the document unsaved');

    // The Classic ELB finding must remain: it proves the file was linted again, not just cleared.
    await waitForDiagnostics(
      doc.uri,
      (d) => !hasRule(d, 'ecs-task-role-missing') && hasRule(d, 'elb-classic-not-recommended'),
      'ecs-task-role-missing to disappear (elb-classic-not-recommended staying)',
    );
    assert.ok(doc.isDirty, 'the document should still be unsaved');
  });

  it('reports a Kubernetes Service of type LoadBalancer without annotations', async function () {
    const doc = await open('service.yaml');
    await waitForDiagnostics(doc.uri, (d) => hasRule(d, 'k8s-service-classic-lb'), 'k8s-service-classic-lb');
  });

  it('reports findings in a CDK synthesized template with the construct path', async function () {
    const doc = await open('cdk.out/App.template.json');
    // Named by its construct path below the stack (App/Lb), as the app's code spells it.
    const diags = await waitForDiagnostics(
      doc.uri,
      (d) => d.some((x) => x.message.startsWith('Classic Load Balancer Lb is not recommended')),
      'a kb-hints diagnostic naming construct Lb',
    );
    assert.ok(diags.length >= 1);
  });

  it('kbHints.openTopic opens the ecs-iam-roles article', async function () {
    const before = new Set(allTabs().map((t) => t.label));
    await vscode.commands.executeCommand('kbHints.openTopic', 'ecs-iam-roles');
    // Either a virtual document (kb-hints: scheme) or a new webview/markdown preview tab.
    const opened = await pollUntil(() => {
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'kb-hints');
      if (editor) return `text editor ${editor.document.uri.toString()}`;
      const tab = allTabs().find((t) => {
        const uri = tabUri(t);
        return (uri && uri.scheme === 'kb-hints') || (t.label.includes('IAM') && !before.has(t.label));
      });
      return tab && `tab "${tab.label}"`;
    }, 'a kb-hints document or an IAM article tab to open', 15000);
    assert.ok(opened);
  });

  it('contributes the kbHints.searchKb command', async function () {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('kbHints.searchKb'), 'kbHints.searchKb is not registered');
  });
});
