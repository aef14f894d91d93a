// The Kubernetes model: objects of a manifest stream (with `kind: List` items), and their pod templates.
import { asMap, asScalar, at, get, items, str, type MapNode, type ScalarNode } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  node: MapNode;
  kindNode: ScalarNode;
  /** Index of the YAML document the object is in. */
  doc: number;
}

export function k8sObjects(file: ParsedFile): K8sObject[] {
  if (file.kind !== 'kubernetes') return [];
  const out: K8sObject[] = [];
  file.docs.forEach((d, doc) => collect(asMap(d.root), doc, out));
  return out;
}

function collect(node: MapNode | undefined, doc: number, out: K8sObject[]): void {
  const apiVersion = str(get(node, 'apiVersion'));
  const kindNode = asScalar(get(node, 'kind'));
  const kind = str(kindNode);
  if (!node || !apiVersion || !kind || !kindNode) return;
  if (kind === 'List' || kind.endsWith('List')) {
    for (const item of items(get(node, 'items'))) collect(asMap(item), doc, out);
    return;
  }
  const metadata = get(node, 'metadata');
  out.push({ apiVersion, kind, name: str(get(metadata, 'name')), namespace: str(get(metadata, 'namespace')), node, kindNode, doc });
}

const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** The pod spec of a workload (its template's spec), or undefined for other kinds. */
export function podSpec(obj: K8sObject): MapNode | undefined {
  const path = POD_TEMPLATE_PATHS[obj.kind];
  return path ? asMap(at(obj.node, ...path)) : undefined;
}

/** Containers and init containers of a workload. */
export function containers(obj: K8sObject): MapNode[] {
  const spec = podSpec(obj);
  return [...items(get(spec, 'initContainers')), ...items(get(spec, 'containers'))].map(asMap).filter((c): c is MapNode => !!c);
}
