// Command id -> handler: the KB search quick pick and the article view.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { COMMANDS, GetArticleRequest, SearchKbRequest } from '../../server/src/protocol';
import { showArticle } from './article';

export function registerCommands(context: vscode.ExtensionContext, client: BaseLanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.searchKb, () => searchKb(context, client)),
    // From the command palette (no id), search the KB instead.
    vscode.commands.registerCommand(COMMANDS.openTopic, (id?: string) => (typeof id === 'string' && id ? openTopic(context, client, id) : searchKb(context, client))),
  );
}

interface Item extends vscode.QuickPickItem {
  id: string;
}

async function searchKb(context: vscode.ExtensionContext, client: BaseLanguageClient): Promise<void> {
  const pick = vscode.window.createQuickPick<Item>();
  pick.placeholder = 'Search the KB: topics and rules (e.g. "fargate", "task role", "ecr-scan")';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  let request = 0;
  const update = async (query: string) => {
    const mine = ++request;
    pick.busy = true;
    const results = await client.sendRequest(SearchKbRequest, { query });
    if (mine !== request) return;
    // The server already ranked and filtered; keep VS Code from filtering again.
    pick.items = results.map((r) => ({
      id: r.kind === 'rule' ? `rule:${r.id}` : r.id,
      label: `${r.kind === 'rule' ? '$(law)' : '$(book)'} ${r.title}`,
      description: r.kind === 'rule' ? r.id : 'KB topic',
      detail: r.detail,
      alwaysShow: true,
    }));
    pick.busy = false;
  };
  pick.onDidChangeValue((v) => void update(v));
  pick.onDidAccept(() => {
    const item = pick.selectedItems[0];
    pick.hide();
    if (item) void openTopic(context, client, item.id);
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
  await update('');
}

async function openTopic(context: vscode.ExtensionContext, client: BaseLanguageClient, id: string): Promise<void> {
  const article = await client.sendRequest(GetArticleRequest, { id });
  if (!article) {
    void vscode.window.showWarningMessage(`KB Hints: no KB topic or rule '${id}'.`);
    return;
  }
  showArticle(context, article);
}
