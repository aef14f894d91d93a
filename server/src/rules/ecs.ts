// Shared readers for ECS resources, so rules agree on what a Fargate task definition or a volume is.
import { asMap, get, items, pair, type MapNode, type Pair } from '../documents/nodes';
import { branches, literalValues } from '../model/intrinsics';
import type { Resource, Template } from '../model/template';

export const TASK_DEFINITION = 'AWS::ECS::TaskDefinition';
export const SERVICE = 'AWS::ECS::Service';

/**
 * The launch types a task definition declares through `RequiresCompatibilities`, or undefined when it
 * cannot be read (a parameter, an import): rules for Fargate then stay quiet.
 */
export function compatibilities(td: Resource): string[] | undefined {
  const node = get(td.properties, 'RequiresCompatibilities');
  if (!node) return [];
  const out: string[] = [];
  for (const b of branches(node)) {
    for (const item of items(b)) {
      const values = literalValues(item);
      if (!values) return undefined;
      out.push(...values.map((v) => v.toUpperCase()));
    }
    if (b.kind !== 'seq') return undefined;
  }
  return out;
}

/** A task definition whose `RequiresCompatibilities` lists FARGATE. */
export function isFargate(td: Resource): boolean {
  return compatibilities(td)?.includes('FARGATE') ?? false;
}

/** A property counts as present when any branch of an `Fn::If` gives it a value. */
export function hasProperty(res: Resource, name: string): boolean {
  const p = pair(res.properties, name);
  return !!p && branches(p.value).length > 0;
}

export function volumes(td: Resource): MapNode[] {
  return items(get(td.properties, 'Volumes')).map(asMap).filter((v): v is MapNode => !!v);
}

export function containerDefinitions(td: Resource): MapNode[] {
  return items(get(td.properties, 'ContainerDefinitions')).flatMap(branches).map(asMap).filter((c): c is MapNode => !!c);
}

/** The services whose `TaskDefinition` points at a task definition. */
export function servicesOf(tpl: Template, td: Resource): Resource[] {
  return tpl.byType(SERVICE).filter((svc) => tpl.targets(get(svc.properties, 'TaskDefinition')).includes(td));
}

/** The task definitions a service can run (both branches of an `Fn::If`). */
export function taskDefinitionsOf(tpl: Template, svc: Resource): Resource[] {
  return tpl.targets(get(svc.properties, 'TaskDefinition')).filter((r) => r.type === TASK_DEFINITION);
}

export function propPair(node: MapNode | undefined, ...names: string[]): Pair | undefined {
  for (const n of names) {
    const p = pair(node, n);
    if (p) return p;
  }
  return undefined;
}
