// The CloudFormation model: resources with their nodes, parameters, conditions and the reference graph.
import { asMap, asScalar, get, pair, str, type MapNode, type Node, type ScalarNode } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';
import { referencesIn, directTargets } from './intrinsics';

export interface Resource {
  id: string;
  type: string;
  /** The logical id, as written (resource-level findings point here). */
  key: ScalarNode;
  node: MapNode;
  typeNode?: ScalarNode;
  properties?: MapNode;
  metadata?: MapNode;
  /** The CDK construct path from `Metadata: aws:cdk:path`, e.g. `BillingStack/PublicLb`. */
  cdkPath?: string;
}

export interface Edge {
  from: Resource;
  target: string;
  attribute?: string;
  node: Node;
}

export class Template {
  readonly resources = new Map<string, Resource>();
  readonly parameters = new Map<string, { key: ScalarNode; node: Node }>();
  readonly conditions = new Set<string>();
  private readonly typeIndex = new Map<string, Resource[]>();
  private incoming?: Map<string, Edge[]>;

  constructor(readonly root: MapNode, readonly file: ParsedFile) {
    for (const p of asMap(get(root, 'Parameters'))?.pairs ?? []) {
      if (typeof p.key.value === 'string') this.parameters.set(p.key.value, { key: p.key, node: p.value });
    }
    for (const p of asMap(get(root, 'Conditions'))?.pairs ?? []) if (typeof p.key.value === 'string') this.conditions.add(p.key.value);
    for (const p of asMap(get(root, 'Resources'))?.pairs ?? []) {
      const node = asMap(p.value);
      if (!node || typeof p.key.value !== 'string') continue;
      // One pass over the resource's keys (the first of each wins, as `get`).
      let typeValue: Node | undefined;
      let propertiesValue: Node | undefined;
      let metadataValue: Node | undefined;
      for (const q of node.pairs) {
        const k = q.key.value;
        if (k === 'Type') typeValue ??= q.value;
        else if (k === 'Properties') propertiesValue ??= q.value;
        else if (k === 'Metadata') metadataValue ??= q.value;
      }
      const typeNode = asScalar(typeValue);
      const type = str(typeNode);
      if (!type) continue;
      const metadata = asMap(metadataValue);
      const res: Resource = {
        id: p.key.value,
        type,
        key: p.key,
        node,
        typeNode,
        properties: asMap(propertiesValue),
        metadata,
        cdkPath: constructPath(str(get(metadata, 'aws:cdk:path'))),
      };
      this.resources.set(res.id, res);
      let list = this.typeIndex.get(type);
      if (!list) this.typeIndex.set(type, (list = []));
      list.push(res);
    }
  }

  /** Resources of one or more types, in document order. */
  byType(...types: string[]): Resource[] {
    if (types.length === 1) return this.typeIndex.get(types[0]) ?? [];
    return [...this.resources.values()].filter((r) => types.includes(r.type));
  }

  resource(id: string | undefined): Resource | undefined {
    return id === undefined ? undefined : this.resources.get(id);
  }

  /** The resources a value points at directly, through `Ref`, `GetAtt` or either branch of `Fn::If`. */
  targets(node: Node | undefined): Resource[] {
    const out: Resource[] = [];
    for (const t of directTargets(node)) {
      const r = this.resources.get(t.target);
      if (r && !out.includes(r)) out.push(r);
    }
    return out;
  }

  /** Every reference made to a logical id from anywhere in a resource (Properties, Metadata, DependsOn excluded). */
  referencesTo(id: string): Edge[] {
    if (!this.incoming) {
      this.incoming = new Map();
      for (const res of this.resources.values()) {
        for (const ref of referencesIn(res.properties)) {
          let list = this.incoming.get(ref.target);
          if (!list) this.incoming.set(ref.target, (list = []));
          list.push({ from: res, target: ref.target, attribute: ref.attribute, node: ref.node });
        }
      }
    }
    return this.incoming.get(id) ?? [];
  }

  /** True when a parameter, not a resource, is named. */
  isParameter(id: string): boolean {
    return this.parameters.has(id);
  }

  /** The property pair (key and value) of a resource. */
  prop(res: Resource, name: string) {
    return pair(res.properties, name);
  }
}

/**
 * `BillingStack/PublicLb/Resource` names the L1 inside the `PublicLb` construct: users know the construct.
 * Some constructs nest their L1 deeper (`Cluster/Resource/Resource/Default` for `eks.Cluster`).
 */
function constructPath(path: string | undefined): string | undefined {
  return path?.replace(/(?:\/(?:Resource|Default))+$/, '');
}
