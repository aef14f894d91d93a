// Shared by the kinds whose model is a CloudFormation template (CloudFormation, CDK output).
import { asMap, get, str, type MapNode, type Node, type Pair } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';
import type { Place } from './kind';

export const TEMPLATE_HINT = /AWSTemplateFormatVersion|Resources/;
const RESOURCE_TYPE = /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+/;

/** The first document's root map. */
export function firstRoot(file: ParsedFile): MapNode | undefined {
  return asMap(file.docs.find((d) => d.root)?.root);
}

/** A template: `AWSTemplateFormatVersion`, or a resource with a `Type` shaped like `AWS::Service::Thing`. */
export function isTemplate(root: MapNode | undefined): root is MapNode {
  if (!root) return false;
  if (get(root, 'AWSTemplateFormatVersion')) return true;
  const resources = asMap(get(root, 'Resources'));
  return !!resources?.pairs.some((p) => RESOURCE_TYPE.test(str(get(p.value, 'Type')) ?? ''));
}

/** Resources > LogicalId (> Type), or a property under Resources > LogicalId > Properties. */
export function locateInTemplate(path: readonly Pair[]): Place | undefined {
  const last = path[path.length - 1];
  if (!last || path[0]?.key.value !== 'Resources') return undefined;
  const key = String(last.key.value);
  if (path.length === 2) return { type: str(typeOf(last.value)) ?? '' };
  if (path.length === 3 && key === 'Type') {
    const value = str(last.value);
    return value ? { type: value } : undefined;
  }
  if (path.length >= 4 && path[2].key.value === 'Properties') return { property: key, ownerType: str(typeOf(path[1].value)) ?? '' };
  return undefined;
}

function typeOf(node: Node): Node | undefined {
  return node.kind === 'map' ? node.pairs.find((p) => p.key.value === 'Type')?.value : undefined;
}
