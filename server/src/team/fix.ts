// The quick fix of team rules (`quickFix: { set | add: <path>, value }`): made with the same verified
// editor as the built-in fixes (Editor.setIn: the file's indentation, quoting and line endings; the
// engine re-parses the result before offering it).
import { asMap, asSeq, deref, pair, type MapNode, type Node } from '../documents/nodes';
import type { Value } from '../fixes/edit';
import { defineFix, findingObject, findingResource, text } from '../fixes/types';
import { teamRuleById } from './registry';
import { TEAM_FIX } from './compile';

export const teamQuickFix = defineFix<{ rule: string; resource: string; item: number }>({
  id: TEAM_FIX,
  summary: 'the team rule\'s own `quickFix` (sets or adds the property it names).',
  provide(ctx) {
    const rule = teamRuleById(text(ctx.data.rule) ?? '');
    const qf = rule?.team.quickFix;
    if (!rule || !qf) return [];
    const top: MapNode | undefined = ctx.template ? findingResource(ctx)?.node : findingObject(ctx)?.node;
    if (!top) return [];
    // Inside an `each` item: the path is relative to the item.
    let base: MapNode | undefined = top;
    const check = rule.team.checks.find((c) => c.each);
    const index = typeof ctx.data.item === 'number' ? ctx.data.item : undefined;
    if (index !== undefined && check) base = itemAt(top, check.each!, index, !!ctx.template);
    if (!base) return [];
    const path = qf.path.filter((s): s is string => typeof s === 'string' && s !== '$resource' && s !== '$object');
    if (path.length !== qf.path.filter((s) => s !== '$resource' && s !== '$object').length || !path.length) return [];
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    if (qf.mode === 'add' && pair(walk(base, parentPath), key)) return [];
    const edits = ctx.editor.setIn(base, parentPath, [[key, qf.value as Value]]) ?? [];
    return edits.length ? [{ title: qf.title ?? `${qf.mode === 'add' ? 'Add' : 'Set'} ${path.join('.')}: ${JSON.stringify(qf.value)}`, preferred: true, edits }] : [];
  },
});

function walk(node: Node | undefined, path: string[]): Node | undefined {
  let n = deref(node);
  for (const s of path) n = deref(pair(n, s)?.value);
  return n;
}

function itemAt(top: MapNode, each: NonNullable<import('./spec').Check['each']>, index: number, cfn: boolean): MapNode | undefined {
  let path: Array<string | number>;
  if (each === 'containers' || each === 'volumes' || each === 'initContainers') {
    if (cfn) path = ['Properties', each === 'volumes' ? 'Volumes' : 'ContainerDefinitions'];
    else {
      // Kubernetes pod templates: containers are init containers then containers (as model/kubernetes).
      const spec = podSpecOf(top);
      if (each === 'volumes') return asMap(asSeq(pair(spec, 'volumes')?.value)?.items[index]);
      const init = asSeq(pair(spec, 'initContainers')?.value)?.items ?? [];
      if (each === 'initContainers') return asMap(init[index]);
      const all = [...init, ...(asSeq(pair(spec, 'containers')?.value)?.items ?? [])];
      return asMap(all[index]);
    }
  } else path = each;
  let n: Node | undefined = top;
  for (const s of path) n = typeof s === 'number' ? asSeq(deref(n))?.items[s] : pair(deref(n), s)?.value;
  return asMap(asSeq(deref(n))?.items[index]);
}

function podSpecOf(obj: MapNode): MapNode | undefined {
  const kind = String(asMap(obj)?.pairs.find((p) => p.key.value === 'kind')?.value.kind === 'scalar' ? (pair(obj, 'kind')!.value as { value: unknown }).value : '');
  const paths: Record<string, string[]> = { Pod: ['spec'], CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] };
  let n: Node | undefined = obj;
  for (const s of paths[kind] ?? ['spec', 'template', 'spec']) n = pair(deref(n), s)?.value;
  return asMap(n);
}
