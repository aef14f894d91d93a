// Task definitions without a task role of their own; the severity follows the risk.
import { asSeq, get, isNull, pair } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { isNoValue, literal, literalValues } from '../../model/intrinsics';
import type { Resource, Template } from '../../model/template';
import { awsCallSigns, canUseHostCredentials, compatibilities, compatibilitiesIn, hasProperty, pick, resourceCondition, runsWindows, scenarios, isCdk, missingExecutionRole, publicImages, spell, TASK_DEFINITION } from '../ecs';
import { listed } from '../words';

/** Why the task runs on EC2 capacity, for the detail. */
function ec2Reason(td: Resource, requires: string): string {
  const mode = literal(get(td.properties, 'NetworkMode'));
  const compat = compatibilities(td) ?? [];
  const network = mode ? `, network mode ${mode}` : '';
  if (!compat.length) return `no ${requires}, so it is an EC2 task definition${network}`;
  // Under Fn::If the launch types are alternatives: EC2 is one of them, not listed beside the others.
  const plain = asSeq(get(td.properties, 'RequiresCompatibilities'))?.items.every((i) => literal(i) !== undefined);
  const ec2 = compat.filter((c) => c === 'EC2').join(' or ');
  return plain ? `it lists ${compat.join(', ')}${network}` : `its ${requires} can be ${ec2}, depending on a condition${network}`;
}

/** The network modes whose containers' access to instance metadata is blocked differently. */
const MODES = ['awsvpc', 'bridge', 'host'] as const;
type Mode = (typeof MODES)[number];

/**
 * The network modes the task definition can have where it runs on EC2, as far as blocking
 * goes: `bridge` when unset (the Linux default), each branch of an `Fn::If` that goes with an EC2 launch type
 * (an `!If [Fargate, awsvpc, bridge]` on EC2 is `bridge`); all of them when unknown (a parameter, a value no
 * block applies to).
 */
function networkModes(tpl: Template, td: Resource): readonly Mode[] {
  const node = get(td.properties, 'NetworkMode');
  if (!node) return ['bridge'];
  const values = new Set<string>();
  for (const s of scenarios(tpl, [node, get(td.properties, 'RequiresCompatibilities')], [resourceCondition(td)]) ?? [new Map()]) {
    const compat = compatibilitiesIn(td, s);
    if (compat?.length && !compat.includes('EC2')) continue;
    const picked = pick(node, s);
    // `AWS::NoValue` in this scenario: the default, bridge.
    for (const v of picked && isNoValue(picked) ? ['bridge'] : (literalValues(picked) ?? ['unknown'])) values.add(v);
  }
  const known = MODES.filter((m) => values.has(m));
  return known.length && known.length === values.size ? known : MODES;
}

/** What blocks containers' access to instance metadata, per network mode. */
const BLOCK: Record<Exclude<Mode, 'host'>, string> = {
  awsvpc: 'set `ECS_AWSVPC_BLOCK_IMDS=true` in `/etc/ecs/ecs.config` on the container instances',
  bridge: 'add an iptables rule on the instances that drops traffic from the Docker bridge to `169.254.169.254` (in the `DOCKER-USER` chain, in place before Docker starts), or require IMDSv2 with a hop limit of 1',
};
/** In `host` mode nothing does. */
const HOST = "cannot be blocked (the containers share the instance's network, which the ECS agent needs): run the task in `awsvpc` or `bridge` mode, or keep the instance role down to what the ECS agent needs (a task role in `host` mode also needs `ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=true` in the agent configuration)";

/** How to keep this task's containers away from instance metadata, for the detail. */
function metadataBlock(modes: readonly Mode[]): string {
  const [mode] = modes;
  if (modes.length > 1) return `To block the containers' access to instance metadata: ${modes.map((m) => (m === 'host' ? `in \`host\` mode it ${HOST}` : `in \`${m}\` mode, ${BLOCK[m]}`)).join('; ')}.`;
  if (mode === 'host') return `In \`host\` mode the containers' access to instance metadata ${HOST}.`;
  return `To block the containers' access to instance metadata in \`${mode}\` mode, ${BLOCK[mode]}.`;
}

/** The fix the info headline leads with. */
function metadataFix(modes: readonly Mode[], windows: boolean): string {
  if (windows) return 'give it a task role (Windows agent: -EnableTaskIAMRole)';
  return modes.length === 1 && modes[0] === 'host' ? 'leave host mode to block instance metadata' : 'block its access to instance metadata';
}

/** On Windows container instances the Linux blocks do not apply, and a task role needs the agent set up for it. */
const WINDOWS =
  'On Windows container instances (no iptables, no Docker bridge) a task role works only when the ECS agent is started with task IAM roles on (`Initialize-ECSAgent -EnableTaskIAMRole` in user data) and its containers run the IAM roles for tasks bootstrap script from the Amazon ECS guide; ECS does not place a task that has a task role on instances whose agent lacks it, so set the agent up first.';

export default defineRule({
  meta: {
    id: 'ecs-task-role-missing',
    title: 'ECS task definition has no task role',
    severity: 'warning',
    kb: 'ecs-iam-roles',
    appliesTo: ['cloudformation'],
    fixes: ['add-task-role'],
    description:
      'The **task role** is the IAM role the containers of a task use for AWS calls. It is set in the task definition (`TaskRoleArn`; `taskRoleArn` in the ECS API, `taskRole` on a CDK task definition), so each task gets exactly the permissions it needs, and each ECS service should get a role of its own. Without one, what happens depends on what the containers do, who wrote their images and where the task runs:\n\n- when the containers clearly call AWS (an AWS CLI, X-Ray daemon, CloudWatch agent, AWS for Fluent Bit or ADOT collector image, an environment variable naming a queue, table, bucket or secret of the template, or go-discover\'s `provider=aws` in a command or environment value, which calls `ec2:DescribeInstances`), the task needs a role of its own to work: a **warning**;\n- on **EC2** capacity, an SDK or the AWS CLI in the container falls back to the credentials of the host (the instance role, shared by every task on the instance): a **warning** either way; when a container may run the team\'s own code (an image from private ECR, a parameter, a `Fn::Sub` with references or a CDK asset) it says that its SDK calls would use the instance role, and when every container runs a literal public image (`nginx`, `jboss/wildfly`) it leads with the exposure that remains, instance metadata, and how to block it for the task\'s network mode;\n- otherwise (a Fargate or ECS Anywhere task with no sign of AWS calls: external instances have no instance metadata service to fall back to) the task simply has no AWS credentials, which is often intended: an **info**, left out when `ecs-execution-role-missing` reports the same task definition (its detail then says that no task role is needed).',
    fix: 'Add `TaskRoleArn` pointing at an `AWS::IAM::Role` trusted by `ecs-tasks.amazonaws.com`, holding only what this service needs (in CDK: pass a `taskRole` to the task definition, or grant to `taskDefinition.taskRole`). Create one role per service; a role with no policies makes the SDKs stop there instead of falling back to the instance role. On EC2, also keep containers away from instance metadata: `ECS_AWSVPC_BLOCK_IMDS=true` for `awsvpc` mode, an iptables rule (or IMDSv2 with a hop limit of 1) for `bridge` mode; in `host` mode it cannot be blocked, so prefer the other modes.',
    messages: {
      hostCredentials: 'Task definition {{taskDefinition}} has no {{taskRole}}: on EC2 its containers can use the instance role',
      instanceMetadata: 'Task definition {{taskDefinition}} can reach the instance role: {{fix}}',
      awsCalls: 'Task definition {{taskDefinition}} has no {{taskRole}}, but container {{container}} calls AWS ({{sign}})',
      noTaskRole: 'Task definition {{taskDefinition}} has no {{taskRole}}: its tasks get no AWS credentials',
    },
    details: {
      hostCredentials:
        'The task can run on EC2 capacity ({{where}}). Without a task role, an AWS SDK or the AWS CLI in any of its containers finds the instance role through the instance metadata service and acts with the permissions every task on the host shares. Give the task a role of its own with only what it calls ({{how}}). {{block}}',
      instanceMetadata:
        'Every container runs a public image ({{images}}) and nothing in the task definition shows AWS calls, so the task probably needs no AWS permissions of its own. It can still reach the instance role: it can run on EC2 capacity ({{where}}), where any process in its containers can fetch the instance role\'s credentials from instance metadata and act with the permissions every task on the host shares. {{block}} To make the AWS SDKs and the CLI stop at a role of the task\'s own instead of falling back to the instance role, {{emptyRole}} (this does not stop a direct call to instance metadata).',
      awsCalls:
        'Container {{container}} shows that the task calls AWS APIs ({{sign}}). Without a task role it has no credentials of its own: on Fargate the calls fail; on EC2 they silently use the instance role. Add a role trusted by `ecs-tasks.amazonaws.com` with only the permissions this service needs ({{how}}).',
      noTaskRole:
        'Nothing in the task definition shows AWS calls, and on Fargate or external instances (ECS Anywhere) a task without a task role has no AWS credentials at all, which can be intended. If the application calls AWS (through an SDK), give it a role of its own ({{how}}), one per service.',
    },
    example: {
      fires: 'Resources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1.0"\n',
      fixed: 'Resources:\n  AppTask:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      TaskRoleArn: !GetAtt AppTaskRole.Arn\n      ContainerDefinitions:\n        - Name: app\n          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1.0"\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const taskRole = spell(ctx, 'TaskRoleArn', 'taskRole');
    const cdk = isCdk(ctx);
    const how = cdk ? 'pass `taskRole` to the task definition, or grant to `taskDefinition.taskRole`' : `set \`${taskRole}\``;
    const emptyRole = cdk ? 'pass the task definition a `taskRole` with no policies' : `set \`${taskRole}\` to a role trusted by \`ecs-tasks.amazonaws.com\` with no policies`;
    for (const td of tpl.byType(TASK_DEFINITION)) {
      // An empty ARN (`taskRoleArn: ""` or `null`, common in task definition JSON) is no role.
      const role = get(td.properties, 'TaskRoleArn');
      if (hasProperty(td, 'TaskRoleArn') && literal(role) !== '' && !isNull(role)) continue;
      // On the empty ARN when there is one: that is the value to fill in.
      const node = pair(td.properties, 'TaskRoleArn')?.key ?? td.key;
      // The task calls AWS, or may through the instance role: an empty task role would deny those calls.
      const base = (usesCredentials: boolean, windows = false) => ({ node, data: { fix: 'add-task-role', resource: td.id, ...(usesCredentials ? { usesCredentials } : {}), ...(windows ? { windows } : {}) } });
      const values = { taskDefinition: ctx.name(td), taskRole, how };
      const sign = awsCallSigns(tpl, td)[0];
      if (sign) {
        ctx.report({ ...base(true), messageId: 'awsCalls', values: { ...values, container: sign.container, sign: sign.sign }, severity: 'warning' });
      } else if (canUseHostCredentials(tpl, td)) {
        const modes = networkModes(tpl, td);
        const windows = runsWindows(tpl, td);
        const where = ec2Reason(td, spell(ctx, 'RequiresCompatibilities'));
        const block = windows ? WINDOWS : metadataBlock(modes);
        // Someone else's image shows no AWS calls: the instance role is reachable, not needed.
        const images = publicImages(tpl, td);
        // A task role on Windows needs the agent set up for it: the fix is then not applied unasked.
        if (images) ctx.report({ ...base(false, windows), messageId: 'instanceMetadata', values: { ...values, fix: metadataFix(modes, windows), images: listed(images.map((i) => `\`${i}\``)), where, block, emptyRole }, severity: 'warning' });
        else ctx.report({ ...base(true, windows), messageId: 'hostCredentials', values: { ...values, where, block }, severity: 'warning' });
      } else if (!missingExecutionRole(tpl, td)) {
        // A task that already fails for want of an execution role gets that error alone; its detail says no task role is needed.
        ctx.report({ ...base(false), messageId: 'noTaskRole', values, severity: 'info' });
      }
    }
  },
});
