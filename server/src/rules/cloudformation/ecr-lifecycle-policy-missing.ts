// ECR repositories that keep every image forever.
import { defineRule } from '../../engine/rule';
import { hasProperty } from '../ecs';
import { repositories } from '../ecr';

export default defineRule({
  meta: {
    id: 'ecr-lifecycle-policy-missing',
    title: 'ECR repository has no lifecycle policy',
    severity: 'info',
    kb: 'ecr',
    appliesTo: ['cloudformation'],
    fixes: ['lifecycle-policy'],
    description:
      'Amazon ECR supports lifecycle management of old images. Without a `LifecyclePolicy`, every image pushed to an `AWS::ECR::Repository` (each CI build, every untagged layer set left behind by a re-tag) is kept forever and its storage is billed. A `LifecyclePolicy` with a JSON `LifecyclePolicyText` whose rules expire untagged images or keep only the newest N controls that cost.',
    fix: 'Add `LifecyclePolicy.LifecyclePolicyText` with rules such as "expire untagged images after 14 days" (`tagStatus: untagged`, `countType: sinceImagePushed`) and "keep the newest 50 images" (`countType: imageCountMoreThan`).',
    messages: {
      noLifecyclePolicy: 'ECR repository {{repository}} has no LifecyclePolicy, so every image pushed to it is kept and billed: add lifecycle rules that expire untagged images or keep only the newest N.',
    },
    example: {
      fires: 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n',
      fixed:
        'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n      LifecyclePolicy:\n        LifecyclePolicyText: \'{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}\'\n',
    },
  },
  check(ctx) {
    for (const repo of repositories(ctx.template)) {
      if (hasProperty(repo, 'LifecyclePolicy')) continue;
      ctx.report({
        node: repo.key,
        messageId: 'noLifecyclePolicy', values: { repository: ctx.name(repo) },
        data: { fix: 'lifecycle-policy', resource: repo.id },
      });
    }
  },
});
