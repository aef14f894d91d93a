// ECS services that no Application Auto Scaling target scales.
import { asSeq, get, items, type Node } from '../../documents/nodes';
import { literalValues, referencesIn } from '../../model/intrinsics';
import { defineRule, type Related } from '../../engine/rule';
import { listed } from '../words';
import type { Resource, Template } from '../../model/template';
import { containerDefinitions, handledByOtherStack, resourceCondition, scaledServices, scenarios, SERVICE, taskDefinitionsOf } from '../ecs';
import { awsImage, isStatefulServer } from '../images';

/** A template AWS Copilot generated: its manifest in the root Metadata, or Copilot's workload parameters. */
function isCopilot(tpl: Template): boolean {
  if (get(get(tpl.root, 'Metadata'), 'Manifest')) return true;
  return ['AppName', 'EnvName', 'WorkloadName'].every((p) => tpl.isParameter(p));
}

/** True when a value is set and every literal it can take passes the test (false when unknown). */
function every(node: Node | undefined, test: (v: string) => boolean): boolean {
  const values = literalValues(node);
  return !!values && values.length > 0 && values.every(test);
}

/**
 * A service whose every container runs an image of one kind: an AWS collector agent (CloudWatch agent, ADOT
 * collector, X-Ray daemon), where each extra task scrapes or receives the same telemetry again; or a server
 * that keeps its own state (a database, cache or broker), where each extra task is another, separate server.
 */
function allContainers(tpl: Template, svc: Resource, test: (image: string) => boolean): boolean {
  const tds = taskDefinitionsOf(tpl, svc);
  return tds.length > 0 && tds.every((td) => {
    const containers = containerDefinitions(td);
    return containers.length > 0 && containers.every((c) => every(get(c, 'Image'), test));
  });
}

/** An alarm of the template with no `AlarmActions`, and the resources its dimensions name. */
interface IdleAlarm {
  alarm: Resource;
  watched: Array<Resource | undefined>;
}

/**
 * CloudWatch alarms with no `AlarmActions` that nothing else reads: alarms someone made to scale a service,
 * then left unconnected. Read once per template; `watching` picks a service's.
 */
function idleAlarms(tpl: Template): IdleAlarm[] {
  const out: IdleAlarm[] = [];
  for (const alarm of tpl.byType('AWS::CloudWatch::Alarm')) {
    // Any value but an empty list may act (a parameter, an Fn::If...).
    const actions = get(alarm.properties, 'AlarmActions');
    if (actions && !(asSeq(actions)?.items.length === 0)) continue;
    // An alarm another resource reads (a CodeDeploy deployment group, a service's deployment alarms, a
    // composite alarm) has a job already.
    if (tpl.referencesTo(alarm.id).length) continue;
    out.push({ alarm, watched: items(get(alarm.properties, 'Dimensions')).flatMap((d) => referencesIn(get(d, 'Value')).map((r) => tpl.resource(r.target))) });
  }
  return out;
}

/** The idle alarms on a metric of the service (a dimension naming it) or of one of its target groups (`via`). */
function watching(tpl: Template, idle: IdleAlarm[], svc: Resource): Array<{ alarm: Resource; via?: Resource }> {
  if (!idle.length) return [];
  const groups = items(get(svc.properties, 'LoadBalancers')).flatMap((lb) => tpl.targets(get(lb, 'TargetGroupArn')));
  const out: Array<{ alarm: Resource; via?: Resource }> = [];
  for (const { alarm, watched } of idle) {
    if (watched.includes(svc)) out.push({ alarm });
    else {
      const via = groups.find((g) => watched.includes(g));
      if (via) out.push({ alarm, via });
    }
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'ecs-service-autoscaling-missing',
    title: 'ECS service has no auto scaling',
    severity: 'info',
    kb: 'ecs-auto-scaling',
    appliesTo: ['cloudformation'],
    fixes: ['add-service-autoscaling'],
    description:
      'ECS does not scale a service by itself: the number of tasks stays at `DesiredCount` until something changes it. Service auto scaling is done by **Application Auto Scaling**, which moves the desired count with load through **target tracking** (keep a CloudWatch metric such as average CPU near a target), **step scaling** (add or remove tasks in steps when a CloudWatch alarm fires) or **scheduled scaling** (change capacity at set times).',
    fix: 'Add an `AWS::ApplicationAutoScaling::ScalableTarget` with `ServiceNamespace: ecs`, `ScalableDimension: ecs:service:DesiredCount`, `ResourceId: !Sub service/${Cluster}/${Service.Name}` and `MinCapacity`/`MaxCapacity`, then an `AWS::ApplicationAutoScaling::ScalingPolicy` (`TargetTrackingScaling`, e.g. on `ECSServiceAverageCPUUtilization`; or `StepScaling` with a CloudWatch alarm) or `ScheduledActions` on the target. In CDK: `service.autoScaleTaskCount({ maxCapacity })` and `scaleOnCpuUtilization()`.\n\nA service the template hands to another stack (an output, an export, a nested stack parameter) is reported unless a stack of the workspace scales it, or the consumer cannot be ruled out (a nested template not in the workspace, an export no workspace file imports). An output nobody nests or imports does not silence the finding. Services under conditions that are never true together (e.g. a Fargate and an EC2 variant) give one finding. A `DAEMON` service (one task per instance), a service parked at `DesiredCount: 0` and a service whose every container runs an AWS collector agent image (the CloudWatch agent `amazon/cloudwatch-agent` or `public.ecr.aws/cloudwatch-agent/cloudwatch-agent`, the ADOT collector `public.ecr.aws/aws-observability/aws-otel-collector`, the X-Ray daemon; on any registry, by repository name) are not reported: such a service is an infrastructure singleton, where each extra task scrapes or receives the same telemetry again and duplicates (and bills) it. Nor is a service whose every container runs a server that keeps its own state (`postgres`, `mysql`, `mariadb`, `mongo`, `redis`, `valkey`, `memcached`, `cassandra`, `elasticsearch`, `opensearch`, `rabbitmq`, `zookeeper`, `kafka`, `etcd` and the like, by repository name on any registry; also Jenkins, SonarQube, Nexus, GitLab, Prometheus and Grafana): another task of it is another, separate database, cache or server, not more capacity for the same data. When CloudWatch alarms without `AlarmActions` watch the service or its target group (and nothing else reads them), the finding names them: connecting them is the fix.',
    messages: {
      noScaling: 'Service {{service}} has no auto scaling: its task count does not follow the load',
      idleAlarm: 'Service {{service}} has no auto scaling: {{alarms}} it but {{trigger}} nothing',
    },
    details: {
      noScaling: 'ECS does not scale a service by itself. {{how}} Nothing in this template or in a stack of the workspace it hands the service to scales it{{alternatives}}.',
      idleAlarm: 'The {{alarms}} this service{{through}} without `AlarmActions`, so the task count stays put when an alarm fires. Connect {{them}} to a step scaling policy on the service (list it in `AlarmActions`), or use target tracking, which creates its own alarms. {{how}}',
    },
    example: {
      fires: 'Resources:\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n      Cluster: !Ref Cluster\n      TaskDefinition: !Ref Task\n      DesiredCount: 2\n',
      fixed: 'Resources:\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n      Cluster: !Ref Cluster\n      TaskDefinition: !Ref Task\n      DesiredCount: 2\n  ScalableTarget:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n      ServiceNamespace: ecs\n      ScalableDimension: ecs:service:DesiredCount\n      ResourceId: !Sub service/${Cluster}/${Service.Name}\n      MinCapacity: 2\n      MaxCapacity: 10\n  CpuTracking:\n    Type: AWS::ApplicationAutoScaling::ScalingPolicy\n    Properties:\n      PolicyName: cpu\n      PolicyType: TargetTrackingScaling\n      ScalingTargetId: !Ref ScalableTarget\n      TargetTrackingScalingPolicyConfiguration:\n        TargetValue: 60\n        PredefinedMetricSpecification: { PredefinedMetricType: ECSServiceAverageCPUUtilization }\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const scaled = scaledServices(tpl);
    if (!scaled) return;
    const how = isCopilot(tpl)
      ? 'This template is generated by AWS Copilot: set `count.range` (with `cpu_percentage`, `memory_percentage` or `requests`) in the service manifest and deploy again, rather than editing the template.'
      : ctx.file.kind === 'cdk'
      ? 'Call `service.autoScaleTaskCount({ minCapacity, maxCapacity })` and a scaling method on the result, such as `scaleOnCpuUtilization()` (target tracking), `scaleOnMetric()` (step scaling) or `scaleOnSchedule()`.'
      : 'Add an `AWS::ApplicationAutoScaling::ScalableTarget` (`ServiceNamespace: ecs`, `ScalableDimension: ecs:service:DesiredCount`, `ResourceId: service/<cluster>/<service name>`) with a target tracking, step or scheduled scaling policy.';
    const unscaled: Resource[] = [];
    for (const svc of tpl.byType(SERVICE)) {
      if (scaled.has(svc)) continue;
      // Daemon services run one task per instance: there is no desired count to scale.
      if (every(get(svc.properties, 'SchedulingStrategy'), (v) => v === 'DAEMON')) continue;
      // A service parked at zero tasks is not serving load.
      if (every(get(svc.properties, 'DesiredCount'), (v) => Number(v) === 0)) continue;
      // A collector agent's tasks each gather the same telemetry, and a database's or cache's tasks each hold
      // their own data: more of them duplicate the work or split the state, they do not share load.
      if (allContainers(tpl, svc, (image) => !!awsImage(image)?.collector || isStatefulServer(image))) continue;
      // Handed to another stack of the workspace that scales it (or one that cannot be ruled out).
      if (handledByOtherStack(ctx, svc, ['AWS::ApplicationAutoScaling::ScalableTarget'])) continue;
      unscaled.push(svc);
    }
    // Services under conditions that are never true together are alternatives of one service: one finding.
    const groups: Resource[][] = [];
    for (const svc of unscaled) {
      const group = groups.find((g) => g.every((other) => exclusive(other, svc)));
      if (group) group.push(svc);
      else groups.push([svc]);
    }
    const unconnected = idleAlarms(tpl);
    for (const [svc, ...alternatives] of groups) {
      const related: Related[] = alternatives.map((a) => ({ node: a.key, message: `Service ${ctx.name(a)}, the same service under condition ${resourceCondition(a)}` }));
      const data = { fix: 'add-service-autoscaling', resource: svc.id };
      const idle = watching(tpl, unconnected, svc);
      if (idle.length) {
        // Alarms made for scaling but wired to nothing: say which, so the fix is to connect them.
        related.push(...idle.map((a) => ({ node: a.alarm.key, message: `Alarm ${a.alarm.id}, with no AlarmActions` })));
        const names = idle.map((a) => a.alarm.id);
        const one = names.length === 1;
        const alarms = `${one ? 'alarm' : 'alarms'} ${listed(names)} ${one ? 'watches' : 'watch'}`;
        const via = [...new Set(idle.flatMap((a) => (a.via ? [a.via.id] : [])))];
        const through = via.length ? ` (through its target group ${via.join(', ')})` : '';
        const values = { service: ctx.name(svc), alarms, through, how, trigger: one ? 'triggers' : 'trigger', them: one ? 'it' : 'them' };
        ctx.report({ node: svc.key, messageId: 'idleAlarm', values, related, data });
        continue;
      }
      ctx.report({
        node: svc.key,
        messageId: 'noScaling', values: { service: ctx.name(svc), how, alternatives: alternatives.length ? ` (nor its conditional alternative ${alternatives.map((a) => a.id).join(', ')})` : '' },
        related,
        data,
      });
    }

    /** Two services whose resource conditions can never both hold. */
    function exclusive(a: Resource, b: Resource): boolean {
      const ca = resourceCondition(a);
      const cb = resourceCondition(b);
      if (!ca || !cb || ca === cb) return false;
      const both = scenarios(tpl, [], [ca, cb]);
      return !!both && both.length === 0;
    }
  },
});
