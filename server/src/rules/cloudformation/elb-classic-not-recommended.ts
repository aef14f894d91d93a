// Classic Load Balancers: one finding per load balancer (the ECS services attached to it are related
// locations), or one per service entry that attaches a Classic Load Balancer from outside the template.
import { asMap, get, items, pair } from '../../documents/nodes';
import { literal } from '../../model/intrinsics';
import { defineRule, type Related, type Severity } from '../../engine/rule';
import type { Resource, Template } from '../../model/template';
import { isCdk, SERVICE } from '../ecs';

const CLASSIC = 'AWS::ElasticLoadBalancing::LoadBalancer';

/** Resource types that run containers: outside such templates a Classic Load Balancer is an EC2 matter (info). */
const CONTAINER_TYPES = /^AWS::(ECS|EKS|AppRunner|Batch)::/;

function hasContainers(tpl: Template): boolean {
  for (const r of tpl.resources.values()) if (CONTAINER_TYPES.test(r.type)) return true;
  return false;
}

/** What to move a CLB's listeners to, in a few words: an NLB for TCP/SSL, an ALB for HTTP/HTTPS. */
function replacement(lb: Resource, cdk: boolean): { replacement: string; protocols: string } {
  const protocols = new Set<string>();
  for (const l of items(get(lb.properties, 'Listeners'))) {
    const p = literal(get(l, 'Protocol'))?.toUpperCase();
    if (p) protocols.add(p);
  }
  const layer4 = [...protocols].some((p) => p === 'TCP' || p === 'SSL');
  const layer7 = [...protocols].some((p) => p === 'HTTP' || p === 'HTTPS');
  const alb = cdk ? 'an elbv2.ApplicationLoadBalancer' : 'an ALB';
  const nlb = cdk ? 'an elbv2.NetworkLoadBalancer' : 'an NLB';
  const list = [...protocols].sort().join('/');
  if (layer4 && layer7) return { replacement: `move TCP/SSL listeners to ${nlb}, HTTP/HTTPS to ${alb}`, protocols: list };
  if (layer4) return { replacement: `move its ${list} listeners to ${nlb}`, protocols: list };
  if (layer7) return { replacement: `move its ${list} listeners to ${alb}`, protocols: list };
  return { replacement: `use ${alb}, or ${nlb} for TCP traffic`, protocols: 'unknown' };
}

// Why it matters, for a template with containers and for one that balances plain instances.
const FOR_TASKS = 'it has no target groups, path or host routing or IP targets, so it cannot front `awsvpc` or Fargate tasks.';
const FOR_INSTANCES = 'it has no target groups (one health check per load balancer, not per service and port), no path or host routing, no HTTP/2 or gRPC to targets and no IP targets, and new features only reach Application and Network Load Balancers.';

export default defineRule({
  meta: {
    id: 'elb-classic-not-recommended',
    title: 'Classic Load Balancer is supported but not recommended',
    severity: 'warning',
    kb: 'ecs-load-balancers',
    appliesTo: ['cloudformation'],
    description:
      'ECS works with three kinds of Elastic Load Balancing: an **Application Load Balancer** suits most HTTP services, a **Network Load Balancer** is for TCP/UDP/TLS traffic, high throughput and AWS PrivateLink, and a **Classic Load Balancer** still works but is not recommended: it lacks target groups, path and host routing, and IP targets (so no `awsvpc` or Fargate tasks). The finding is a warning in templates that run containers and an info elsewhere (a Classic Load Balancer in front of plain EC2 instances is a modernisation matter, not a container one).',
    fix: 'Replace the `AWS::ElasticLoadBalancing::LoadBalancer` with an `AWS::ElasticLoadBalancingV2::LoadBalancer`: `Type: network` for TCP or SSL listeners, `Type: application` for HTTP or HTTPS, with a listener and a target group, and attach ECS services through `TargetGroupArn` instead of `LoadBalancerName`. In CDK, use `elbv2.NetworkLoadBalancer` or `elbv2.ApplicationLoadBalancer` instead of `elb.LoadBalancer`.',
    messages: {
      classic: 'Classic Load Balancer {{loadBalancer}} is not recommended: {{replacement}}',
      attachedByName: 'Service {{service}} attaches Classic Load Balancer {{name}}: use a target group of an ALB or NLB',
    },
    details: {
      classic:
        'A Classic Load Balancer still works, but it is the previous generation: {{why}} Move to an Elastic Load Balancing v2 load balancer: a Network Load Balancer for TCP or SSL listeners, an Application Load Balancer for HTTP or HTTPS{{services}}.',
      attachedByName:
        'The service names a Classic Load Balancer through `LoadBalancerName`. A Classic Load Balancer lacks target groups, path and host routing and IP targets (no `awsvpc` or Fargate tasks). Create an Application Load Balancer (HTTP/HTTPS) or Network Load Balancer (TCP/TLS) with a target group and attach the service through `TargetGroupArn`.',
    },
    example: {
      fires: 'Resources:\n  WebLb:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n      Listeners:\n        - { LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP }\n',
      fixed: 'Resources:\n  WebLb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Type: application\n      Subnets: [subnet-1, subnet-2]\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    const severity: Severity = hasContainers(tpl) ? 'warning' : 'info';
    const lbs = tpl.byType(CLASSIC);
    // Service entries attached by name, and the template's CLB they name (by Ref or by its literal LoadBalancerName).
    const attached = new Map<Resource, Related[]>();
    const byName = new Map<string, Resource>();
    for (const lb of lbs) {
      const name = literal(get(lb.properties, 'LoadBalancerName'));
      if (name) byName.set(name, lb);
      attached.set(lb, []);
    }
    for (const svc of tpl.byType(SERVICE)) {
      for (const entry of items(get(svc.properties, 'LoadBalancers'))) {
        const p = pair(asMap(entry), 'LoadBalancerName');
        if (!p) continue;
        const lb = tpl.targets(p.value).find((r) => r.type === CLASSIC) ?? byName.get(literal(p.value) ?? '\u0000');
        if (lb) {
          attached.get(lb)!.push({ node: p.key, message: `Service ${ctx.name(svc)} attaches it through LoadBalancerName` });
          continue;
        }
        // A target that is some other resource (or a V2 load balancer by mistake) is not this rule's business.
        if (tpl.targets(p.value).length) continue;
        ctx.report({
          node: p.key,
          messageId: 'attachedByName',
          values: { service: ctx.name(svc), name: literal(p.value) ?? '(from a parameter)' },
          severity: 'warning',
        });
      }
    }
    for (const lb of lbs) {
      const related = attached.get(lb)!;
      const services = related.length ? `, then attach the service${related.length > 1 ? 's' : ''} through \`TargetGroupArn\` instead of \`LoadBalancerName\`` : '';
      ctx.report({
        node: lb.key,
        messageId: 'classic',
        values: { loadBalancer: ctx.name(lb), ...replacement(lb, isCdk(ctx)), services, why: severity === 'warning' ? FOR_TASKS : FOR_INSTANCES },
        related,
        severity,
      });
    }
  },
});
