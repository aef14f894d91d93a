// Services of type LoadBalancer that the in-tree AWS cloud provider turns into a Classic Load Balancer.
import { asScalar, at, get, str } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { annotations, isBuiltIn, isPlaceholder, objectRef } from '../../model/kubernetes';

const LB_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';
/** `nlb`: the in-tree provider's NLB; `external` and `nlb-ip`: the AWS Load Balancer Controller. */
const NOT_CLASSIC = new Set(['nlb', 'external', 'nlb-ip']);
// Load-balancer annotations of other providers: the manifest targets another cloud or bare metal, so
// what EKS would do with it cannot be known.
const OTHER_PROVIDER = /^(service\.beta\.kubernetes\.io\/(azure|do-loadbalancer|oci|linode|alibaba-cloud|openstack)-|cloud\.google\.com\/|networking\.gke\.io\/|metallb\.(universe\.tf|io)\/)/;

export default defineRule({
  meta: {
    id: 'k8s-service-classic-lb',
    title: 'Service type LoadBalancer gets a Classic Load Balancer on EKS',
    severity: 'warning',
    kb: 'ecs-load-balancers',
    appliesTo: ['kubernetes'],
    fixes: ['nlb-annotations'],
    description:
      'On EKS, a `Service` with `type: LoadBalancer` and no load-balancer annotations is handled by the legacy in-tree cloud provider, which creates a **Classic Load Balancer**. The KB says the Classic Load Balancer still works but is discouraged and should not be picked for new designs: use a **Network Load Balancer** (high throughput, PrivateLink) through the AWS Load Balancer Controller, or an **Application Load Balancer** through an `Ingress` for HTTP services.',
    fix: 'With the AWS Load Balancer Controller installed, ask for an NLB with `spec.loadBalancerClass: service.k8s.aws/nlb` or the annotations `service.beta.kubernetes.io/aws-load-balancer-type: external`, `service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip` and `service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing` (or `internal`). For HTTP(S), keep the Service `ClusterIP` and expose it through an `Ingress` with `ingressClassName: alb`.',
    messages: {
      classicLb: '{{object}} is type LoadBalancer but {{why}}: on EKS this provisions a Classic Load Balancer, which the KB discourages. Install the AWS Load Balancer Controller and annotate the Service for an NLB (aws-load-balancer-type: external, aws-load-balancer-nlb-target-type: ip, aws-load-balancer-scheme), or expose HTTP through an Ingress with an ALB.',
    },
    example: {
      fires: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  selector: { app: web }\n  ports:\n    - port: 80\n      targetPort: 8080\n',
      fixed:
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-type: external\n    service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip\n    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing\nspec:\n  type: LoadBalancer\n  selector: { app: web }\n  ports:\n    - port: 80\n      targetPort: 8080\n',
    },
  },
  check(ctx) {
    for (const obj of ctx.objects) {
      if (!isBuiltIn(obj, 'Service')) continue;
      const type = asScalar(at(obj.node, 'spec', 'type'));
      if (str(type) !== 'LoadBalancer' || !type) continue;
      if (str(at(obj.node, 'spec', 'loadBalancerClass'))) continue;
      const ann = annotations(obj.node);
      if (ann?.pairs.some((p) => OTHER_PROVIDER.test(String(p.key.value)))) continue;
      const lbType = get(ann, LB_TYPE);
      const value = str(lbType);
      if (value !== undefined && (NOT_CLASSIC.has(value) || isPlaceholder(value))) continue;
      const why = value === undefined
        ? 'has no aws-load-balancer-type annotation and no loadBalancerClass'
        : `has aws-load-balancer-type "${value}", which neither the in-tree provider nor the AWS Load Balancer Controller turns into an NLB`;
      ctx.report({
        node: type,
        messageId: 'classicLb', values: { object: objectRef(obj), why },
        data: { fix: 'nlb-annotations' },
      });
    }
  },
});
