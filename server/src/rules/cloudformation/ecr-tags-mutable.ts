// ECR repositories whose tags can be overwritten.
import { pair } from '../../documents/nodes';
import { branches, literalValues } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import { suppressedByOtherLinter } from '../acknowledged';
import { repositories } from '../ecr';

export default defineRule({
  meta: {
    id: 'ecr-tags-mutable',
    title: 'ECR repository allows image tags to be overwritten',
    severity: 'info',
    kb: 'ecr',
    appliesTo: ['cloudformation'],
    fixes: ['immutable-tags'],
    description:
      'Amazon ECR versions images through tags. With `ImageTagMutability: MUTABLE` (the default), pushing again under a tag such as `v1.2.0` silently moves it to another image, so the same task definition or manifest can start different code from one deployment to the next. `IMMUTABLE` prevents a tag from being overwritten, so a deployed tag always means the same image.',
    fix: 'Set `ImageTagMutability: IMMUTABLE` on the repository and push every build under a new tag (a version or commit id). If a moving tag such as `latest` is really needed, use `IMMUTABLE_WITH_EXCLUSION` with an exclusion filter for just that tag.',
    messages: {
      mutable: 'ECR repository {{repository}} lets image tags be overwritten (ImageTagMutability is MUTABLE): set it to IMMUTABLE so a deployed tag always means the same image.',
      mutableByDefault: 'ECR repository {{repository}} lets image tags be overwritten (ImageTagMutability defaults to MUTABLE): set it to IMMUTABLE so a deployed tag always means the same image.',
    },
    example: {
      fires: 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n',
      fixed: 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n      ImageTagMutability: IMMUTABLE\n',
    },
  },
  check(ctx) {
    for (const repo of repositories(ctx.template)) {
      // A documented exception for Checkov's equivalent check (e.g. a deliberately moving `latest` tag).
      if (suppressedByOtherLinter(repo, ['CKV_AWS_51'])) continue;
      const mutability = pair(repo.properties, 'ImageTagMutability');
      const set = mutability && branches(mutability.value).length > 0;
      if (set) {
        const values = literalValues(mutability.value);
        // Unknown (a parameter), or immutable in some branch: stay quiet.
        if (!values || !values.every((v) => v.toUpperCase() === 'MUTABLE')) continue;
      }
      ctx.report({
        node: set ? mutability.value : repo.key,
        messageId: set ? 'mutable' : 'mutableByDefault', values: { repository: ctx.name(repo) },
        data: { fix: 'immutable-tags', resource: repo.id },
      });
    }
  },
});
