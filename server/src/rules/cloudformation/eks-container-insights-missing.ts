// EKS clusters with no observability: no control-plane logs and no Container Insights add-on.
import { asMap, get, str, walk, type Node } from '../../documents/nodes';
import { branches, literal } from '../../model/intrinsics';
import type { Resource, Template } from '../../model/template';
import { defineRule } from '../../engine/rule';

const CLUSTER = 'AWS::EKS::Cluster';
const OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';
/**
 * Observability set up some other way: Container Insights as a Helm chart or manifest in a custom resource,
 * the CloudWatch agent policy on the node role, or control-plane logging turned on by an SDK call
 * (`updateClusterConfig` in a custom resource).
 */
const INSIGHTS_TEXT = /amazon-cloudwatch-observability|cloudwatch-?agent|aws-cloudwatch-metrics|container-?insights|update_?cluster_?config|clusterLogging/i;
/** eksctl turns on logging and installs add-ons through the EKS API, outside the stack it generates. */
const EKSCTL = /\[created (and managed )?by eksctl\]/;

/** True, false, or undefined when the logging setting cannot be read (a parameter, an import). */
function controlPlaneLogging(cluster: Resource): boolean | undefined {
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
      'The KB names **CloudWatch Container Insights** as the way to gather container logs and metrics on EKS. An `AWS::EKS::Cluster` with neither control-plane logging (`Logging.ClusterLogging.EnabledTypes`: api, audit, authenticator and others, delivered to CloudWatch Logs) nor the `amazon-cloudwatch-observability` add-on leaves the cluster without logs or metrics when something goes wrong.',
    fix: 'Install Container Insights with an `AWS::EKS::Addon` whose `AddonName` is `amazon-cloudwatch-observability` and whose `ClusterName` is `!Ref` the cluster (its nodes or pod identity need the `CloudWatchAgentServerPolicy`). Also turn on the control-plane log types you need under `Logging.ClusterLogging.EnabledTypes`.',
    messages: {
      noObservability: 'EKS cluster {{cluster}} has neither control-plane logging nor CloudWatch Container Insights: add an AWS::EKS::Addon amazon-cloudwatch-observability for it to collect container logs and metrics, and enable the control-plane log types you need in Logging.ClusterLogging.EnabledTypes.',
    },
    example: {
      fires: 'Resources:\n  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n      RoleArn: !GetAtt ClusterRole.Arn\n      ResourcesVpcConfig: { SubnetIds: [subnet-1, subnet-2] }\n',
      fixed:
        'Resources:\n  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n      RoleArn: !GetAtt ClusterRole.Arn\n      ResourcesVpcConfig: { SubnetIds: [subnet-1, subnet-2] }\n      Logging:\n        ClusterLogging:\n          EnabledTypes: [{ Type: api }, { Type: audit }]\n  Insights:\n    Type: AWS::EKS::Addon\n    Properties:\n      ClusterName: !Ref Cluster\n      AddonName: amazon-cloudwatch-observability\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const clusters = tpl.byType(CLUSTER);
    if (!clusters.length || EKSCTL.test(str(get(tpl.root, 'Description')) ?? '')) return;
    const addons = tpl.byType('AWS::EKS::Addon').filter((a) => {
      const name = literal(get(a.properties, 'AddonName'));
      return name === undefined || name === OBSERVABILITY_ADDON;
    });
    const elsewhere = [...tpl.resources.values()].some((r) => r.type !== CLUSTER && r.type !== 'AWS::EKS::Addon' && mentionsInsights(r.properties));
    if (elsewhere) return;
    for (const cluster of clusters) {
      if (controlPlaneLogging(cluster) !== false) continue;
      if (addons.some((a) => mayBeFor(tpl, a, cluster))) continue;
      ctx.report({
        node: cluster.key,
        messageId: 'noObservability', values: { cluster: ctx.name(cluster) },
        data: { fix: 'container-insights-addon', resource: cluster.id },
      });
    }
  },
});
