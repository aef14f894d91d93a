// Services of type LoadBalancer that the legacy AWS cloud provider turns into a Classic Load Balancer:
// quiet when the environment has the AWS Load Balancer Controller (v2.5+) or EKS Auto Mode, which give NLBs.
// The controller's objects alone (no install of a known version) leave the outcome to its version: still info.
// A manifest in a folder named for another platform (`provider/kind/`, `deploy/gke/`) was written for it: quiet.
import { asScalar, at, get, str } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { annotations, isBuiltIn, isPlaceholder, objectRef } from '../../model/kubernetes';
import { otherPlatformFolder } from '../platforms';

const LB_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';
/** `nlb`: the in-tree provider's NLB; `external` and `nlb-ip`: the AWS Load Balancer Controller. */
const NOT_CLASSIC = new Set(['nlb', 'external', 'nlb-ip']);
// Load-balancer annotations of other providers: the manifest targets another cloud or bare metal, so
// what EKS would do with it cannot be known.
const OTHER_PROVIDER = /^(service\.beta\.kubernetes\.io\/(azure|do-loadbalancer|oci|linode|alibaba-cloud|openstack)-|cloud\.google\.com\/|networking\.gke\.io\/|metallb\.(universe\.tf|io)\/)/;

const HOW =
  'To choose an NLB in the manifest: `spec.loadBalancerClass: service.k8s.aws/nlb`, or the annotations `aws-load-balancer-type: external`, `aws-load-balancer-nlb-target-type: ip` and `aws-load-balancer-scheme: internet-facing`; only the AWS Load Balancer Controller reads these (without it the Service gets no load balancer at all). With only the legacy controller, `aws-load-balancer-type: nlb` gives an NLB with instance targets. For HTTP, an ALB `Ingress` fits better.';

export default defineRule({
  meta: {
    id: 'k8s-service-classic-lb',
    title: 'Service type LoadBalancer gets a Classic Load Balancer from the legacy controller',
    severity: 'warning',
    kb: 'ecs-load-balancers',
    appliesTo: ['kubernetes'],
    fixes: ['nlb-annotations'],
    description:
      'What a `Service` with `type: LoadBalancer` and no load-balancer annotations becomes on EKS depends on the cluster. The legacy AWS cloud provider controller (which only gets critical bug fixes) creates a **Classic Load Balancer**, the previous-generation load balancer AWS advises against for new designs. With the **AWS Load Balancer Controller v2.5 or later**, its Service webhook (on by default) gives new Services an NLB (`loadBalancerClass: service.k8s.aws/nlb`), and on **EKS Auto Mode** the cluster default is an NLB too. The rule is quiet when `.kbhints.yaml` declares, or the workspace shows, the controller or Auto Mode (`environment.eks.loadBalancerController`, `environment.eks.autoMode`: see the environment docs); the workspace shows the controller through its Deployment or Helm chart (v2.5+, or no version stated; an install before v2.5, or with the webhook off, makes the finding a `warning` naming it); its custom resources (`IngressClassParams`, `TargetGroupBinding`) or an `ingress.k8s.aws/alb` IngressClass only show that some version is there, so the finding stays `info` and names that file. A manifest in a folder named for another platform (`gke`, `aks`, `kind`, `minikube`, `exoscale`...) was written for that platform and is left alone. When neither is known the finding is `info` and says under which condition the Classic Load Balancer happens; when the environment says neither is there it is a `warning`.',
    fix: 'Say in the manifest which load balancer you want, so the result does not depend on the cluster\'s default. With the AWS Load Balancer Controller installed (without it such a Service gets no load balancer): `spec.loadBalancerClass: service.k8s.aws/nlb` (`eks.amazonaws.com/nlb` on Auto Mode), or the annotations `service.beta.kubernetes.io/aws-load-balancer-type: external`, `service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip` and `service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing` (or `internal`). With only the legacy controller, `service.beta.kubernetes.io/aws-load-balancer-type: nlb` gives an NLB with instance targets. For HTTP(S), keep the Service `ClusterIP` and expose it through an `Ingress` with `ingressClassName: alb`. If the cluster has the controller or Auto Mode, declare it in `.kbhints.yaml` (`environment: { eks: { loadBalancerController: true } }`).',
    messages: {
      classicLbUnlessController: '{{object}} gets a Classic Load Balancer without the Load Balancer Controller or Auto Mode',
      classicLbUnlessControllerVersion: '{{object}} gets a Classic Load Balancer unless the Load Balancer Controller is v2.5+',
      classicLb: '{{object}} gets a Classic Load Balancer: the cluster has neither the Load Balancer Controller nor Auto Mode',
      classicLbOldController: '{{object}} gets a Classic Load Balancer: the Load Balancer Controller here has no Service webhook',
    },
    details: {
      classicLbUnlessController: `The Service {{why}}. On a cluster with only the legacy cloud provider controller that makes a Classic Load Balancer; the AWS Load Balancer Controller v2.5+ (Service webhook on, for Services created as LoadBalancer) and EKS Auto Mode make an NLB. Assumed: neither \`.kbhints.yaml\` (\`environment.eks.loadBalancerController\`, \`environment.eks.autoMode\`) nor the workspace says which the cluster has; declare it to make this finding exact. ${HOW}`,
      classicLbUnlessControllerVersion: `The Service {{why}}. Assumed: the AWS Load Balancer Controller is there ({{evidence}}), its version unknown. v2.5+ with its Service webhook on (the default) makes an NLB; an older one leaves the Service to the legacy cloud provider controller, which makes a Classic Load Balancer. Declare it in \`.kbhints.yaml\` (\`environment.eks.loadBalancerController\`: \`true\` for v2.5+ with the webhook on, \`false\` before). ${HOW}`,
      classicLbOldController: `The Service {{why}}, and {{origin}}. The controller's Service webhook, which gives new Services an NLB, came with v2.5 (on by default); without it un-annotated Services go to the legacy cloud provider controller, which creates a Classic Load Balancer. Upgrade the controller to v2.5+ with the webhook on, or say in the manifest which load balancer you want. ${HOW}`,
      classicLb: `The Service {{why}}, and the environment has neither the AWS Load Balancer Controller nor Auto Mode ({{origin}}), so the legacy cloud provider controller handles it and creates a Classic Load Balancer. ${HOW}`,
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
      const value = str(get(ann, LB_TYPE));
      if (value !== undefined && (NOT_CLASSIC.has(value) || isPlaceholder(value))) continue;
      if (otherPlatformFolder(ctx.file.uri)) return;
      // Read only now: most files have no such Service, and reading the environment reads the workspace.
      const eks = ctx.environment.eks;
      if (eks?.loadBalancerController || eks?.autoMode) continue;
      const why = value === undefined
        ? 'has no aws-load-balancer-type annotation and no loadBalancerClass'
        : `has aws-load-balancer-type "${value}", which no controller turns into an NLB`;
      const origins = ctx.environment.origins ?? {};
      // The workspace's own controller, installed without the webhook: Services go to the legacy controller.
      const oldController = eks?.loadBalancerController === false && eks.autoMode === undefined && origins['eks.loadBalancerController']?.startsWith('detected: ');
      const known = oldController || (eks?.loadBalancerController === false && eks?.autoMode === false);
      const origin = [...new Set([origins['eks.loadBalancerController'], origins['eks.autoMode']].filter(Boolean))].join(' and ');
      const evidence = ctx.environment.signs?.['eks.loadBalancerController'];
      ctx.report({
        node: type,
        messageId: oldController ? 'classicLbOldController' : known ? 'classicLb' : evidence ? 'classicLbUnlessControllerVersion' : 'classicLbUnlessController',
        values: { object: objectRef(obj), why, origin: oldController ? origins['eks.loadBalancerController']!.replace(/^detected: /, '') : origin || 'declared', evidence: evidence ?? '' },
        severity: known ? 'warning' : 'info',
        // Whether the controller that reads the NLB annotations is there: the quick fixes depend on it.
        data: { fix: 'nlb-annotations', controller: oldController || evidence ? 'present' : known ? 'absent' : 'unknown' },
      });
    }
  },
});
