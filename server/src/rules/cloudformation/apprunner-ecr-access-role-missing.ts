// App Runner services that pull a private ECR image without an access role.
import { get } from '../../documents/nodes';
import { branches, intrinsic, literalValues } from '../../model/intrinsics';
import { defineRule } from '../../engine/rule';
import { APP_RUNNER_SERVICE, follow, imageRepositoryTypes } from '../apprunner';
import { spell } from '../ecs';

export default defineRule({
  meta: {
    id: 'apprunner-ecr-access-role-missing',
    title: 'App Runner service pulls from private ECR without an access role',
    severity: 'error',
    kb: 'app-runner',
    appliesTo: ['cloudformation'],
    fixes: ['apprunner-access-role'],
    description:
      'An `AWS::AppRunner::Service` whose `ImageRepository` has `ImageRepositoryType: ECR` pulls a **private** Amazon ECR image, and App Runner needs `SourceConfiguration.AuthenticationConfiguration.AccessRoleArn`: a role it assumes to pull the image. Without it the service cannot be created. Public images (`ECR_PUBLIC`) need no access role, and the access role is not the instance role the application uses for its own AWS calls (`InstanceConfiguration.InstanceRoleArn`).\n\nApp Runner is closed to new customers since 30 April 2026: accounts that already use it keep running and creating services, and AWS keeps it available but adds no features. For new services AWS recommends Amazon ECS Express Mode (a Fargate service with an ALB, HTTPS and auto scaling, from an image, a task execution role and an infrastructure role). In ECS Express Mode the task execution role takes the access role\'s place.',
    fix: 'Add an `AWS::IAM::Role` trusted by `build.apprunner.amazonaws.com` with the managed policy `service-role/AWSAppRunnerServicePolicyForECRAccess`, and set `SourceConfiguration.AuthenticationConfiguration.AccessRoleArn: !GetAtt AccessRole.Arn`.',
    messages: {
      noAccessRole: 'App Runner service {{service}} pulls a private ECR image but has no access role to pull it with',
    },
    details: {
      noAccessRole: 'An ImageRepositoryType ECR source needs {{accessRole}}: a role trusted by build.apprunner.amazonaws.com with the managed policy AWSAppRunnerServicePolicyForECRAccess; without it the service cannot be created. (ECR_PUBLIC images need none; the instance role is for the application\'s own AWS calls.) App Runner is closed to new customers since 30 April 2026: accounts that already use it keep running and creating services, and AWS keeps it available but adds no features. For new services AWS recommends Amazon ECS Express Mode (a Fargate service with an ALB, HTTPS and auto scaling, from an image, a task execution role and an infrastructure role).',
    },
    example: {
      fires:
        'Resources:\n  Service:\n    Type: AWS::AppRunner::Service\n    Properties:\n      SourceConfiguration:\n        ImageRepository:\n          ImageIdentifier: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0\n          ImageRepositoryType: ECR\n',
      fixed:
        'Resources:\n  Service:\n    Type: AWS::AppRunner::Service\n    Properties:\n      SourceConfiguration:\n        AuthenticationConfiguration:\n          AccessRoleArn: !GetAtt AccessRole.Arn\n        ImageRepository:\n          ImageIdentifier: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0\n          ImageRepositoryType: ECR\n',
    },
  },
  check(ctx) {
    for (const svc of ctx.template.byType(APP_RUNNER_SERVICE)) {
      const sources = follow(svc.properties, 'SourceConfiguration');
      // A source that cannot be read (a parameter) may well carry the role.
      if (branches(get(svc.properties, 'SourceConfiguration')).length !== sources.length) continue;
      const hasRole = sources.some((s) => {
        const auth = branches(get(s, 'AuthenticationConfiguration'));
        // An intrinsic in place of the whole block cannot be read: assume it has the role.
        return auth.some((a) => a.kind !== 'map' || !!intrinsic(a) || branches(get(a, 'AccessRoleArn')).length > 0);
      });
      if (hasRole) continue;
      for (const type of imageRepositoryTypes(svc)) {
        if (!literalValues(type.value)?.some((v) => v.toUpperCase() === 'ECR')) continue;
        ctx.report({
          node: type.value,
          messageId: 'noAccessRole', values: { service: ctx.name(svc), accessRole: spell(ctx, 'SourceConfiguration.AuthenticationConfiguration.AccessRoleArn', 'sourceConfiguration.authenticationConfiguration.accessRoleArn') },
          data: { fix: 'apprunner-access-role', resource: svc.id },
        });
      }
    }
  },
});
