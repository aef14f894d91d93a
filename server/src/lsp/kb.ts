// The KB in the editor: hovers (Markdown, or plain text for clients that do not render Markdown) and the
// KB requests (search, article).
import { MarkupKind, type Hover } from 'vscode-languageserver';
import { hoverAt } from '../kb/hover';
import { getArticle, searchKb } from '../kb/topics';
import { GetArticleRequest, SearchKbRequest } from '../protocol';
import { currentAnalysis, type ServerContext } from './context';
import { toRange } from './convert';
import { cancelled } from './lifecycle';

export function registerKb(ctx: ServerContext): void {
  ctx.connection.onHover((params, token): Hover | null | ReturnType<typeof cancelled> => {
    if (token.isCancellationRequested) return cancelled();
    const current = currentAnalysis(ctx, params.textDocument?.uri);
    if (!current && params.position && !ctx.documents.get(params.textDocument?.uri)) return ctx.hoverElsewhere?.(params) ?? null;
    if (!current || !params.position) return null;
    const { doc, analysis } = current;
    const markdown = ctx.client.hoverMarkdown;
    // A plain-text hover cannot hold a command link: it names web pages instead.
    const h = hoverAt(analysis.file, doc.offsetAt(params.position), analysis.findings.filter((f) => !f.suppressed), markdown ? ctx.client.linkStyle : 'web');
    if (!h) return null;
    const contents = markdown ? { kind: MarkupKind.Markdown, value: h.markdown } : { kind: MarkupKind.PlainText, value: markdownToPlainText(h.markdown) };
    return { contents, range: toRange(doc, h.start, h.end) };
  });
  ctx.connection.onRequest(SearchKbRequest, (p, token) => (token.isCancellationRequested ? cancelled() : searchKb(String(p?.query ?? ''), p?.limit)));
  ctx.connection.onRequest(GetArticleRequest, (p, token) => (token.isCancellationRequested ? cancelled() : (getArticle(String(p?.id ?? ''), ctx.client.linkStyle) ?? null)));
}

/** Our hover Markdown as plain text: links become `text <url>`, emphasis and code marks and escapes go. */
export function markdownToPlainText(md: string): string {
  return md
    .replace(/\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)/g, (_, text: string, url: string) => `${text} <${url}>`)
    .replace(/\*\*((?:\\.|[^*\\])+)\*\*/g, '$1')
    .replace(/(?<!\\)`([^`]*)`/g, "$1")
    .replace(/^---$/gm, '----------')
    .replace(/\\([\\`*_{}[\]()<>#+\-.!|~&])/g, '$1');
}
