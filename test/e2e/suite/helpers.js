// Shared helpers for the suites in this folder (they run inside the VS Code extension host).
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

// Opens a workspace file as it is on disk: earlier tests may have left it edited (unsaved).
async function openFresh(relPath) {
  const doc = await open(relPath);
  if (doc.isDirty) {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await pollUntil(() => !doc.isDirty, `${relPath} to be reverted`, 10000);
  }
  return doc;
}

// Reverts every unsaved document and closes all editors, so the UI checks that follow the suite
// start from a clean workbench (and the Problems panel lists only the files they open).
async function leaveWorkbenchClean() {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file')) {
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await pollUntil(() => allTabs().length === 0, 'all editors to close', 10000);
}

module.exports = {
  EXTENSION_ID, SOURCE, DIAG_TIMEOUT_MS,
  workspaceUri, codeOf, kbDiagnostics, hasRule, describeDiagnostics, waitForDiagnostics,
  open, openFresh, pollUntil, allTabs, tabUri, leaveWorkbenchClean,
};
