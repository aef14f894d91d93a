// What a quick fix is: a title and text edits on offsets of one file, and the fix kinds that make them.
// Pure: no editor types.
import { walk, type ScalarNode } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';
import type { Template, Resource } from '../model/template';
import type { K8sObject } from '../model/kubernetes';
import type { Editor, TextEdit } from './edit';

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix to apply by default (editors may apply it with one key). */
  preferred?: boolean;
  /** A range of the edited text to select afterwards (e.g. a placeholder reason), in offsets after the edits. */
  select?: { start: number; end: number };
}

/** The finding a fix is asked for: its rule, where it points, and the rule's `data`. */
export interface FixTarget {
  ruleId: string;
  start: number;
  end: number;
  data?: Record<string, unknown>;
}

/**
 * A finding's `data` as a fix kind reads it: the keys the rule sends (`D`), each possibly missing or of any
 * type, since data comes back from the client and may be anything. Read values with `text()`.
 */
export type FixData<D> = { readonly [K in keyof D]?: unknown };

export interface FixContext<D = Record<string, unknown>> {
  file: ParsedFile;
  finding: FixTarget;
  /** The finding's data (`{}` when it has none). */
  data: FixData<D>;
  template?: Template;
  objects: readonly K8sObject[];
  editor: Editor;
}

/**
 * A fix kind: what one `data.fix` id does. `D` is the data the rules that offer it send (e.g.
 * `{ resource: string }`); a rule names the kinds it offers in `meta.fixes`.
 */
export interface FixKind<D = Record<string, unknown>> {
  /** The id rules put in `data.fix` and list in `meta.fixes`. */
  id: string;
  /** What the fix does, in Markdown, for rule articles (a sentence that follows "Quick fix:"). */
  summary: string;
  provide(ctx: FixContext<D>): Fix[];
}

export function defineFix<D = Record<string, unknown>>(kind: FixKind<D>): FixKind<D> {
  return kind;
}

/** A data value that is a non-empty string, else undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The resource a finding is about: `data.resource`, else the resource whose text holds the finding. */
export function findingResource(ctx: FixContext<{ resource?: string }>, type?: string): Resource | undefined {
  const tpl = ctx.template;
  if (!tpl) return undefined;
  const id = text(ctx.data.resource);
  let res = id ? tpl.resource(id) : undefined;
  if (!res) {
    for (const r of tpl.resources.values()) {
      if (r.key.start <= ctx.finding.start && ctx.finding.start <= Math.max(r.node.end, r.key.end)) res = r;
    }
  }
  return res && (!type || res.type === type) ? res : undefined;
}

/** The innermost Kubernetes object whose text holds the finding. */
export function findingObject(ctx: FixContext<unknown>): K8sObject | undefined {
  let best: K8sObject | undefined;
  for (const o of ctx.objects) {
    if (o.node.start <= ctx.finding.start && ctx.finding.start <= o.node.end && (!best || o.node.end - o.node.start < best.node.end - best.node.start)) best = o;
  }
  return best;
}

/** The scalar the finding points at exactly (a literal value), if any. */
export function findingScalar(ctx: FixContext<unknown>): ScalarNode | undefined {
  const { start, end } = ctx.finding;
  let found: ScalarNode | undefined;
  for (const d of ctx.file.docs) {
    walk(d.root, (n) => {
      if (found || n.end < start || n.start > end) return false;
      if (n.kind === 'scalar' && n.start === start && n.end === end) found = n;
    });
  }
  return found;
}

/** Sets keys in a resource's `Properties`, creating it if needed; [] when the template's shape does not allow it. */
export function setProperties(ctx: FixContext<unknown>, res: Resource, path: string[], entries: Parameters<Editor['setIn']>[2]): TextEdit[] {
  return ctx.editor.setIn(res.node, ['Properties', ...path], entries) ?? [];
}
