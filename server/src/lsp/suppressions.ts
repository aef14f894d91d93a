// List Suppressions (`kbHints/listSuppressions`): every suppression in the given files and the open
// documents. Open documents are read from their current analysis; other files are parsed from disk.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kindOf, modelOf as buildModel, parseFile } from '../kinds';
import { findSuppressions, isExpired, todayIso } from '../engine/suppress';
import { ListSuppressionsRequest, type ListSuppressionsResult } from '../protocol';
import type { ServerContext } from './context';
import { toRange } from './convert';
import { readText } from './documents';
import { cancelled } from './lifecycle';

export function registerSuppressions(ctx: ServerContext): void {
  ctx.connection.onRequest(ListSuppressionsRequest, (p, token) => {
    const given = Array.isArray(p?.uris) ? p.uris.filter((u): u is string => typeof u === 'string') : [];
    const uris = new Set<string>([...given, ...ctx.documents.all().map((d) => d.uri)]);
    const today = todayIso();
    const out: ListSuppressionsResult = [];
    for (const uri of uris) {
      if (token.isCancellationRequested) return cancelled();
      const model = suppressionSource(ctx, uri);
      if (!model) continue;
      const doc = TextDocument.create(uri, 'plaintext', 0, model.file.text);
      for (const s of findSuppressions(model.file, model.kind, model.model)) {
        out.push({ uri, range: toRange(doc, s.start, s.end), form: s.form, rules: s.rules, reason: s.reason, until: s.until, expired: isExpired(s, today), ...(s.problem ? { problem: s.problem } : {}) });
      }
    }
    return out.sort((a, b) => a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line);
  });
}

/** The parse and model of a file: an open document's analysis, else the file (from disk) parsed, when it mentions kb-hints. */
function suppressionSource(ctx: ServerContext, uri: string) {
  const settings = ctx.settings.get(uri);
  const open = ctx.documents.get(uri);
  if (open && settings.enable) {
    const analysis = ctx.analyses.get(open, settings);
    return analysis.kind && /kb-hints/.test(analysis.file.text) ? { file: analysis.file, kind: analysis.kind, model: analysis.model } : undefined;
  }
  const maxSize = settings.maxFileSizeKb * 1024;
  const text = readText(ctx.documents, uri, maxSize);
  if (text === undefined || !/kb-hints/.test(text)) return undefined;
  ctx.analyses.countParse();
  const file = parseFile(text, uri, { maxSize });
  const kind = kindOf(file);
  return kind ? { file, kind, model: buildModel(file) } : undefined;
}
