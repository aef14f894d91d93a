// ECR repository settings: scan on push, immutable tags, a lifecycle policy for untagged images.
// One fix kind each, and one that applies every missing setting of a repository at once; all edit the
// repository's Properties.
import { asMap, get } from '../documents/nodes';
import { Multiline, type TextEdit, type Value } from './edit';
import { defineFix, findingResource, setProperties, text, type FixContext, type Fix } from './types';

const REPOSITORY = 'AWS::ECR::Repository';
export const UNTAGGED_DAYS = 14;

type RepositoryData = { resource: string };

/** `ecr-scan-on-push-disabled`: `ImageScanningConfiguration.ScanOnPush: true`. */
export const scanOnPush = defineFix<RepositoryData>({
  id: 'scan-on-push',
  summary: 'sets `ImageScanningConfiguration.ScanOnPush: true`.',
  provide(ctx) {
    const repo = findingResource(ctx, REPOSITORY);
    if (!repo) return [];
    const edits = setProperties(ctx, repo, ['ImageScanningConfiguration'], [['ScanOnPush', true]]);
    return edits.length ? [{ title: `Scan images on push (ImageScanningConfiguration.ScanOnPush: true) on ${repo.id}`, preferred: true, edits }] : [];
  },
});

/** Tags a finding asks to keep mutable (`data.exclude`), valid ECR wildcard filters only. */
function excludedTags(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((t): t is string => typeof text(t) === 'string' && /^[0-9a-zA-Z._*-]{1,128}$/.test(t)) : [];
}

/** `ImageTagMutability: IMMUTABLE`, or `IMMUTABLE_WITH_EXCLUSION` with a WILDCARD filter per excluded tag. */
function mutabilityEntries(exclude: string[]): Array<[string, Value]> {
  if (!exclude.length) return [['ImageTagMutability', 'IMMUTABLE']];
  return [
    ['ImageTagMutability', 'IMMUTABLE_WITH_EXCLUSION'],
    ['ImageTagMutabilityExclusionFilters', exclude.map((t) => ({ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: t }))],
  ];
}

/** `ecr-tags-mutable`: `ImageTagMutability: IMMUTABLE` (with exclusions for the tags the template moves). */
export const immutableTags = defineFix<RepositoryData & { exclude: string[] }>({
  id: 'immutable-tags',
  summary: 'sets `ImageTagMutability: IMMUTABLE`, or `IMMUTABLE_WITH_EXCLUSION` with an exclusion filter for each tag deployments move (such as a `latest` that a task definition or workload of the workspace runs).',
  provide(ctx) {
    const repo = findingResource(ctx, REPOSITORY);
    if (!repo) return [];
    const exclude = excludedTags(ctx.data.exclude);
    const edits = setProperties(ctx, repo, [], mutabilityEntries(exclude));
    const title = exclude.length
      ? `Make image tags immutable except ${exclude.join(', ')} (IMMUTABLE_WITH_EXCLUSION) on ${repo.id}`
      : `Make image tags immutable (ImageTagMutability: IMMUTABLE) on ${repo.id}`;
    return edits.length ? [{ title, preferred: true, edits }] : [];
  },
});

/** The lifecycle policy text: expire untagged images `days` after they were pushed. */
export function untaggedPolicy(days = UNTAGGED_DAYS): object {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${days} days`,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: days },
        action: { type: 'expire' },
      },
    ],
  };
}

/** `ecr-lifecycle-policy-missing`: a `LifecyclePolicy` whose text expires untagged images after 14 days. */
export const lifecyclePolicy = defineFix<RepositoryData>({
  id: 'lifecycle-policy',
  summary: `adds a \`LifecyclePolicy\` that expires untagged images ${UNTAGGED_DAYS} days after they were pushed.`,
  provide(ctx) {
    const repo = findingResource(ctx, REPOSITORY);
    if (!repo) return [];
    // An existing policy text holds the user's rules: never overwrite it.
    if (get(get(repo.properties, 'LifecyclePolicy'), 'LifecyclePolicyText')) return [];
    const policy = untaggedPolicy();
    const text = new Multiline(JSON.stringify(policy, null, 2) + '\n', JSON.stringify(policy));
    const edits = setProperties(ctx, repo, ['LifecyclePolicy'], [['LifecyclePolicyText', text]]);
    return edits.length ? [{ title: `Add a lifecycle policy to ${repo.id} that expires untagged images after ${UNTAGGED_DAYS} days`, preferred: true, edits }] : [];
  },
});

function lifecyclePolicyValue(): Multiline {
  const policy = untaggedPolicy();
  return new Multiline(JSON.stringify(policy, null, 2) + '\n', JSON.stringify(policy));
}

/**
 * All three ECR settings a repository lacks, in one edit: the findings of ecr-scan-on-push-disabled,
 * ecr-tags-mutable and ecr-lifecycle-policy-missing offer it (`data.alsoFix`) when a repository lacks two or
 * more; `data.settings` says which (`scan`, `tags`: `IMMUTABLE` or the tags to keep mutable, `lifecycle`).
 */
export const ecrRepositorySettings = defineFix<RepositoryData & { settings: unknown }>({
  id: 'ecr-repository-settings',
  summary: 'applies every ECR setting the repository lacks at once: `ImageScanningConfiguration.ScanOnPush: true`, immutable tags (with exclusions for the tags deployments move) and a lifecycle policy that expires untagged images.',
  provide(ctx: FixContext<RepositoryData & { settings: unknown }>): Fix[] {
    const repo = findingResource(ctx, REPOSITORY);
    const settings = ctx.data.settings && typeof ctx.data.settings === 'object' ? (ctx.data.settings as Record<string, unknown>) : undefined;
    if (!repo || !settings) return [];
    const top: Array<[string, Value]> = [];
    const edits: TextEdit[] = [];
    const done: string[] = [];
    if (settings.tags !== undefined) {
      const excluded = settings.tags === 'IMMUTABLE' ? [] : excludedTags(settings.tags);
      top.push(...mutabilityEntries(excluded));
      done.push(excluded.length ? `immutable tags except ${excluded.join(', ')}` : 'immutable tags');
    }
    if (settings.lifecycle === true && !get(get(repo.properties, 'LifecyclePolicy'), 'LifecyclePolicyText')) {
      top.push(['LifecyclePolicy', { LifecyclePolicyText: lifecyclePolicyValue() }]);
      done.push('a lifecycle policy');
    }
    if (settings.scan === true) {
      const existing = asMap(get(repo.properties, 'ImageScanningConfiguration'));
      if (existing) {
        const nested = setProperties(ctx, repo, ['ImageScanningConfiguration'], [['ScanOnPush', true]]);
        if (!nested.length) return [];
        edits.push(...nested);
      } else top.push(['ImageScanningConfiguration', { ScanOnPush: true }]);
      done.push('scan on push');
    }
    if (done.length < 2) return [];
    if (top.length) {
      const more = setProperties(ctx, repo, [], top);
      if (!more.length) return [];
      edits.push(...more);
    }
    return [{ title: `Apply all missing ECR settings to ${repo.id}: ${done.join(', ')}`, edits }];
  },
});
