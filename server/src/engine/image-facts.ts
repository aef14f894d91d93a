// Which private ECR repositories a file runs the moving tag of: a task definition or a Kubernetes workload
// whose image is `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:latest` (or has no tag). Something
// keeps pushing that tag, so a repository of that name elsewhere in the workspace cannot make it immutable
// (nor one named by a parameter of the same name in a template beside it, for an image `…/${ImageName}`).
// Plain data per file (the parallel CLI sends it between threads), with the image value's range.
import { asMap, get, items, type Node } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';
import type { FileModel } from '../kinds/kind';
import { branches, userDataText } from '../model/intrinsics';
import { containers } from '../model/kubernetes';

export interface MovingTagUse {
  /** The repository's name (the image's path after the registry host). */
  repository: string;
  tag: 'latest';
  /** What runs it, e.g. `Task definition Web in service.yml`. */
  by: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const PRIVATE_ECR_HOST = /^[^/]*\.dkr\.ecr\.[^/]*$/;

/** A repository path that is one `Fn::Sub` parameter (`${ImageName}`): a repository named by a parameter of that name. */
const PARAMETER_PATH = /^\$\{[A-Za-z0-9]+\}(:latest)?$/;

/**
 * The repository an image text runs the `latest` tag of, when it is a private ECR image; undefined otherwise.
 * A path made of one Sub parameter is returned as written (`${ImageName}`).
 */
export function movingTagRepository(image: string): string | undefined {
  const slash = image.indexOf('/');
  if (slash === -1 || !PRIVATE_ECR_HOST.test(image.slice(0, slash))) return undefined;
  const path = image.slice(slash + 1);
  if (PARAMETER_PATH.test(path)) return path.replace(/:latest$/, '');
  if (path.includes('@') || path.includes('$')) return undefined; // pinned by digest, or a computed name
  const last = path.lastIndexOf('/');
  const colon = path.indexOf(':', last + 1);
  const tag = colon === -1 ? 'latest' : path.slice(colon + 1);
  const repository = colon === -1 ? path : path.slice(0, colon);
  return tag === 'latest' && repository ? repository : undefined;
}

/** The moving tags of private ECR repositories that a file's task definitions and workloads run. */
export function movingTagFacts(file: ParsedFile, model: FileModel, fileName: string): MovingTagUse[] {
  const out: MovingTagUse[] = [];
  const add = (image: Node | undefined, by: string) => {
    for (const b of branches(image)) {
      const repository = movingTagRepository(userDataText(b) ?? '');
      if (!repository) continue;
      const use = { repository, tag: 'latest' as const, by: `${by} in ${fileName}`, range: { start: file.lines.position(b.start), end: file.lines.position(b.end) } };
      if (!out.some((u) => u.repository === use.repository && u.by === use.by)) out.push(use);
    }
  };
  for (const td of model.template?.byType('AWS::ECS::TaskDefinition') ?? []) {
    for (const list of branches(get(td.properties, 'ContainerDefinitions'))) {
      for (const def of items(list).flatMap(branches)) add(get(asMap(def), 'Image'), `Task definition ${td.id}`);
    }
  }
  for (const obj of model.objects) for (const c of containers(obj)) add(get(c, 'image'), `${obj.kind} ${obj.name ?? '(unnamed)'}`);
  return out;
}
