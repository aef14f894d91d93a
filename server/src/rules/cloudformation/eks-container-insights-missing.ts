// EKS clusters with no observability: no control-plane logs and no Container Insights add-on.
import { asMap, get, items, str, walk, type Node } from '../../documents/nodes';
import { branches, literal } from '../../model/intrinsics';
import type { Resource, Template } from '../../model/template';
import { defineRule } from '../../engine/rule';

const CLUSTER = 'AWS::EKS::Cluster';
/** The cluster CDK's `eks.Cluster` makes through its own provider; its settings are under `Config`, as the EKS API spells them. */
const CDK_CLUSTER = 'Custom::AWSCDK-EKS-Cluster';
const OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';
/**
 * Observability set up some other way: Container Insights as a Helm chart or manifest in a custom resource,
 * the CloudWatch agent policy on the node role, or control-plane logging turned on by an SDK call
 * (`updateClusterConfig` in a custom resource; not the `eks:UpdateClusterConfig` action a policy grants, as
 * CDK's cluster creation role has).
 */
const INSIGHTS_TEXT = /amazon-cloudwatch-observability|cloudwatch-?agent|aws-cloudwatch-metrics|container-?insights|(?<!eks:)update_?cluster_?config|clusterLogging/i;
/** eksctl turns on logging and installs add-ons through the EKS API, outside the stack it generates. */
const EKSCTL = /\[created (and managed )?by eksctl\]/;

/** True, false, or undefined when the logging setting cannot be read (a parameter, an import). */
function controlPlaneLogging(cluster: Resource): boolean | undefined {
  if (cluster.type === CDK_CLUSTER) {
    const logging = get(get(cluster.properties, 'Config'), 'logging');
    if (logging && !asMap(logging)) return undefined;
    return items(get(logging, 'clusterLogging')).some((cl) => str(get(cl, 'enabled')) !== 'false' && items(get(cl, 'types')).length > 0);
  }
  let unknown = false;
  for (const logging of branches(get(cluster.properties, 'Logging'))) {
    if (!asMap(logging)) return undefined;
    for (const cl of branches(get(logging, 'ClusterLogging'))) {
      if (!asMap(cl)) return undefined;
      for (const types of branches(get(cl, 'EnabledTypes'))) {
        if (types.kind !== 'seq') unknown = true;
        else if (types.items.length) return true;
      }
    }
  }
  return unknown ? undefined : false;
}

/** Whether an add-on's ClusterName can name this cluster (true when it cannot be resolved). */
function mayBeFor(tpl: Template, addon: Resource, cluster: Resource): boolean {
  const node = get(addon.properties, 'ClusterName');
  const targets = tpl.targets(node);
  if (targets.length) return targets.includes(cluster);
  const name = literal(node);
  if (name === undefined) return true;
  const clusterName = get(cluster.properties, 'Name');
  if (!clusterName) return false; // a generated name cannot be written in advance
  const own = literal(clusterName);
  return own === undefined || own === name;
}

function mentionsInsights(node: Node | undefined): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n.kind === 'scalar' && typeof n.value === 'string' && INSIGHTS_TEXT.test(n.value)) found = true;
  });
  return found;
}

export default defineRule({
  meta: {
    id: 'eks-container-insights-missing',
    title: 'EKS cluster has no logging or Container Insights',
    severity: 'info',
    kb: 'eks',
    appliesTo: ['cloudformation'],
    fixes: ['container-insights-addon'],
    description:
      'CloudWatch Container Insights is how EKS workloads\' logs and metrics reach CloudWatch, installed as the `amazon-cloudwatch-observability` EKS add-on (the CloudWatch agent and Fluent Bit on every node). Control-plane logs (`Logging.ClusterLogging.EnabledTypes`: api, audit, authenticator, controllerManager, scheduler) are a separate switch on the cluster, delivered to CloudWatch Logs. An `AWS::EKS::Cluster` (or CDK\'s `eks.Cluster`, which makes a `Custom::AWSCDK-EKS-Cluster` with its settings under `Config`) with neither leaves no logs or metrics to look at when something goes wrong. (Clusters whose template installs Container Insights another way, such as a Helm chart, the CloudWatch agent policy or an SDK call, and eksctl stacks are not reported.)',
    fix: 'Install Container Insights with an `AWS::EKS::Addon` whose `AddonName` is `amazon-cloudwatch-observability` and whose `ClusterName` is `!Ref` the cluster; give the add-on the `CloudWatchAgentServerPolicy` through EKS Pod Identity (`PodIdentityAssociations`, add-on v3.1.0+) or on the node role. Also turn on the control-plane log types you need under `Logging.ClusterLogging.EnabledTypes` (`api` and `audit` at least).',
    messages: {
      noObservability: 'EKS cluster {{cluster}} has neither control-plane logging nor Container Insights',
    },
    details: {
      noObservability: 'Nothing in the template sends this cluster\'s logs or metrics anywhere. {{how}}',
    },
    example: {
      fires: 'Resources:\n  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n      RoleArn: !GetAtt ClusterRole.Arn\n      ResourcesVpcConfig: { SubnetIds: [subnet-1, subnet-2] }\n',
      fixed:
        'Resources:\n  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n      RoleArn: !GetAtt ClusterRole.Arn\n      ResourcesVpcConfig: { SubnetIds: [subnet-1, subnet-2] }\n      Logging:\n        ClusterLogging:\n          EnabledTypes: [{ Type: api }, { Type: audit }]\n  Insights:\n    Type: AWS::EKS::Addon\n    Properties:\n      ClusterName: !Ref Cluster\n      AddonName: amazon-cloudwatch-observability\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const clusters = tpl.byType(CLUSTER, CDK_CLUSTER);
    if (!clusters.length || EKSCTL.test(str(get(tpl.root, 'Description')) ?? '')) return;
    const addons = tpl.byType('AWS::EKS::Addon').filter((a) => {
      const name = literal(get(a.properties, 'AddonName'));
      return name === undefined || name === OBSERVABILITY_ADDON;
    });
    const elsewhere = [...tpl.resources.values()].some((r) => r.type !== CLUSTER && r.type !== CDK_CLUSTER && r.type !== 'AWS::EKS::Addon' && mentionsInsights(r.properties));
    if (elsewhere) return;
    // The reference as this file writes it.
    const ref = (id: string) => (ctx.file.format === 'json' ? `{"Ref": "${id}"}` : `!Ref ${id}`);
    const how = (id: string) => ctx.file.kind === 'cdk'
      ? 'Add `new eks.Addon(this, \'Observability\', { cluster, addonName: \'amazon-cloudwatch-observability\' })` (with `CloudWatchAgentServerPolicy` through Pod Identity or on the node role) for container logs and metrics, and pass the control-plane log types you need as `clusterLogging` on the cluster (e.g. `[eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT]`).'
      : `Add an AWS::EKS::Addon with AddonName amazon-cloudwatch-observability and ClusterName ${ref(id)} (CloudWatchAgentServerPolicy through Pod Identity or the node role) for container logs and metrics, and enable the control-plane log types you need in Logging.ClusterLogging.EnabledTypes (api, audit, authenticator, controllerManager, scheduler).`;
    for (const cluster of clusters) {
      if (controlPlaneLogging(cluster) !== false) continue;
      if (addons.some((a) => mayBeFor(tpl, a, cluster))) continue;
      ctx.report({
        node: cluster.key,
        messageId: 'noObservability', values: { cluster: ctx.name(cluster), how: how(cluster.id) },
        data: { fix: 'container-insights-addon', resource: cluster.id },
      });
    }
  },
});
