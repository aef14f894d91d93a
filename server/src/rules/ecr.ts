// Shared readers for Amazon ECR repositories: what each of the three repository settings rules would report
// (scan on push, tag mutability, lifecycle policy), so that they agree, and so that one quick fix can apply
// every missing setting of a repository at once.
import { asMap, at, get, items, pair, type Node } from '../documents/nodes';
import type { Environment } from '../engine/environment';
import type { CloudFormationContext, Related } from '../engine/rule';
import { appRunnerImage, buildSpecKey } from '../engine/image-facts';
import { buildSpecTextPushes, pushedTag, scriptPushes, withVariables } from '../model/image-pushes';
import { folderOf } from '../engine/workspace';
import { branches, directTargets, intrinsic, literal, literalValues, referencesIn, userDataText } from '../model/intrinsics';
import type { Resource, Template } from '../model/template';
import { suppressedByOtherLinter } from './acknowledged';
import { containerDefinitions, hasProperty, instanceSettings, LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE, TASK_DEFINITION } from './ecs';

export const REPOSITORY = 'AWS::ECR::Repository';
export const REGISTRY_SCANNING = 'AWS::ECR::RegistryScanningConfiguration';

/** The private ECR repositories a template declares. */
export function repositories(tpl: Template): Resource[] {
  return tpl.byType(REPOSITORY);
}

/** The same check in cfn_nag and Checkov (scan on push; immutable tags). */
export const SCAN_EQUIVALENT_CHECKS = ['W79', 'CKV_AWS_163'];
export const TAGS_EQUIVALENT_CHECKS = ['CKV_AWS_51'];

/** Registry-level scanning covers every repository: declared in the environment, or in the template. */
export function registryScans(tpl: Template, environment: Environment): boolean {
  return environment.ecr?.registryScanning === true || tpl.byType(REGISTRY_SCANNING).length > 0;
}

/**
 * Where a repository's scan on push is off (the `ScanOnPush: false` value, or undefined when the setting is
 * absent), or undefined as a whole when scanning is on or cannot be known (a parameter, an import).
 */
export function scanGap(tpl: Template, environment: Environment, repo: Resource): { off?: Node } | undefined {
  if (registryScans(tpl, environment)) return undefined;
  // Suppressed for cfn_nag or Checkov: usually because scanning is set for the registry elsewhere.
  if (suppressedByOtherLinter(repo, SCAN_EQUIVALENT_CHECKS)) return undefined;
  let off: Node | undefined;
  for (const config of branches(get(repo.properties, 'ImageScanningConfiguration'))) {
    const map = asMap(config);
    if (!map || intrinsic(map)) return undefined; // a parameter or an import: unknown
    const scan = pair(map, 'ScanOnPush');
    if (!scan) continue; // off by default
    const values = literalValues(scan.value);
    if (!values || values.some((v) => v.toLowerCase() === 'true')) return undefined;
    if (values.length) off ??= scan.value;
  }
  return { off };
}

export interface TagsGap {
  /** The `ImageTagMutability` value, or undefined when the repository leaves the default (MUTABLE). */
  value?: Node;
  /** Tags written again and again into the repository (`latest`, a deployment's tag). */
  movingTags: string[];
  /**
   * Where they are written or run (a deployment custom resource, a task definition's image, in this template
   * or, for a repository named literally, in another file of the workspace).
   */
  writers: Array<Related & { by: string }>;
}

/** What the repository readers need of a rule's context. */
type RepositoryContext = Pick<CloudFormationContext, 'template' | 'environment' | 'workspace' | 'file' | 'name'>;

/** A repository whose tags can be overwritten (MUTABLE, set or by default); undefined otherwise or when unknown. */
export function tagsGap(ctx: RepositoryContext, repo: Resource): TagsGap | undefined {
  // A documented exception for Checkov's equivalent check (e.g. a deliberately moving `latest` tag).
  if (suppressedByOtherLinter(repo, TAGS_EQUIVALENT_CHECKS)) return undefined;
  const mutability = pair(repo.properties, 'ImageTagMutability');
  const set = !!mutability && branches(mutability.value).length > 0;
  if (set) {
    const values = literalValues(mutability.value);
    // Unknown (a parameter), or IMMUTABLE, IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION in some branch
    // (tags chosen to be protected): stay quiet.
    if (!values || !values.every((v) => v.toUpperCase() === 'MUTABLE')) return undefined;
  }
  return { value: set ? mutability!.value : undefined, ...tagsWrittenInto(ctx, repo) };
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const CODEBUILD_PROJECT = 'AWS::CodeBuild::Project';
const DEPLOYMENT_DESTINATIONS = ['DestImage', 'DestImageUri', 'DestinationImage'];

/** The tag at the end of an image text, `latest` when it has none, undefined when pinned by digest or computed. */
function tagOf(text: string): string | undefined {
  const last = text.slice(text.lastIndexOf('/') + 1);
  if (last.includes('@')) return undefined;
  const colon = last.lastIndexOf(':');
  if (colon === -1) return 'latest';
  const tag = last.slice(colon + 1);
  return TAG.test(tag) ? tag : undefined;
}

/**
 * Tags written into a repository on every deployment: the destination of an image deployment custom
 * resource (`Custom::CDKECRDeployment` and the like), and `latest` (or no tag) in a task definition image of
 * the repository, which only works if something keeps pushing that tag; for a repository named literally,
 * also the task definitions and workloads of other workspace files that run its `latest` tag.
 */
function tagsWrittenInto(ctx: RepositoryContext, repo: Resource): { movingTags: string[]; writers: TagsGap['writers'] } {
  const tpl = ctx.template;
  const movingTags: string[] = [];
  const writers: TagsGap['writers'] = [];
  const add = (tag: string, node: Node, by: string, message: string) => {
    if (!movingTags.includes(tag)) movingTags.push(tag);
    if (!writers.some((w) => 'node' in w && w.node === node && w.message === message)) writers.push({ node, message, by });
  };
  const nameNode = get(repo.properties, 'RepositoryName');
  const name = literal(nameNode);
  // A repository named by a parameter (`RepositoryName: !Ref Name`) is named by an ECR image built from it too.
  const nameParameter = directTargets(nameNode).find((t) => tpl.isParameter(t.target))?.target;
  const names = (node: Node | undefined) =>
    referencesIn(node).some((r) => r.target === repo.id || (r.target === nameParameter && /\.dkr\.ecr\./.test(userDataText(node) ?? ''))) ||
    (!!name && (literalValues(node) ?? [userDataText(node) ?? '']).some((v) => v.split('/').slice(1).join('/').split(/[:@]/)[0] === name && /\.dkr\.ecr\./.test(v)));
  // A project names it through one of its variables (`REPOSITORY_URI: !Sub ...amazonaws.com/${AppName}`).
  const projectNames = (build: Resource) => names(build.properties) || items(at(build.properties, 'Environment', 'EnvironmentVariables')).some((v) => names(get(v, 'Value')));
  // A custom resource may refer to the repository several times (one edge each): read it once.
  const customs = new Set(tpl.referencesTo(repo.id).map((e) => e.from).filter((r) => r.type.startsWith('Custom::')));
  for (const res of customs) {
    for (const key of DEPLOYMENT_DESTINATIONS) {
      const p = pair(res.properties, key);
      if (!p || !names(p.value)) continue;
      const tag = tagOf(userDataText(p.value) ?? '');
      if (tag) add(tag, p.key, ctx.name(res), `${ctx.name(res)} writes tag ${tag} into it on every deployment`);
      // An image index copy also writes one tag per architecture (`ArchImageTags: '{"arm64":"app-arm64"}'`).
      const arch = pair(res.properties, 'ArchImageTags');
      for (const t of archTags(literal(arch?.value))) add(t, arch!.key, ctx.name(res), `${ctx.name(res)} writes tag ${t} into it on every deployment`);
    }
  }
  // A build that pushes `latest` into it (`docker push $REPO_URI:latest`, or a tag variable set to latest in
  // the build spec or among the project's environment variables), its spec inline or a file of the workspace;
  // read by the same command reader as build spec files and user data (model/image-pushes.ts).
  for (const build of tpl.byType(CODEBUILD_PROJECT)) {
    const source = asMap(get(build.properties, 'Source'));
    const spec = pair(source, 'BuildSpec');
    const text = userDataText(spec?.value);
    const file = specFile(text, literal(get(source, 'Type')));
    if (file) {
      // A spec in the source (`buildspec.yml` by default): a build spec file of that name in the workspace.
      const pushes = projectNames(build) ? specFilePushes(ctx, file, build) : [];
      if (pushes.length && !movingTags.includes('latest')) movingTags.push('latest');
      writers.push(...pushes);
      continue;
    }
    const latest = !!text && buildSpecTextPushes(text, ctx.file.uri).some((ref) => pushedTag(withProjectVariables(ref, build)) === 'latest');
    if (spec && latest && (projectNames(build) || (!!name && text!.includes(name)))) {
      add('latest', spec.key, ctx.name(build), `${ctx.name(build)}'s build spec pushes the latest tag`);
    }
  }
  // Instances whose user data builds and pushes `latest` into it.
  for (const res of tpl.byType('AWS::EC2::Instance', LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION)) {
    const userData = pair(res.type === 'AWS::EC2::Instance' ? res.properties : instanceSettings(res), 'UserData');
    const text = userDataText(userData?.value);
    if (userData && text && scriptPushes(text).some((ref) => pushedTag(ref) === 'latest') && (names(userData.value) || (!!name && text.includes(name)))) {
      add('latest', userData.key, ctx.name(res), `${ctx.name(res)}'s user data pushes the latest tag`);
    }
  }
  for (const td of tpl.byType(TASK_DEFINITION)) {
    for (const def of containerDefinitions(td)) {
      const image = get(def, 'Image');
      if (!image || !names(image)) continue;
      const tag = tagOf(userDataText(image) ?? '');
      if (tag === 'latest') add(tag, image, ctx.name(td), `Task definition ${ctx.name(td)} runs its latest tag`);
    }
  }
  for (const svc of tpl.byType('AWS::AppRunner::Service')) {
    const image = appRunnerImage(svc.properties);
    if (image && names(image) && tagOf(userDataText(image) ?? '') === 'latest') add('latest', image, ctx.name(svc), `App Runner service ${ctx.name(svc)} deploys its latest tag`);
  }
  // Another file's image names the repository by its literal name, or (in a template beside this one, as the
  // stacks of one app are) through a parameter of the same name as the one that names it here.
  const key = name ?? (nameParameter && `\${${nameParameter}}`);
  if (key) {
    const folder = folderOf(ctx.file.uri);
    for (const use of ctx.workspace.movingTagUses(key, ctx.file.uri)) {
      if (!name && folderOf(use.uri) !== folder) continue;
      if (!movingTags.includes(use.tag)) movingTags.push(use.tag);
      writers.push({ uri: use.uri, range: use.range, message: `${use.by} ${use.pushes ? 'pushes' : 'runs'} its ${use.tag} tag`, by: use.by });
    }
  }
  return { movingTags, writers };
}

/**
 * The build spec file a CodeBuild project runs, when its spec is not inline: the `BuildSpec` path, or
 * `buildspec.yml` (at the source's root) when there is none; undefined for an inline spec or no source.
 */
function specFile(spec: string | undefined, sourceType: string | undefined): string | undefined {
  if (spec === undefined) return sourceType === 'NO_SOURCE' ? undefined : 'buildspec.yml';
  return /^[\w./-]+\.ya?ml$/i.test(spec.trim()) ? spec.trim().replace(/^\.\//, '') : undefined;
}

/**
 * Where the workspace's build spec files at that path push `latest` (with the project's literal variables
 * put into the tags the spec leaves open), as writers of the repository the project names.
 */
function specFilePushes(ctx: RepositoryContext, file: string, build: Resource): TagsGap['writers'] {
  const out: TagsGap['writers'] = [];
  for (const use of ctx.workspace.movingTagUses(buildSpecKey(file), ctx.file.uri)) {
    // (A path from the working folder may have no folder part at all: `buildspec.yml`.)
    if (!`/${use.uri.replace(/\\/g, '/')}`.endsWith(`/${file}`)) continue;
    if (use.ref && pushedTag(withProjectVariables(use.ref, build)) !== 'latest') continue;
    const by = `${use.by} (project ${ctx.name(build)})`;
    if (!out.some((w) => 'uri' in w && w.uri === use.uri)) out.push({ uri: use.uri, range: use.range, message: `${by} pushes the latest tag`, by });
  }
  return out;
}

/** A build spec's text with the project's literal environment variables (`$IMAGE_TAG`, `${IMAGE_TAG}`) put in. */
function withProjectVariables<T extends string | undefined>(text: T, build: Resource): T {
  if (!text) return text;
  const vars = new Map<string, string>();
  for (const v of items(at(build.properties, 'Environment', 'EnvironmentVariables'))) {
    const name = literal(get(v, 'Name'));
    const value = literal(get(v, 'Value'));
    if (name && value !== undefined && (literal(get(v, 'Type')) ?? 'PLAINTEXT') === 'PLAINTEXT') vars.set(name, value);
  }
  return withVariables(text, vars) as T;
}

/** The tags of a literal `ArchImageTags` JSON object, valid tags only. */
function archTags(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
    return Object.values(value).filter((t): t is string => typeof t === 'string' && TAG.test(t));
  } catch {
    return [];
  }
}

/** True when a repository keeps every image (no `LifecyclePolicy`). */
export function lifecycleGap(repo: Resource): boolean {
  return !hasProperty(repo, 'LifecyclePolicy');
}

/** The settings the combined quick fix (`ecr-repository-settings`) applies to a repository. */
export interface RepositorySettings {
  scan?: boolean;
  /** `IMMUTABLE`, or the tags to keep mutable under `IMMUTABLE_WITH_EXCLUSION`. */
  tags?: 'IMMUTABLE' | string[];
  lifecycle?: boolean;
}

/**
 * What a repository lacks among the three settings, when it lacks at least two (a finding of each rule then
 * offers the fix that applies them all); undefined otherwise.
 */
export function missingSettings(ctx: RepositoryContext, repo: Resource): RepositorySettings | undefined {
  const out: RepositorySettings = {};
  if (scanGap(ctx.template, ctx.environment, repo)) out.scan = true;
  const tags = tagsGap(ctx, repo);
  if (tags) out.tags = tags.movingTags.length ? tags.movingTags : 'IMMUTABLE';
  if (lifecycleGap(repo)) out.lifecycle = true;
  return Object.keys(out).length >= 2 ? out : undefined;
}

/** The data a repository finding carries: its own fix kind, and the combined one when two or more settings are missing. */
export function repositoryFixData(ctx: RepositoryContext, repo: Resource, fix: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const settings = missingSettings(ctx, repo);
  return { fix, resource: repo.id, ...extra, ...(settings ? { alsoFix: 'ecr-repository-settings', settings } : {}) };
}
