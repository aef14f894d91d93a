// k8s-service-classic-lb: annotate the Service for a Network Load Balancer instead of the legacy provider's
// Classic Load Balancer: with the AWS Load Balancer Controller's annotations (IP targets), which only that
// controller reads (without it the Service gets no load balancer), or with the legacy provider's own `nlb`
// type (instance targets). The preferred one follows what the finding knows of the controller. The scheme
// keeps what the Service had: internal when the legacy `aws-load-balancer-internal` annotation says so,
// internet-facing (what the Classic Load Balancer was) otherwise.
import { asMap, get, str } from '../documents/nodes';
import { defineFix, findingObject, type Fix, type FixContext } from './types';

const PREFIX = 'service.beta.kubernetes.io/';

type Data = { controller: 'present' | 'absent' | 'unknown' };

export const nlbAnnotations = defineFix<Data>({
  id: 'nlb-annotations',
  summary: 'adds the AWS Load Balancer Controller annotations for a Network Load Balancer with IP targets (`aws-load-balancer-type: external`, `aws-load-balancer-nlb-target-type: ip`, `aws-load-balancer-scheme`), preferred when the controller is known to be there; or the legacy provider\'s `aws-load-balancer-type: nlb` (instance targets), preferred when the environment says there is no controller.',
  provide,
});

function provide(ctx: FixContext<Data>): Fix[] {
  const obj = findingObject(ctx);
  if (!obj || obj.kind !== 'Service' || str(get(get(obj.node, 'spec'), 'type')) !== 'LoadBalancer') return [];
  const annotations = asMap(get(get(obj.node, 'metadata'), 'annotations'));
  const internal = ['true', '0.0.0.0/0'].includes(str(get(annotations, `${PREFIX}aws-load-balancer-internal`))?.toLowerCase() ?? '');
  const scheme = str(get(annotations, `${PREFIX}aws-load-balancer-scheme`)) ?? (internal ? 'internal' : 'internet-facing');
  const controller = ctx.data.controller === 'present' || ctx.data.controller === 'absent' ? ctx.data.controller : 'unknown';
  const fixes: Fix[] = [];
  const lbc = ctx.editor.setIn(obj.node, ['metadata', 'annotations'], [
    [`${PREFIX}aws-load-balancer-type`, 'external'],
    [`${PREFIX}aws-load-balancer-nlb-target-type`, 'ip'],
    [`${PREFIX}aws-load-balancer-scheme`, scheme],
  ]);
  const needs = controller === 'present' ? '' : ', needs the controller installed';
  if (lbc?.length) fixes.push({ title: `Use a Network Load Balancer (AWS Load Balancer Controller annotations, ${scheme}${needs})`, preferred: controller === 'present', edits: lbc });
  if (controller !== 'present') {
    const legacy = ctx.editor.setIn(obj.node, ['metadata', 'annotations'], [[`${PREFIX}aws-load-balancer-type`, 'nlb']]);
    if (legacy?.length) fixes.push({ title: `Use a Network Load Balancer from the legacy controller (aws-load-balancer-type: nlb, instance targets, ${internal ? 'internal' : 'internet-facing'})`, preferred: controller === 'absent', edits: legacy });
  }
  return fixes.sort((a, b) => Number(!!b.preferred) - Number(!!a.preferred));
}
