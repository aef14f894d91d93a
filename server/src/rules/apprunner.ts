// Shared readers for AWS App Runner services.
import { asMap, get, pair, type MapNode, type Node, type Pair } from '../documents/nodes';
import { branches, intrinsic } from '../model/intrinsics';
import type { Resource } from '../model/template';

export const APP_RUNNER_SERVICE = 'AWS::AppRunner::Service';

/**
 * The maps a path of keys leads to, through both branches of any `Fn::If` on the way. Values that
 * cannot be read (a parameter, an import) are left out.
 */
export function follow(node: Node | undefined, ...path: string[]): MapNode[] {
  const plain = (nodes: Node[]) => nodes.map(asMap).filter((m): m is MapNode => !!m && !intrinsic(m));
  let cur = plain(branches(node));
  for (const key of path) cur = plain(cur.flatMap((m) => branches(get(m, key))));
  return cur;
}

/** Every `ImageRepositoryType` pair of a service's image repositories. */
export function imageRepositoryTypes(svc: Resource): Pair[] {
  return follow(svc.properties, 'SourceConfiguration', 'ImageRepository').flatMap((repo) => pair(repo, 'ImageRepositoryType') ?? []);
}

/** The runtime environment variables and secrets of a service, from image and code repositories. */
export function runtimeEnvironment(svc: Resource): Node[] {
  const holders = [
    ...follow(svc.properties, 'SourceConfiguration', 'ImageRepository', 'ImageConfiguration'),
    ...follow(svc.properties, 'SourceConfiguration', 'CodeRepository', 'CodeConfiguration', 'CodeConfigurationValues'),
  ];
  return holders.flatMap((h) => ['RuntimeEnvironmentVariables', 'RuntimeEnvironmentSecrets'].flatMap((name) => get(h, name) ?? []));
}
