// k8s-service-classic-lb: annotate the Service so the AWS Load Balancer Controller provisions a Network
// Load Balancer (IP targets) instead of the in-tree provider's Classic Load Balancer. The scheme keeps
// what the Service had: internal when the legacy `aws-load-balancer-internal` annotation says so,
// internet-facing (what the Classic Load Balancer was) otherwise.
import { asMap, get, str } from '../documents/nodes';
import { defineFix, findingObject, type Fix, type FixContext } from './types';

const PREFIX = 'service.beta.kubernetes.io/';

export const nlbAnnotations = defineFix<Record<string, never>>({
  id: 'nlb-annotations',
  summary: 'adds the AWS Load Balancer Controller annotations for a Network Load Balancer with IP targets (`aws-load-balancer-type: external`, `aws-load-balancer-nlb-target-type: ip`, `aws-load-balancer-scheme`).',
  provide,
});

function provide(ctx: FixContext<Record<string, never>>): Fix[] {
  const obj = findingObject(ctx);
  if (!obj || obj.kind !== 'Service' || str(get(get(obj.node, 'spec'), 'type')) !== 'LoadBalancer') return [];
  const annotations = asMap(get(get(obj.node, 'metadata'), 'annotations'));
  const internal = ['true', '0.0.0.0/0'].includes(str(get(annotations, `${PREFIX}aws-load-balancer-internal`))?.toLowerCase() ?? '');
  const scheme = str(get(annotations, `${PREFIX}aws-load-balancer-scheme`)) ?? (internal ? 'internal' : 'internet-facing');
  const edits = ctx.editor.setIn(obj.node, ['metadata', 'annotations'], [
    [`${PREFIX}aws-load-balancer-type`, 'external'],
    [`${PREFIX}aws-load-balancer-nlb-target-type`, 'ip'],
    [`${PREFIX}aws-load-balancer-scheme`, scheme],
  ]);
  return edits?.length ? [{ title: `Use a Network Load Balancer (AWS Load Balancer Controller annotations, ${scheme})`, preferred: true, edits }] : [];
}
