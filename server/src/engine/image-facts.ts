// Facts about images, per file, for rules that look across files. Which private ECR repositories a file runs
// the moving tag of: a task definition, an App Runner service or a Kubernetes workload whose image is
// `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:latest` (or has no tag); something keeps pushing that
// tag, so a repository of that name elsewhere in the workspace cannot make it immutable (nor one named by a
// parameter of the same name in a template beside it, for an image `…/${ImageName}`); and which ones a CodeBuild
// build spec file or a GitHub Actions workflow pushes `latest` into (a build spec's pushes filed also under its
// file name, for the projects that name it: `buildSpecKey`). And which image names
// a Skaffold config or a kustomization replaces in the manifests of its folder. Plain data per file (the
// parallel CLI sends it between threads).
import { asMap, get, items, str, type Node } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';
import type { FileModel } from '../kinds/kind';
import { buildSpecPushes, isWorkflow, pushedTag, workflowPushes } from '../model/image-pushes';
import { branches, userDataText } from '../model/intrinsics';
import { containers } from '../model/kubernetes';

export interface MovingTagUse {
  /** The repository's name (the image's path after the registry host). */
  repository: string;
  tag: 'latest';
  /** What runs it, e.g. `Task definition Web in service.yml`. */
  by: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** Set when a build pushes the tag (a build spec) rather than a deployment running it. */
  pushes?: true;
  /**
   * Filed under a build spec's file name: the reference as pushed, when variables the spec does not set
   * decide its tag (`$REPOSITORY_URI:$IMAGE_TAG`), for the project's own variables to settle.
   */
  ref?: string;
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
  // App Runner deploys the image again whenever its tag moves (automatic deployments), so it runs `latest` too.
  for (const svc of model.template?.byType('AWS::AppRunner::Service') ?? []) add(appRunnerImage(svc.properties), `App Runner service ${svc.id}`);
  for (const obj of model.objects) for (const c of containers(obj)) add(get(c, 'image'), `${obj.kind} ${obj.name ?? '(unnamed)'}`);
  return out;
}

/** The key a build spec file's pushes are also filed under: its file name, as a CodeBuild project names it. */
export function buildSpecKey(path: string): string {
  return `buildspec:${shortName(path).toLowerCase()}`;
}

/**
 * What a CI file pushes (a CodeBuild build spec, a GitHub Actions workflow): under the repository's name,
 * each literal private ECR repository it pushes `latest` into; for a build spec, also under `buildSpecKey`
 * each push of `latest` or of a tag its variables leave open (the CodeBuild project that runs it settles them).
 */
export function imagePushFacts(file: ParsedFile, fileName: string): MovingTagUse[] {
  const workflow = isWorkflow(file.uri, file.text);
  const out: MovingTagUse[] = [];
  const by = workflow ? `Workflow ${fileName}` : `Build spec ${fileName}`;
  for (const { ref, range } of workflow ? workflowPushes(file) : buildSpecPushes(file)) {
    const tag = pushedTag(ref);
    if (tag !== undefined && tag !== 'latest') continue;
    const repository = tag && movingTagRepository(ref);
    if (repository && !repository.includes('$') && !out.some((u) => u.repository === repository)) out.push({ repository, tag: 'latest', by, range, pushes: true });
    if (workflow) continue;
    const key = buildSpecKey(file.uri);
    if (!out.some((u) => u.repository === key && u.ref === (tag ? undefined : ref))) out.push({ repository: key, tag: 'latest', by, range, pushes: true, ...(tag ? {} : { ref }) });
  }
  return out;
}

/** The image an App Runner service runs from a private ECR repository (`SourceConfiguration.ImageRepository.ImageIdentifier`). */
export function appRunnerImage(properties: Node | undefined): Node | undefined {
  const repo = get(get(properties, 'SourceConfiguration'), 'ImageRepository');
  return str(get(repo, 'ImageRepositoryType')) === 'ECR_PUBLIC' ? undefined : get(repo, 'ImageIdentifier');
}

/**
 * An image name that a build or deploy tool replaces in the manifests of a folder before they are applied:
 * a Skaffold build artifact (`build.artifacts[].image`, built, tagged and pushed to the default repo) or a
 * kustomization's `images[]` entry with a `newName`. What the manifests say is then not what is pulled.
 */
export interface ImageRewrite {
  /** The image name as manifests write it, without tag or digest. */
  name: string;
  /** The folder whose files (and those below it) the config applies to: its own, with the trailing separator. */
  folder: string;
}

/** An image reference without its digest and tag: `nginx:1.27@sha256:...` -> `nginx`, `localhost:5000/app:1` -> `localhost:5000/app`. */
export function imageName(image: string): string {
  const text = image.trim();
  const at = text.indexOf('@');
  const rest = at === -1 ? text : text.slice(0, at);
  const colon = rest.lastIndexOf(':');
  return colon > rest.lastIndexOf('/') ? rest.slice(0, colon) : rest;
}

/** The last segment of a URI or path, for naming where a fact was seen. */
export function shortName(uri: string): string {
  return uri.slice(Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('\\')) + 1);
}

/** The folder part of a URI or path, with its trailing separator (empty for a bare file name). */
export function folderOf(uri: string): string {
  return uri.slice(0, Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('\\')) + 1);
}

/** The image names a file's Skaffold configs build and its kustomizations (and components) rename. */
export function imageRewriteFacts(file: ParsedFile, model: FileModel): ImageRewrite[] {
  const out: ImageRewrite[] = [];
  const folder = folderOf(file.uri);
  const add = (image: string | undefined) => {
    const name = image && imageName(image);
    if (name && !out.some((r) => r.name === name)) out.push({ name, folder });
  };
  for (const obj of model.objects) {
    if (/^skaffold\/v/.test(obj.apiVersion) && obj.kind === 'Config') {
      // The build section, and each profile's (a profile replaces or patches it when activated).
      const builds = [get(obj.node, 'build'), ...items(get(obj.node, 'profiles')).map((p) => get(p, 'build'))];
      for (const build of builds) for (const a of items(get(build, 'artifacts'))) add(str(get(a, 'image')));
    } else if (/^kustomize\.config\.k8s\.io\//.test(obj.apiVersion) && (obj.kind === 'Kustomization' || obj.kind === 'Component')) {
      // Only a new name changes where the image comes from (`newTag` alone keeps the registry).
      for (const entry of items(get(obj.node, 'images'))) if (str(get(entry, 'newName'))) add(str(get(entry, 'name')));
    }
  }
  return out;
}
