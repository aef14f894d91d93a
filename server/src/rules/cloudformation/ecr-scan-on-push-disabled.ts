// ECR repositories that do not scan images when they are pushed.
import { asMap, get, pair, type Node } from '../../documents/nodes';
import { branches, intrinsic, literalValues } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import { suppressedByOtherLinter } from '../acknowledged';
import { REGISTRY_SCANNING, repositories } from '../ecr';

/** The same check in cfn_nag and Checkov. */
const EQUIVALENT_CHECKS = ['W79', 'CKV_AWS_163'];

export default defineRule({
  meta: {
    id: 'ecr-scan-on-push-disabled',
    title: 'ECR repository does not scan images on push',
    severity: 'warning',
    kb: 'ecr',
    appliesTo: ['cloudformation'],
    fixes: ['scan-on-push'],
    description:
      'Amazon ECR can scan images for vulnerabilities. On an `AWS::ECR::Repository`, `ImageScanningConfiguration` with `ScanOnPush: true` runs basic scanning on every push, so a vulnerable image is flagged before it is deployed; the default is off. Registry-wide rules and enhanced scanning (Amazon Inspector) are set instead with `AWS::ECR::RegistryScanningConfiguration`.',
    fix: 'Set `ImageScanningConfiguration: { ScanOnPush: true }` on the repository, or configure scanning for the whole registry with an `AWS::ECR::RegistryScanningConfiguration` (basic or enhanced scanning).',
    messages: {
      scanOnPushOff: 'ECR repository {{repository}} does not scan images on push: set ImageScanningConfiguration.ScanOnPush to true (or configure registry-wide scanning with AWS::ECR::RegistryScanningConfiguration) so vulnerable images are flagged when they are pushed.',
    },
    example: {
      fires: 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n',
      fixed: 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n      ImageScanningConfiguration:\n        ScanOnPush: true\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    // Registry-wide scanning covers every repository.
    if (tpl.byType(REGISTRY_SCANNING).length) return;
    repos: for (const repo of repositories(tpl)) {
      // Suppressed for cfn_nag or Checkov: usually because scanning is set for the registry elsewhere.
      if (suppressedByOtherLinter(repo, EQUIVALENT_CHECKS)) continue;
      let off: Node | undefined;
      for (const config of branches(get(repo.properties, 'ImageScanningConfiguration'))) {
        const map = asMap(config);
        if (!map || intrinsic(map)) continue repos; // a parameter or an import: unknown
        const scan = pair(map, 'ScanOnPush');
        if (!scan) continue; // off by default
        const values = literalValues(scan.value);
        if (!values) continue repos;
        if (values.some((v) => v.toLowerCase() === 'true')) continue repos;
        if (values.length) off ??= scan.value;
      }
      ctx.report({
        node: off ?? repo.key,
        messageId: 'scanOnPushOff', values: { repository: ctx.name(repo) },
        data: { fix: 'scan-on-push', resource: repo.id },
      });
    }
  },
});
