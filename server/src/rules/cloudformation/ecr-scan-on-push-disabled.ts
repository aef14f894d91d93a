// ECR repositories whose pushed images nothing scans: neither registry-level scanning (declared in the
// environment, or an AWS::ECR::RegistryScanningConfiguration of the template) nor the repository's scan on push.
import { defineRule } from '../../engine/rule';
import { repositories, repositoryFixData, scanGap } from '../ecr';
import { isCdk } from '../ecs';

export default defineRule({
  meta: {
    id: 'ecr-scan-on-push-disabled',
    title: 'ECR repository does not scan images on push',
    severity: 'info',
    kb: 'ecr',
    appliesTo: ['cloudformation'],
    fixes: ['scan-on-push', 'ecr-repository-settings'],
    description:
      'Amazon ECR can scan images for vulnerabilities. The current way is **registry-level scanning**: an `AWS::ECR::RegistryScanningConfiguration` (once per account and Region) with basic scan-on-push rules, or **enhanced scanning** with Amazon Inspector, which also rescans images continuously as new vulnerabilities are published. `ImageScanningConfiguration.ScanOnPush` on an `AWS::ECR::Repository` is the older repository-level form of basic scanning: it still works, but AWS is deprecating repository-level scan settings in favour of the registry configuration. The rule stays quiet when the template (or, through `.kbhints.yaml`, the environment) has registry-level scanning.',
    fix: 'Configure scanning for the registry: an `AWS::ECR::RegistryScanningConfiguration` with `ScanType: ENHANCED` (or `BASIC`) and a rule whose repository filter matches this repository (often in a separate account-level stack; declare it in `.kbhints.yaml` under `environment: ecr: registryScanning: true`). Or, for just this repository, set `ImageScanningConfiguration: { ScanOnPush: true }` (`imageScanOnPush: true` in CDK).',
    messages: {
      scanOnPushOff: 'ECR repository {{repository}}: no registry-level scanning or scan on push covers its images',
    },
    details: {
      scanOnPushOff:
        'Nothing in the template scans images pushed to this repository. Prefer registry-level scanning, {{registry}} with enhanced scanning (Amazon Inspector) covering this repository; if it is managed elsewhere, say so in `.kbhints.yaml` (`environment: ecr: registryScanning: true`). For this repository alone, {{repositoryLevel}} turns on basic scan on push (an older setting AWS is moving to the registry).',
    },
    example: {
      fires: 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n',
      fixed: 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n      ImageScanningConfiguration:\n        ScanOnPush: true\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const repositoryLevel = isCdk(ctx) ? '`imageScanOnPush: true`' : '`ImageScanningConfiguration.ScanOnPush: true`';
    const registry = isCdk(ctx) ? 'an `ecr.CfnRegistryScanningConfiguration` (once per account and Region)' : 'an `AWS::ECR::RegistryScanningConfiguration`';
    for (const repo of repositories(tpl)) {
      const gap = scanGap(tpl, ctx.environment, repo);
      if (!gap) continue;
      ctx.report({
        node: gap.off ?? repo.key,
        messageId: 'scanOnPushOff', values: { repository: ctx.name(repo), repositoryLevel, registry },
        data: repositoryFixData(ctx, repo, 'scan-on-push'),
      });
    }
  },
});
