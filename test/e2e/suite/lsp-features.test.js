// Editor features through the public `vscode` API, inside a real extension host: quick fixes (code
// actions), suppression comments and hovers. Runs after kb-hints.test.js (files load in name order).
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const { codeOf, hasRule, open, openFresh, waitForDiagnostics } = require('./helpers');

function findRule(diags, ruleId) {
  return diags.find((d) => codeOf(d).includes(ruleId));
}

function hoverText(hovers) {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

describe('KB Hints editor features', function () {
  it('vscode.executeCodeActionProvider offers the ScanOnPush fix; applying it clears ecr-scan-on-push-disabled', async function () {
    const doc = await openFresh('registry.yaml');
    const diags = await waitForDiagnostics(
      doc.uri,
      (d) => hasRule(d, 'ecr-scan-on-push-disabled') && hasRule(d, 'image-from-docker-hub'),
      'ecr-scan-on-push-disabled and image-from-docker-hub',
    );
    const finding = findRule(diags, 'ecr-scan-on-push-disabled');
    assert.ok(!/ScanOnPush/.test(doc.getText()), 'the fixture already mentions ScanOnPush');

    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, finding.range);
    assert.ok(Array.isArray(actions) && actions.length > 0, 'no code actions at the finding');
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => /Scan images on push/.test(a.title));
    assert.ok(fix, `no "Scan images on push" action; got:\n  ${titles.join('\n  ')}`);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `the fix is not a quick fix (kind ${fix.kind && fix.kind.value})`);
    assert.strictEqual(fix.isPreferred, true, 'the fix should be the preferred action');
    assert.ok(fix.edit instanceof vscode.WorkspaceEdit, 'the fix carries no WorkspaceEdit');
    // Every finding also offers a suppression and its KB topic.
    assert.ok(titles.some((t) => /^Suppress ecr-scan-on-push-disabled/.test(t)), `no Suppress action; got:\n  ${titles.join('\n  ')}`);
    assert.ok(titles.some((t) => /^Open KB topic: /.test(t)), `no "Open KB topic" action; got:\n  ${titles.join('\n  ')}`);

    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit failed');
    assert.match(doc.getText(), /ImageScanningConfiguration:\s*\n\s*ScanOnPush: true/);
    // The other finding stays: the file was linted again, not just cleared.
    await waitForDiagnostics(
      doc.uri,
      (d) => !hasRule(d, 'ecr-scan-on-push-disabled') && hasRule(d, 'image-from-docker-hub'),
      'ecr-scan-on-push-disabled to disappear (image-from-docker-hub staying)',
    );
  });

  it('a "# kb-hints-ignore" comment on the line before a finding suppresses it (unsaved edit)', async function () {
    const doc = await openFresh('registry.yaml');
    const diags = await waitForDiagnostics(
      doc.uri,
      (d) => hasRule(d, 'image-from-docker-hub') && hasRule(d, 'ecr-scan-on-push-disabled'),
      'image-from-docker-hub and ecr-scan-on-push-disabled',
    );
    const line = findRule(diags, 'image-from-docker-hub').range.start.line;
    const indent = /^\s*/.exec(doc.lineAt(line).text)[0];

    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(line, 0), `${indent}# kb-hints-ignore image-from-docker-hub reason="accepted for the demo"\n`);
    assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit failed');
    assert.ok(doc.isDirty, 'the edit should leave the document unsaved');

    await waitForDiagnostics(
      doc.uri,
      (d) => !hasRule(d, 'image-from-docker-hub') && hasRule(d, 'ecr-scan-on-push-disabled'),
      'image-from-docker-hub to disappear (ecr-scan-on-push-disabled staying)',
    );
    // A suppression with a reason raises no hint of its own.
    const after = await waitForDiagnostics(doc.uri, () => true, 'diagnostics');
    assert.ok(!after.some((d) => /^suppression-/.test(codeOf(d))), `unexpected suppression hint: ${after.map(codeOf).join(', ')}`);
  });

  it('vscode.executeHoverProvider on a resource Type returns the KB topic', async function () {
    const doc = await open('ecs-classic.yaml');
    await waitForDiagnostics(doc.uri, (d) => hasRule(d, 'ecs-task-role-missing'), 'ecs-task-role-missing');
    const offset = doc.getText().indexOf('AWS::ECS::TaskDefinition');
    assert.ok(offset >= 0, 'fixture has no AWS::ECS::TaskDefinition');
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, doc.positionAt(offset + 5));
    const text = hoverText(hovers || []);
    assert.match(text, /\*\*KB: [^*]+\*\*/, `no KB topic in the hover:\n${text}`);
    assert.match(text, /Read the full topic/, `no link to the topic in the hover:\n${text}`);
  });
});
