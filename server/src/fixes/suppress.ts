// "Suppress with a reason", for every rule finding: the suppression form of the file (a comment in YAML,
// resource Metadata in JSON CloudFormation, the annotation for Kubernetes JSON or on request), with the
// placeholder reason to replace (selected after the edit).
import { asSeq, get, str, walk } from '../documents/nodes';
import { kindOf } from '../kinds';
import { PLACEHOLDER_REASON, SUPPRESS_ANNOTATION, SUPPRESS_COMMENT, SUPPRESS_METADATA } from '../engine/suppress';
import { findInserted, type TextEdit } from './edit';
import { findingObject, findingResource, type Fix, type FixContext } from './types';

const comment = (rule: string) => `# ${SUPPRESS_COMMENT} ${rule} reason="${PLACEHOLDER_REASON}"`;

function withSelection(title: string, edits: TextEdit[] | undefined): Fix[] {
  if (!edits?.length) return [];
  return [{ title, edits, select: findInserted(edits, PLACEHOLDER_REASON) }];
}

export function suppress(ctx: FixContext): Fix[] {
  const rule = ctx.finding.ruleId;
  const fixes: Fix[] = [];
  const { editor, file } = ctx;
  const line = editor.line(ctx.finding.start);
  if (kindOf(file)?.family === 'kubernetes') {
    const obj = findingObject(ctx);
    const name = obj ? `${obj.kind}${obj.name ? ` ${obj.name}` : ''}` : '';
    if (file.format === 'yaml') {
      const atObject = obj && editor.line(obj.node.start) === line;
      if (!insideMultilineScalar(ctx, line)) fixes.push(...withSelection(atObject ? `Suppress ${rule} for ${name} (comment with a reason)` : `Suppress ${rule} on this line (comment with a reason)`, [editor.lineBefore(ctx.finding.start, comment(rule))]));
      if (obj && !atObject) fixes.push(...withSelection(`Suppress ${rule} for ${name} (comment with a reason)`, [editor.lineBefore(obj.node.start, comment(rule))]));
    }
    if (obj) fixes.push(...withSelection(`Suppress ${rule} for ${name} (annotation ${SUPPRESS_ANNOTATION})`, annotationEdits(ctx, obj.node, rule)));
    return fixes;
  }
  const res = findingResource(ctx);
  if (file.format === 'yaml') {
    const atResource = res && editor.line(res.key.start) === line;
    if (!insideMultilineScalar(ctx, line)) fixes.push(...withSelection(atResource ? `Suppress ${rule} for resource ${res!.id} (comment with a reason)` : `Suppress ${rule} on this line (comment with a reason)`, [editor.lineBefore(ctx.finding.start, comment(rule))]));
    if (res && !atResource) fixes.push(...withSelection(`Suppress ${rule} for resource ${res.id} (comment with a reason)`, [editor.lineBefore(res.key.start, comment(rule))]));
    return fixes;
  }
  if (res) {
    const entry = { rule, reason: PLACEHOLDER_REASON };
    const ignore = asSeq(get(get(res.metadata, SUPPRESS_METADATA), 'ignore'));
    const edits = ignore ? [editor.appendItem(ignore, entry)] : editor.setIn(res.node, ['Metadata', SUPPRESS_METADATA], [['ignore', [entry]]]);
    const cdk = file.kind === 'cdk' ? '; in CDK code: addMetadata' : '';
    fixes.push(...withSelection(`Suppress ${rule} for resource ${res.id} (Metadata with a reason${cdk})`, edits));
  }
  return fixes;
}

function annotationEdits(ctx: FixContext, node: Parameters<FixContext['editor']['setIn']>[0], rule: string): TextEdit[] | undefined {
  const entry = `${rule}: ${PLACEHOLDER_REASON}`;
  const existing = get(get(get(node, 'metadata'), 'annotations'), SUPPRESS_ANNOTATION);
  const current = str(existing);
  if (existing && existing.kind === 'scalar' && current !== undefined) return [ctx.editor.replaceScalar(existing, current.trim() ? `${current.trim().replace(/;$/, '')}; ${entry}` : entry)];
  return ctx.editor.setIn(node, ['metadata', 'annotations'], [[SUPPRESS_ANNOTATION, entry]]);
}

/** A comment line cannot go inside a multi-line quoted or block scalar. */
function insideMultilineScalar(ctx: FixContext, line: number): boolean {
  const ls = ctx.file.lines.lineStart(line);
  let inside = false;
  for (const d of ctx.file.docs) {
    walk(d.root, (n) => {
      if (inside) return false;
      if (n.end < ls || n.start > ls) return false;
      if (n.kind === 'scalar' && n.start < ls && ls < n.end) inside = true;
    });
  }
  return inside;
}
