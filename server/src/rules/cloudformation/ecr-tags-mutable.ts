// ECR repositories whose tags can be overwritten; where deployments move a tag (this template, or a task
// definition or workload elsewhere in the workspace that runs `latest`), the advice is
// IMMUTABLE_WITH_EXCLUSION for just that tag.
import { defineRule } from '../../engine/rule';
import { repositories, repositoryFixData, tagsGap } from '../ecr';
import { isCdk } from '../ecs';

export default defineRule({
  meta: {
    id: 'ecr-tags-mutable',
    title: 'ECR repository allows image tags to be overwritten',
    severity: 'info',
    kb: 'ecr',
    appliesTo: ['cloudformation'],
    fixes: ['immutable-tags', 'ecr-repository-settings'],
    description:
      'Amazon ECR versions images through tags. With `ImageTagMutability: MUTABLE` (the default), pushing again under a tag such as `v1.2.0` silently moves it to another image, so the same task definition or manifest can start different code from one deployment to the next. `IMMUTABLE` prevents a tag from being overwritten, so a deployed tag always means the same image. `IMMUTABLE_WITH_EXCLUSION` keeps every tag immutable except those matching `ImageTagMutabilityExclusionFilters` (e.g. `latest`), and `MUTABLE_WITH_EXCLUSION` protects only the matching tags: both are deliberate choices the rule leaves alone. When the same template writes a tag again and again (an image deployment custom resource, a task definition that runs `<repository>:latest`), plain `IMMUTABLE` would make the next push of that tag fail, so the advice is `IMMUTABLE_WITH_EXCLUSION` for that tag. A CodeBuild project that names the repository and whose build spec pushes `latest` counts as well: an inline spec, or a build spec file of the workspace at the project\'s `BuildSpec` path (`buildspec.yml` when it has none). The tag may be written out, set by the spec\'s own variables, or by a plain-text environment variable of the project such as `IMAGE_TAG=latest`. A build spec file or a GitHub Actions workflow (in `.github/workflows/`, through `run` scripts or `docker/build-push-action`, with the registry of `aws-actions/amazon-ecr-login`) that pushes `<account>.dkr.ecr.<region>.amazonaws.com/<RepositoryName>:latest` counts with no project. So does an EC2 instance, launch template or launch configuration whose user data pushes `latest` into it, an App Runner service that deploys the repository\'s `latest` tag, and a task definition image built from the parameter that names the repository (in this template, or in a template in the same folder whose parameter has the same name). Task definitions, App Runner services and Kubernetes workloads in other files of the workspace that run `<account>.dkr.ecr.<region>.amazonaws.com/<RepositoryName>:latest` (or the image untagged) count too, for a repository whose `RepositoryName` is written out.',
    fix: 'Set `ImageTagMutability: IMMUTABLE` on the repository (`imageTagMutability: ecr.TagMutability.IMMUTABLE` in CDK) and push every build under a new tag (a version or commit id). If a moving tag such as `latest` is really needed, use `IMMUTABLE_WITH_EXCLUSION` with an `ImageTagMutabilityExclusionFilters` entry (`ImageTagMutabilityExclusionFilterType: WILDCARD`, `ImageTagMutabilityExclusionFilterValue: latest`) for just that tag.',
    messages: {
      mutable: 'ECR repository {{repository}} lets image tags be overwritten: set {{property}} to IMMUTABLE',
      mutableByDefault: 'ECR repository {{repository}} has mutable image tags (the default): set {{property}}',
      movingTag: 'ECR repository {{repository}} has mutable tags; keep {{tags}} movable with IMMUTABLE_WITH_EXCLUSION',
    },
    details: {
      mutable: 'With MUTABLE tags, pushing again under a tag such as `v1.2.0` silently moves it to another image, so one task definition can start different code from one deployment to the next. Set {{property}} to {{immutable}} and push each build under a new tag.',
      mutableByDefault: 'The repository leaves `{{property}}` at its default, MUTABLE: pushing again under a tag such as `v1.2.0` silently moves it to another image. Set it to {{immutable}} and push each build under a new tag.',
      movingTag: 'Each push of {{tags}} replaces the image under the same tag (it is written or run by {{writers}}), so plain IMMUTABLE would make the next push of {{thoseTags}} fail. {{withExclusion}} keeps every other tag immutable.',
    },
    example: {
      fires: 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n',
      fixed: 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n      ImageTagMutability: IMMUTABLE\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const cdk = isCdk(ctx);
    const property = cdk ? 'imageTagMutability' : 'ImageTagMutability';
    const immutable = cdk ? '`ecr.TagMutability.IMMUTABLE`' : '`IMMUTABLE`';
    for (const repo of repositories(tpl)) {
      const gap = tagsGap(ctx, repo);
      if (!gap) continue;
      const node = gap.value ?? repo.key;
      if (gap.movingTags.length) {
        const tags = gap.movingTags.join(', ');
        const withExclusion = cdk
          ? `\`imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION\` with \`imageTagMutabilityExclusionFilters: [${gap.movingTags.map((t) => `ecr.ImageTagMutabilityExclusionFilter.wildcard('${t}')`).join(', ')}]\` (aws-cdk-lib 2.221.0 or later; before it, an \`addPropertyOverride\` on \`repository.node.defaultChild\`)`
          : `\`ImageTagMutability: IMMUTABLE_WITH_EXCLUSION\` with an \`ImageTagMutabilityExclusionFilters\` entry (WILDCARD) for ${tags}`;
        ctx.report({
          node,
          messageId: 'movingTag',
          values: { repository: ctx.name(repo), tags, writers: [...new Set(gap.writers.map((w) => w.by))].join(', '), withExclusion, thoseTags: gap.movingTags.length === 1 ? 'that tag' : 'those tags' },
          related: gap.writers.map(({ by: _, ...related }) => related),
          data: repositoryFixData(ctx, repo, 'immutable-tags', { exclude: gap.movingTags }),
        });
        continue;
      }
      ctx.report({
        node,
        messageId: gap.value ? 'mutable' : 'mutableByDefault',
        values: { repository: ctx.name(repo), property, immutable },
        data: repositoryFixData(ctx, repo, 'immutable-tags'),
      });
    }
  },
});
