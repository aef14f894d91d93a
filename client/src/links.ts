// Offline rule links in the Problems panel. The server gives each finding a web link to its rule page
// (`codeDescription.href`, which other editors open in a browser); VS Code's Problems panel opens a link
// with its opener service, which refuses `command:` URIs. So the client rewrites that link to the
// extension's own URI (`vscode://kb-hints.kb-hints/article?id=rule:<id>`) and a URI handler opens the
// bundled rule article: no network, and the same article as Browse Rules. Desktop only: in VS Code for
// the Web (and code-server) the browser would take the extension URI to a sign-in style callback page,
// so there the link stays the web page.
import * as vscode from 'vscode';
import { COMMANDS } from '../../server/src/protocol';

export const EXTENSION_ID = 'kb-hints.kb-hints';
const SOURCE = 'kb-hints';
const WEB_RULE = /^https:\/\/github\.com\/kb-hints\/kb-hints\/blob\/[^/]+\/docs\/rules\/([\w-]+)\.md$/;

/** The extension's URI for an article (`rule:<id>`, a topic id, `guide:<id>`). */
export function articleUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: vscode.env.uriScheme, authority: EXTENSION_ID, path: '/article', query: `id=${encodeURIComponent(id)}` });
}

/** Rewrites the web rule links of our diagnostics to article URIs (in place). */
export function offlineRuleLinks(diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  if (vscode.env.uiKind !== vscode.UIKind.Desktop) return diagnostics;
  for (const d of diagnostics) {
    if (d.source !== SOURCE || typeof d.code !== 'object' || !d.code.target) continue;
    const m = WEB_RULE.exec(d.code.target.toString(true));
    if (m) d.code = { value: d.code.value, target: articleUri(`rule:${m[1]}`) };
  }
  return diagnostics;
}

/** Opens `…/article?id=…` URIs in the article view. */
export function registerArticleUriHandler(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.window.registerUriHandler({
      handleUri(uri: vscode.Uri) {
        const id = new URLSearchParams(uri.query).get('id');
        if (uri.path === '/article' && id) void vscode.commands.executeCommand(COMMANDS.openTopic, id);
      },
    }),
  );
}
