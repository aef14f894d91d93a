// The article view: a KB topic or rule rendered from Markdown in a webview with no script and no
// remote content. Links between articles are `kbHints.openTopic` command links.
import * as vscode from 'vscode';
import MarkdownIt from 'markdown-it';
import type { Article } from '../../server/src/kb/topics';
import { COMMANDS } from '../../server/src/protocol';

// html: false escapes any HTML in the source, so nothing from the KB can inject markup.
const md = new MarkdownIt({ html: false, linkify: false });
let panel: vscode.WebviewPanel | undefined;

export function showArticle(context: vscode.ExtensionContext, article: Article): void {
  if (!panel) {
    panel = vscode.window.createWebviewPanel('kbHints.article', article.title, vscode.ViewColumn.Beside, {
      enableScripts: false,
      enableCommandUris: [COMMANDS.openTopic],
      localResourceRoots: [],
    });
    panel.onDidDispose(() => (panel = undefined), undefined, context.subscriptions);
  }
  panel.title = article.title;
  panel.webview.html = page(article);
  panel.reveal(undefined, true);
}

function page(article: Article): string {
  const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;";
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<style>
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); line-height: 1.5; max-width: 52em; padding: 0 1.5em 2em; color: var(--vscode-foreground); }
code, pre { font-family: var(--vscode-editor-font-family); }
pre { background: var(--vscode-textCodeBlock-background); padding: .6em .8em; overflow-x: auto; }
a { color: var(--vscode-textLink-foreground); }
h1 { font-size: 1.6em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .3em; }
</style></head><body>${md.render(article.markdown)}</body></html>`;
}
