// Offline links: a finding's rule link in the Problems panel opens the bundled rule article (the
// extension's URI handler), and the suppression guide is an article too.
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const { waitForDiagnostics, hasRule, openFresh, pollUntil, allTabs } = require('./helpers');

describe('KB Hints: offline links', function () {
  it('the rule link of a finding is the extension URI on the desktop (opening it shows the rule article), the web page in a browser', async function () {
    const doc = await openFresh('ecs-task.yaml');
    const diags = await waitForDiagnostics(doc.uri, (d) => hasRule(d, 'ecs-task-role-missing'), 'ecs-task-role-missing');
    const d = diags.find((x) => x.code && x.code.value === 'ecs-task-role-missing');
    const target = d.code.target;
    if (vscode.env.uiKind === vscode.UIKind.Web) {
      // code-server / VS Code for the Web: an extension URI would go through the browser, so the web page stays.
      assert.match(target.toString(true), /^https:\/\/github\.com\/kb-hints\/kb-hints\/blob\/main\/docs\/rules\/ecs-task-role-missing\.md$/);
      return;
    }
    assert.strictEqual(target.scheme, vscode.env.uriScheme, `rule link ${target.toString(true)}`);
    assert.strictEqual(target.authority, 'kb-hints.kb-hints');
    assert.strictEqual(new URLSearchParams(target.query).get('id'), 'rule:ecs-task-role-missing');
    await vscode.commands.executeCommand('workbench.action.closeOtherEditors');
    // What the Problems panel does with the link: the opener hands our own scheme to the URI handler.
    await vscode.env.openExternal(target);
    const tab = await pollUntil(() => allTabs().find((t) => /task role/i.test(t.label) && t.input instanceof vscode.TabInputWebview), 'the rule article to open', 15000);
    assert.ok(tab);
  });

  it('the suppression guide is a bundled article', async function () {
    await vscode.commands.executeCommand('kbHints.openTopic', 'guide:suppressions');
    const tab = await pollUntil(() => allTabs().find((t) => /Suppressions/.test(t.label)), 'the suppression guide to open', 15000);
    assert.ok(tab);
  });
});
