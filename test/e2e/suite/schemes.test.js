// Which copies of a document are linted: files and unsaved (untitled) editors, not virtual copies such
// as a `git:` original in a diff editor; and the YAML syntax error reported once (kbHints.yamlSyntaxErrors).
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const { kbDiagnostics, waitForDiagnostics, hasRule } = require('./helpers');

// Closes an untitled or virtual editor without a save prompt (which would block the UI checks).
async function discard(doc) {
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

const BROKEN = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Resources:',
  '  Task:',
  '    Type: AWS::ECS::TaskDefinition',
  '    Properties:',
  '      ContainerDefinitions:',
  '        - Name: app',
  '          Image: nginx:1.27',
  '  Broken: [unclosed',
  '',
].join('\n');

describe('KB Hints: document schemes and YAML syntax errors', function () {
  it('lints an untitled YAML document, but not the same text in a virtual (git-like) document', async function () {
    const provider = vscode.workspace.registerTextDocumentContentProvider('kbtest', { provideTextDocumentContent: () => BROKEN });
    const opened = [];
    try {
      const virtual = await vscode.workspace.openTextDocument(vscode.Uri.parse('kbtest:/repo/template.yaml'));
      await vscode.languages.setTextDocumentLanguage(virtual, 'yaml');
      await vscode.window.showTextDocument(virtual, { preview: false });
      opened.push(virtual);
      const untitled = await vscode.workspace.openTextDocument({ language: 'yaml', content: BROKEN });
      await vscode.window.showTextDocument(untitled, { preview: false });
      opened.push(untitled);
      await waitForDiagnostics(untitled.uri, (d) => hasRule(d, 'ecs-task-role-missing') && hasRule(d, 'syntax-error'), 'findings and the syntax error on the untitled document');
      // The untitled one was linted after the virtual one was opened: the server had its chance.
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepStrictEqual(kbDiagnostics(virtual.uri).map((d) => d.message), [], 'a kbtest: document must not be linted');
    } finally {
      for (const d of opened) await discard(d);
      provider.dispose();
    }
  });

  it('kbHints.yamlSyntaxErrors: hide drops our YAML syntax error (auto does so when redhat.vscode-yaml is enabled)', async function () {
    const config = vscode.workspace.getConfiguration('kbHints');
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: BROKEN });
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const yamlExtension = !!vscode.extensions.getExtension('redhat.vscode-yaml');
    await waitForDiagnostics(doc.uri, (d) => hasRule(d, 'ecs-task-role-missing') && hasRule(d, 'syntax-error') !== yamlExtension, `the syntax error ${yamlExtension ? 'hidden' : 'shown'} under auto`);
    await config.update('yamlSyntaxErrors', 'hide', vscode.ConfigurationTarget.Global);
    try {
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# edited\n'));
      await waitForDiagnostics(doc.uri, (d) => hasRule(d, 'ecs-task-role-missing') && !hasRule(d, 'syntax-error'), 'the findings without the syntax error');
    } finally {
      await config.update('yamlSyntaxErrors', undefined, vscode.ConfigurationTarget.Global);
      await discard(doc);
    }
  });
});
