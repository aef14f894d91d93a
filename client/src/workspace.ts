// Commands over the whole workspace and the rule set: Browse Rules, Lint Workspace, List Suppressions,
// and the helper that selects the placeholder reason after a "Suppress" quick fix.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { COMMANDS, LintFilesRequest, ListRulesRequest, ListSuppressionsRequest, type LintFilesResult, type WireRange } from '../../server/src/protocol';
import { countsText } from './counts';
import { addCounts, emptyCounts } from '../../server/src/lsp/counts';

const FILES = '**/*.{yaml,yml,json,template}';
// As the server's walk (engine/walk.ts): dependencies, git's store, CDK integ-test snapshots.
const EXCLUDE = '**/{node_modules,.git,*.snapshot}/**';
const BATCH = 25;

export function registerWorkspaceCommands(context: vscode.ExtensionContext, client: BaseLanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.browseRules, () => browseRules(client)),
    vscode.commands.registerCommand(COMMANDS.lintWorkspace, () => lintWorkspace(client)),
    vscode.commands.registerCommand(COMMANDS.listSuppressions, () => listSuppressions(client)),
    vscode.commands.registerCommand(COMMANDS.selectRange, (uri: string, range: WireRange) => selectRange(uri, range)),
  );
}

const SEVERITY_ICON: Record<string, string> = { error: '$(error)', warning: '$(warning)', info: '$(info)', hint: '$(light-bulb)' };

async function browseRules(client: BaseLanguageClient): Promise<void> {
  const rules = await client.sendRequest(ListRulesRequest, {});
  const items = rules.map((r) => ({
    id: r.id,
    label: `${SEVERITY_ICON[r.severity] ?? ''} ${r.title}`,
    description: `${r.id} · ${r.severity}${r.hasFix ? ' · quick fix' : ''}`,
    detail: `KB: ${r.kbTitle} · ${r.appliesTo.map((a) => (a === 'kubernetes' ? 'Kubernetes' : 'CloudFormation/CDK')).join(', ')}`,
  }));
  const pick = await vscode.window.showQuickPick(items, { placeHolder: `${rules.length} rules: pick one to read its article`, matchOnDescription: true, matchOnDetail: true });
  if (pick) await vscode.commands.executeCommand(COMMANDS.openTopic, `rule:${pick.id}`);
}

async function workspaceFiles(token?: vscode.CancellationToken): Promise<string[]> {
  const uris = await vscode.workspace.findFiles(FILES, EXCLUDE, undefined, token);
  return uris.map((u) => u.toString());
}

/**
 * Reads then lints every matching file, with a progress notification that closes when the lint is done;
 * the summary toast follows it (it is not part of the progress). Resolves with the totals (undefined if
 * cancelled), so tests and other extensions can read them.
 */
async function lintWorkspace(client: BaseLanguageClient): Promise<LintFilesResult | undefined> {
  const total = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'KB Hints: linting the workspace', cancellable: true },
    async (progress, token): Promise<LintFilesResult | undefined> => {
      progress.report({ message: 'finding files...' });
      const uris = await workspaceFiles(token);
      const total: LintFilesResult = { linted: 0, skipped: 0, findings: 0, bySeverity: emptyCounts() };
      // Two passes: read every file for cross-file facts (StorageClasses), then lint and publish. The index
      // pass stops at its first answer when the server's background index already covers the workspace.
      const batches = Math.ceil(uris.length / BATCH);
      const steps = batches * 2 || 1;
      for (const mode of ['index', 'lint'] as const) {
        for (let i = 0; i < uris.length; i += BATCH) {
          if (token.isCancellationRequested) return undefined;
          const batch = uris.slice(i, i + BATCH);
          const r = await client.sendRequest(LintFilesRequest, { uris: batch, mode }, token);
          if (r.indexed) {
            progress.report({ increment: (100 * (batches - i / BATCH)) / steps, message: 'workspace already indexed' });
            break;
          }
          if (mode === 'lint') {
            total.linted += r.linted;
            total.skipped += r.skipped;
            total.findings += r.findings;
            if (r.bySeverity) addCounts(total.bySeverity!, r.bySeverity);
          }
          progress.report({ increment: 100 / steps, message: `${mode === 'index' ? 'reading' : 'linting'} ${Math.min(i + BATCH, uris.length)}/${uris.length}` });
        }
      }
      return total;
    },
  );
  if (!total) return undefined;
  const files = `${total.linted} file${total.linted === 1 ? '' : 's'}`;
  const found = total.findings ? `${total.findings} finding${total.findings === 1 ? '' : 's'} in ${files}: ${countsText(total.bySeverity, total.findings)}` : `no findings in ${files}`;
  // Not awaited: the command is done when the lint is; the toast stays until it is dismissed.
  void vscode.window.showInformationMessage(`KB Hints: ${found} (${total.skipped} skipped).`, 'Open Problems').then((action) => {
    if (action) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return total;
}

async function listSuppressions(client: BaseLanguageClient): Promise<void> {
  const entries = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'KB Hints: reading suppressions' }, async () =>
    client.sendRequest(ListSuppressionsRequest, { uris: await workspaceFiles() }),
  );
  if (!entries.length) {
    void vscode.window.showInformationMessage('KB Hints: no suppressions in this workspace.');
    return;
  }
  const items = entries.map((e) => {
    const uri = vscode.Uri.parse(e.uri);
    const status = e.problem ? `invalid: ${e.problem}` : e.expired ? `expired ${e.until}` : e.until ? `until ${e.until}` : 'no expiry';
    return {
      entry: e,
      label: `${e.expired || e.problem ? '$(warning)' : '$(mute)'} ${e.rules.join(', ') || '(no rule)'}`,
      description: e.reason ? `"${e.reason}"` : '(no reason)',
      detail: `${vscode.workspace.asRelativePath(uri)}:${e.range.start.line + 1} · ${status} · ${e.form}`,
    };
  });
  const pick = await vscode.window.showQuickPick(items, { placeHolder: `${entries.length} suppression${entries.length === 1 ? '' : 's'}: pick one to open it`, matchOnDescription: true, matchOnDetail: true });
  if (pick) await selectRange(pick.entry.uri, pick.entry.range);
}

async function selectRange(uri: string, range: WireRange): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const r = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  const editor = await vscode.window.showTextDocument(doc, { selection: r, preview: false });
  editor.revealRange(r, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
