// ECR repositories that keep every image forever.
import { defineRule } from '../../engine/rule';
import { isCdk } from '../ecs';
import { lifecycleGap, repositories, repositoryFixData } from '../ecr';

export default defineRule({
  meta: {
    id: 'ecr-lifecycle-policy-missing',
    title: 'ECR repository has no lifecycle policy',
    severity: 'info',
    kb: 'ecr',
    appliesTo: ['cloudformation'],
    fixes: ['lifecycle-policy', 'ecr-repository-settings'],
    description:
      'Amazon ECR supports lifecycle management of old images. Without a `LifecyclePolicy`, every image pushed to an `AWS::ECR::Repository` (each CI build, every untagged layer set left behind by a re-tag) is kept forever and its storage is billed. A `LifecyclePolicy` with a JSON `LifecyclePolicyText` whose rules expire untagged images or keep only the newest N controls that cost.',
    fix: 'Add `LifecyclePolicy.LifecyclePolicyText` with rules such as "expire untagged images after 14 days" (`tagStatus: untagged`, `countType: sinceImagePushed`) and "keep the newest 50 images" (`countType: imageCountMoreThan`).',
    messages: {
      noLifecyclePolicy: 'ECR repository {{repository}} has no {{property}}: every pushed image is kept and billed',
    },
    details: {
      noLifecyclePolicy: 'Without lifecycle rules every image pushed (each CI build, every untagged image left behind by a re-tag) is kept and its storage billed. Add {{how}} that expire untagged images after some days or keep only the newest N.',
    },
    example: {
      fires: 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n',
      fixed:
        'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n      LifecyclePolicy:\n        LifecyclePolicyText: \'{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}\'\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const cdk = isCdk(ctx);
    const property = cdk ? 'lifecycleRules' : 'LifecyclePolicy';
    const how = cdk ? '`lifecycleRules` (or `repository.addLifecycleRule()`)' : 'a `LifecyclePolicy.LifecyclePolicyText` with rules';
    for (const repo of repositories(tpl)) {
      if (!lifecycleGap(repo)) continue;
      ctx.report({
        node: repo.key,
        messageId: 'noLifecyclePolicy', values: { repository: ctx.name(repo), property, how },
        data: repositoryFixData(ctx, repo, 'lifecycle-policy'),
      });
    }
  },
});
