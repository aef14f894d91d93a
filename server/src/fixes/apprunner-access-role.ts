// apprunner-ecr-access-role-missing: the access role App Runner assumes to pull a private ECR image, a new
// `AWS::IAM::Role` trusted by build.apprunner.amazonaws.com with AWSAppRunnerServicePolicyForECRAccess
// (inserted right after the service), or an existing access role of the template.
import { getAtt } from './edit';
import { freeId, insertResourcesAfter, serviceRole, stem, trustsService } from './resources';
import { defineFix, findingResource, setProperties, type Fix } from './types';

const APP_RUNNER_SERVICE = 'AWS::AppRunner::Service';
const APP_RUNNER_BUILD = 'build.apprunner.amazonaws.com';
export const ECR_ACCESS_POLICY = 'service-role/AWSAppRunnerServicePolicyForECRAccess';
const PATH = ['SourceConfiguration', 'AuthenticationConfiguration'];

export const apprunnerAccessRole = defineFix<{ resource: string }>({
  id: 'apprunner-access-role',
  summary: 'sets `SourceConfiguration.AuthenticationConfiguration.AccessRoleArn` to a new `AWS::IAM::Role` trusted by `build.apprunner.amazonaws.com` with the `AWSAppRunnerServicePolicyForECRAccess` managed policy (inserted after the service), or to an existing access role of the template.',
  provide(ctx) {
    const tpl = ctx.template;
    const svc = findingResource(ctx, APP_RUNNER_SERVICE);
    if (!tpl || !svc) return [];
    const fixes: Fix[] = [];
    const name = freeId(tpl, `${stem(svc.id, /Service$/)}AccessRole`);
    const property = setProperties(ctx, svc, PATH, [['AccessRoleArn', getAtt(name, 'Arn')]]);
    const role = insertResourcesAfter(ctx, svc, [[name, serviceRole(APP_RUNNER_BUILD, [ECR_ACCESS_POLICY])]]);
    if (property.length && role) fixes.push({ title: `Add an ECR access role: new IAM role ${name} (AWSAppRunnerServicePolicyForECRAccess) for ${svc.id}`, preferred: true, edits: [...property, role] });
    // Access roles only let App Runner pull images: one can serve several services.
    for (const existing of tpl.byType('AWS::IAM::Role').filter((r) => trustsService(r, APP_RUNNER_BUILD))) {
      const edits = setProperties(ctx, svc, PATH, [['AccessRoleArn', getAtt(existing.id, 'Arn')]]);
      if (edits.length) fixes.push({ title: `Use the existing role ${existing.id} as the ECR access role of ${svc.id}`, edits });
    }
    return fixes;
  },
});
