// ecs-capacity-provider-missing: an ECS capacity provider with managed scaling for the Auto Scaling group
// (inserted right after it), attached to the cluster its instances join (user data or cfn-init) when that cluster is in the
// template: added to the cluster's existing capacity provider list, or through a new
// `AWS::ECS::ClusterCapacityProviderAssociations` whose default strategy is the new provider.
import { asSeq, get } from '../documents/nodes';
import { referencesIn } from '../model/intrinsics';
import type { Resource, Template } from '../model/template';
import { instanceSettings, launchSourcesOf } from '../rules/ecs';
import { Intrinsic, ref, type Editor, type TextEdit, type Value } from './edit';
import { freeId, insertResourcesAfter, stem } from './resources';
import { defineFix, findingResource } from './types';

const CLUSTER = 'AWS::ECS::Cluster';
const ASSOCIATIONS = 'AWS::ECS::ClusterCapacityProviderAssociations';

export const addCapacityProvider = defineFix<{ resource: string }>({
  id: 'add-capacity-provider',
  summary: 'adds an `AWS::ECS::CapacityProvider` for the Auto Scaling group (named `cp-<stack>-<id>`: a name CloudFormation makes from a stack name that starts with `ecs`, `aws` or `fargate` is rejected; `ManagedScaling: { Status: ENABLED, TargetCapacity: 100 }`, `ManagedTerminationProtection: DISABLED`), inserted after it, and attaches it to the cluster the instances join when that cluster is in the template (its existing capacity provider list, or a new `AWS::ECS::ClusterCapacityProviderAssociations`). Services then use it through `CapacityProviderStrategy`.',
  provide(ctx) {
    const tpl = ctx.template;
    const asg = findingResource(ctx, 'AWS::AutoScaling::AutoScalingGroup');
    if (!tpl || !asg) return [];
    const ids = new Set<string>();
    const provider = freeId(tpl, `${stem(asg.id, /(AutoScalingGroup|ASG|Group)$/)}CapacityProvider`, ids);
    const entries: Array<[string, Value]> = [[provider, {
      Type: 'AWS::ECS::CapacityProvider',
      Properties: {
        // Unnamed, it would be named after the stack, and ECS rejects names that start with aws, ecs or fargate.
        Name: new Intrinsic('Fn::Sub', `cp-\${AWS::StackName}-${provider}`),
        AutoScalingGroupProvider: {
          AutoScalingGroupArn: ref(asg.id),
          ManagedScaling: { Status: 'ENABLED', TargetCapacity: 100 },
          ManagedTerminationProtection: 'DISABLED',
        },
      },
    }]];
    const cluster = joinedCluster(tpl, asg);
    const extra: TextEdit[] = [];
    let attached = '';
    if (cluster) {
      const existing = attachEdit(ctx.editor, tpl, cluster, provider);
      if (existing === null) {
        const assoc = freeId(tpl, `${cluster.id}CapacityProviders`, ids);
        entries.push([assoc, {
          Type: ASSOCIATIONS,
          Properties: {
            Cluster: ref(cluster.id),
            CapacityProviders: [ref(provider)],
            DefaultCapacityProviderStrategy: [{ CapacityProvider: ref(provider), Weight: 1 }],
          },
        }]);
        attached = ` attached to ${cluster.id} (${assoc})`;
      } else if (existing) {
        extra.push(existing);
        attached = ` attached to ${cluster.id}`;
      }
    }
    const edit = insertResourcesAfter(ctx, asg, entries);
    return edit ? [{ title: `Add a capacity provider ${provider} with managed scaling for ${asg.id}${attached}`, preferred: true, edits: [edit, ...extra] }] : [];
  },
});

/** The one ECS cluster of the template that the group's instances join (named in their user data or cfn-init metadata), if any. */
function joinedCluster(tpl: Template, asg: Resource): Resource | undefined {
  const clusters = new Set<Resource>();
  for (const src of launchSourcesOf(tpl, asg)) {
    for (const r of [...referencesIn(get(instanceSettings(src), 'UserData')), ...referencesIn(get(src.metadata, 'AWS::CloudFormation::Init'))]) {
      const res = tpl.resource(r.target);
      if (res?.type === CLUSTER) clusters.add(res);
    }
  }
  return clusters.size === 1 ? [...clusters][0] : undefined;
}

/**
 * Adds the provider to the capacity providers the cluster already lists (its `CapacityProviders`, or an
 * associations resource for it): the edit; undefined when such a list exists but cannot be appended to
 * (an intrinsic); null when the cluster has none.
 */
function attachEdit(editor: Editor, tpl: Template, cluster: Resource, provider: string): TextEdit | undefined | null {
  const lists = [
    ...(get(cluster.properties, 'CapacityProviders') ? [get(cluster.properties, 'CapacityProviders')] : []),
    ...tpl.byType(ASSOCIATIONS).filter((a) => tpl.targets(get(a.properties, 'Cluster')).includes(cluster)).map((a) => get(a.properties, 'CapacityProviders')),
  ];
  if (!lists.length) return null;
  const seq = asSeq(lists[0]);
  return seq && lists.length === 1 ? editor.appendItem(seq, ref(provider)) : undefined;
}
