// ECS task definitions as the ECS API takes them (camelCase JSON) seen as a one-resource template, so
// the CloudFormation rules read them unchanged. Nodes keep their real positions; only key names change.
import { asMap, get, type MapNode, type Node, type Pair, type ScalarNode } from '../documents/nodes';

// CloudFormation spells a few names differently from the API.
const RENAMES: Record<string, string> = {
  efsVolumeConfiguration: 'EFSVolumeConfiguration',
  fileSystemId: 'FilesystemId',
};

// Maps whose keys are user data (log options, labels, driver options), never property names.
const FREE_FORM = new Set(['options', 'dockerLabels', 'labels', 'driverOpts', 'secretOptions']);

function rename(key: string): string {
  return Object.hasOwn(RENAMES, key) ? RENAMES[key] : key.charAt(0).toUpperCase() + key.slice(1);
}

function pascal(node: Node): Node {
  if (node.kind === 'seq') return { ...node, items: node.items.map(pascal) };
  if (node.kind !== 'map') return node;
  return {
    ...node,
    pairs: node.pairs.map((p): Pair => {
      const name = typeof p.key.value === 'string' ? p.key.value : '';
      if (FREE_FORM.has(name)) return { key: { ...p.key, value: rename(name) }, value: p.value };
      return { key: { ...p.key, value: rename(name) }, value: pascal(p.value) };
    }),
  };
}

/** `{ Resources: { <family>: { Type: AWS::ECS::TaskDefinition, Properties } } }` over the API JSON. */
export function taskDefinitionTemplateRoot(root: MapNode): MapNode {
  const body = asMap(get(root, 'taskDefinition')) ?? root;
  const familyPair = body.pairs.find((p) => p.key.value === 'family');
  const family = familyPair?.value.kind === 'scalar' ? String(familyPair.value.value) : 'TaskDefinition';
  // Resource-level findings point at the family name, the task definition's identity.
  const anchor = familyPair?.value ?? body;
  const at = (value: string, n: Node = anchor): ScalarNode => ({ kind: 'scalar', value, start: n.start, end: n.kind === 'scalar' ? n.end : n.start + 1 });
  const resource: MapNode = {
    kind: 'map',
    start: body.start,
    end: body.end,
    pairs: [
      { key: at('Type'), value: at('AWS::ECS::TaskDefinition') },
      { key: at('Properties'), value: pascal(body) },
    ],
  };
  return { kind: 'map', start: root.start, end: root.end, pairs: [{ key: at('Resources'), value: { kind: 'map', start: body.start, end: body.end, pairs: [{ key: at(family), value: resource }] } }] };
}
