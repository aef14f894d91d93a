// End-to-end tests run inside a real VS Code extension host (see index.js). They use only the
// public `vscode` API; the order matters (activation first, then diagnostics, then edits).
'use strict';

const assert = require('assert');
const vscode = require('vscode');

const EXTENSION_ID = 'kb-hints.kb-hints';
const SOURCE = 'kb-hints';
const DIAG_TIMEOUT_MS = 20000;

function workspaceUri(relPath) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...relPath.split('/'));
}

// Diagnostic codes may be a plain string/number or { value, target } (a link to the KB article).
function codeOf(d) {
  if (d.code && typeof d.code === 'object') return String(d.code.value);
  return d.code === undefined ? '' : String(d.code);
}

function kbDiagnostics(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function hasRule(diags, ruleId) {
  return diags.some((d) => codeOf(d).includes(ruleId));
}

function describeDiagnostics(diags) {
  if (diags.length === 0) return '(none)';
  return diags.map((d) => `[${d.source}] ${codeOf(d)}: ${d.message}`).join('\n  ');
}

// Resolves with the kb-hints diagnostics of `uri` once `predicate` holds for them; rejects after
// `timeoutMs` with what was there last, so a failure says what the extension did report.
function waitForDiagnostics(uri, predicate, what, timeoutMs = DIAG_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    let sub;
    let timer;
    const check = () => {
      const diags = kbDiagnostics(uri);
      if (!predicate(diags)) return false;
      clearTimeout(timer);
      if (sub) sub.dispose();
      resolve(diags);
      return true;
    };
    if (check()) return;
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    timer = setTimeout(() => {
      sub.dispose();
      const all = vscode.languages.getDiagnostics(uri);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${uri.path}; diagnostics:\n  ${describeDiagnostics(all)}`));
    }, timeoutMs);
  });
}

async function open(relPath) {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relPath));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

// Polls `fn` until it returns a truthy value (UI state has no single change event to wait on).
async function pollUntil(fn, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function allTabs() {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

function tabUri(tab) {
  const input = tab.input;
  return input && input.uri instanceof vscode.Uri ? input.uri : undefined;
}

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
    const diags = await waitForDiagnostics(
      doc.uri,
      (d) => d.some((x) => x.message.includes('App/Lb')),
      'a kb-hints diagnostic mentioning App/Lb',
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
