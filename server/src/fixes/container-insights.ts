// eks-container-insights-missing: the Amazon CloudWatch Observability EKS add-on (Container Insights) for
// the cluster, inserted right after it. Its agent needs CloudWatchAgentServerPolicy through EKS Pod
// Identity, IRSA or the node role: the fix does not guess which (the title and summary say so).
import { ref } from './edit';
import { freeId, insertResourcesAfter } from './resources';
import { defineFix, findingResource } from './types';

export const OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';

export const containerInsightsAddon = defineFix<{ resource: string }>({
  id: 'container-insights-addon',
  summary: `adds an \`AWS::EKS::Addon\` \`${OBSERVABILITY_ADDON}\` (CloudWatch Container Insights) with \`ClusterName: !Ref\` the cluster, inserted after it. Its CloudWatch agent still needs the \`CloudWatchAgentServerPolicy\`, through an EKS Pod Identity association or IRSA role (\`ServiceAccountRoleArn\`) or the node role.`,
  provide(ctx) {
    const tpl = ctx.template;
    const cluster = findingResource(ctx, 'AWS::EKS::Cluster');
    if (!tpl || !cluster) return [];
    const id = freeId(tpl, `${cluster.id}ObservabilityAddon`);
    const edit = insertResourcesAfter(ctx, cluster, [[id, { Type: 'AWS::EKS::Addon', Properties: { AddonName: OBSERVABILITY_ADDON, ClusterName: ref(cluster.id) } }]]);
    return edit ? [{ title: `Add the CloudWatch Observability add-on ${id} to ${cluster.id} (its agent needs CloudWatchAgentServerPolicy via Pod Identity, IRSA or the node role)`, preferred: true, edits: [edit] }] : [];
  },
});
