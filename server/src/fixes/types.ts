// What a quick fix is: a title and text edits on offsets of one file. Pure: no editor types.
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

export interface FixContext {
  file: ParsedFile;
  finding: FixTarget;
  template?: Template;
  objects: readonly K8sObject[];
  editor: Editor;
}

export type FixProvider = (ctx: FixContext) => Fix[];

/** The resource a finding is about: `data.resource`, else the resource whose text holds the finding. */
export function findingResource(ctx: FixContext, type?: string): Resource | undefined {
  const tpl = ctx.template;
  if (!tpl) return undefined;
  const id = ctx.finding.data?.resource;
  let res = typeof id === 'string' ? tpl.resource(id) : undefined;
  if (!res) {
    for (const r of tpl.resources.values()) {
      if (r.key.start <= ctx.finding.start && ctx.finding.start <= Math.max(r.node.end, r.key.end)) res = r;
    }
  }
  return res && (!type || res.type === type) ? res : undefined;
}

/** The innermost Kubernetes object whose text holds the finding. */
export function findingObject(ctx: FixContext): K8sObject | undefined {
  let best: K8sObject | undefined;
  for (const o of ctx.objects) {
    if (o.node.start <= ctx.finding.start && ctx.finding.start <= o.node.end && (!best || o.node.end - o.node.start < best.node.end - best.node.start)) best = o;
  }
  return best;
}

/** Sets keys in a resource's `Properties`, creating it if needed; [] when the template's shape does not allow it. */
export function setProperties(ctx: FixContext, res: Resource, path: string[], entries: Parameters<Editor['setIn']>[2]): TextEdit[] {
  return ctx.editor.setIn(res.node, ['Properties', ...path], entries) ?? [];
}
