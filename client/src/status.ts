// The status bar item: what the active file is to KB Hints (CloudFormation, CDK, Kubernetes) and how
// many findings it has; clicking it opens the Problems panel. Fed by the server's `kbHints/fileStatus`.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { FileStatusNotification, type FileStatusParams } from '../../server/src/protocol';
import { countsIcons, countsText } from './counts';

export function registerStatusBar(context: vscode.ExtensionContext, client: BaseLanguageClient): void {
  const item = vscode.window.createStatusBarItem('kbHints.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'KB Hints';
  item.command = 'workbench.actions.view.problems';
  const statuses = new Map<string, FileStatusParams>();

  const update = () => {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const s = uri ? statuses.get(uri) : undefined;
    if (!s?.kind) {
      item.hide();
      return;
    }
    const kind = s.label ?? s.kind;
    if (s.ignored) {
      item.text = `$(circle-slash) KB: ${kind}`;
      item.tooltip = `KB Hints: ${kind}, ignored by .kbhints.yaml`;
    } else {
      item.text = `KB: ${kind} ${countsIcons(s.bySeverity, s.findings)}`;
      const suppressed = s.suppressed ? `; ${s.suppressed} suppressed` : '';
      item.tooltip = `KB Hints: ${kind} file, ${countsText(s.bySeverity, s.findings)}${suppressed}. Click to open the Problems panel.`;
    }
    item.show();
  };

  context.subscriptions.push(
    item,
    client.onNotification(FileStatusNotification, (p: FileStatusParams) => {
      statuses.set(p.uri, p);
      if (p.uri === vscode.window.activeTextEditor?.document.uri.toString()) update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidCloseTextDocument((d) => statuses.delete(d.uri.toString())),
  );
  update();
}
