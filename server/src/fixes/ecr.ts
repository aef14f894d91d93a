// ECR repository settings: scan on push, immutable tags, a lifecycle policy for untagged images.
// One fix kind each; all edit the repository's Properties.
import { get } from '../documents/nodes';
import { Multiline } from './edit';
import { defineFix, findingResource, setProperties } from './types';

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

/** `ecr-tags-mutable`: `ImageTagMutability: IMMUTABLE`. */
export const immutableTags = defineFix<RepositoryData>({
  id: 'immutable-tags',
  summary: 'sets `ImageTagMutability: IMMUTABLE`.',
  provide(ctx) {
    const repo = findingResource(ctx, REPOSITORY);
    if (!repo) return [];
    const edits = setProperties(ctx, repo, [], [['ImageTagMutability', 'IMMUTABLE']]);
    return edits.length ? [{ title: `Make image tags immutable (ImageTagMutability: IMMUTABLE) on ${repo.id}`, preferred: true, edits }] : [];
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
