// ecs-service-autoscaling-missing: an Application Auto Scaling target for the service's desired count
// (`ResourceId: !Sub service/${Cluster}/${Service.Name}`, from its current DesiredCount up) and a target
// tracking policy that keeps average CPU near 70%. The scalable target needs no RoleARN: Application Auto
// Scaling uses its service-linked role.
import { get } from '../documents/nodes';
import { directTargets, intrinsic, literal } from '../model/intrinsics';
import type { Resource, Template } from '../model/template';
import { getAtt, Intrinsic, ref, type Value } from './edit';
import { freeId, insertResourcesAfter, valueOf } from './resources';
import { defineFix, findingResource } from './types';

const SERVICE = 'AWS::ECS::Service';
export const CPU_TARGET = 70;

export const addServiceAutoscaling = defineFix<{ resource: string }>({
  id: 'add-service-autoscaling',
  summary: `adds an \`AWS::ApplicationAutoScaling::ScalableTarget\` for the service (\`ecs:service:DesiredCount\`, \`ResourceId: !Sub service/\${Cluster}/\${Service.Name}\`, or a \`Fn::Join\` around an imported cluster name; from the current \`DesiredCount\` up to at least 10 tasks) and a \`TargetTrackingScaling\` policy that keeps \`ECSServiceAverageCPUUtilization\` near ${CPU_TARGET}%.`,
  provide(ctx) {
    const tpl = ctx.template;
    const svc = findingResource(ctx, SERVICE);
    if (!tpl || !svc) return [];
    const id = resourceId(tpl, svc);
    if (id === undefined) return [];
    const desired = Number(literal(get(svc.properties, 'DesiredCount')) ?? 1);
    const min = Number.isInteger(desired) && desired >= 1 ? desired : 1;
    const max = Math.max(10, 2 * min);
    const ids = new Set<string>();
    const target = freeId(tpl, `${svc.id}ScalableTarget`, ids);
    const policy = freeId(tpl, `${svc.id}CpuScaling`, ids);
    const entries: Array<[string, Value]> = [
      [target, {
        Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
        Properties: {
          ServiceNamespace: 'ecs',
          ScalableDimension: 'ecs:service:DesiredCount',
          ResourceId: id,
          MinCapacity: min,
          MaxCapacity: max,
        },
      }],
      [policy, {
        Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
        Properties: {
          PolicyName: `${svc.id}-cpu-target-tracking`,
          PolicyType: 'TargetTrackingScaling',
          ScalingTargetId: ref(target),
          TargetTrackingScalingPolicyConfiguration: {
            PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
            TargetValue: CPU_TARGET,
          },
        },
      }],
    ];
    const edit = insertResourcesAfter(ctx, svc, entries);
    return edit ? [{ title: `Add auto scaling to ${svc.id}: ${min} to ${max} tasks, target tracking on average CPU ${CPU_TARGET}% (${target}, ${policy})`, preferred: true, edits: [edit] }] : [];
  },
});

/**
 * The service's ResourceId, `service/<cluster name>/<service name>`: a `Fn::Sub` with `${Cluster}` for a
 * cluster of the template or a parameter (their Ref is the cluster name), the name of a literal name or
 * ARN, or `default` when unset; a `Fn::Join` around a copy of an imported cluster name. Undefined when the
 * cluster cannot be told or may be an ARN (a condition, a computed string, an import named like an ARN).
 */
function resourceId(tpl: Template, svc: Resource): Value | undefined {
  const sub = (cluster: string) => new Intrinsic('Fn::Sub', `service/${cluster}/\${${svc.id}.Name}`);
  const node = get(svc.properties, 'Cluster');
  if (!node) return sub('default');
  const name = literal(node);
  if (name !== undefined) {
    const m = /^arn:[^:]+:ecs:[^:]*:\d*:cluster\/(.+)$/.exec(name);
    const cluster = m ? m[1] : name;
    return /^[A-Za-z0-9_-]+$/.test(cluster) ? sub(cluster) : undefined;
  }
  const fn = intrinsic(node);
  if (fn?.name === 'Fn::ImportValue') {
    const imported = valueOf(node);
    if (imported === undefined || /arn/i.test(JSON.stringify(imported))) return undefined;
    return new Intrinsic('Fn::Join', ['/', ['service', imported, getAtt(svc.id, 'Name')]]);
  }
  const targets = directTargets(node);
  if (targets.length !== 1) return undefined;
  const [t] = targets;
  const res = tpl.resource(t.target);
  if (res?.type === 'AWS::ECS::Cluster' && (t.attribute === undefined || t.attribute === 'Arn')) return sub(`\${${res.id}}`);
  if (!res && t.attribute === undefined && tpl.isParameter(t.target) && !/arn/i.test(t.target)) return sub(`\${${t.target}}`);
  return undefined;
}
