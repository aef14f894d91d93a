// Classic Load Balancers, standalone or attached to an ECS service by name.
import { asMap, get, items, pair } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { SERVICE } from '../ecs';

const ADVICE = 'use an Application Load Balancer, or a Network Load Balancer for high throughput or PrivateLink';

export default defineRule({
  meta: {
    id: 'elb-classic-not-recommended',
    title: 'Classic Load Balancer is supported but not recommended',
    severity: 'warning',
    kb: 'ecs-load-balancers',
    appliesTo: ['cloudformation'],
    description:
      'ECS works with three kinds of Elastic Load Balancing. The KB ranks them: an **Application Load Balancer** suits most services, a **Network Load Balancer** is for high throughput or performance and for AWS PrivateLink, and a **Classic Load Balancer** still works but is not recommended: it lacks target groups, path and host routing, and IP targets (so no `awsvpc` or Fargate tasks).',
    fix: 'Replace the `AWS::ElasticLoadBalancing::LoadBalancer` with an `AWS::ElasticLoadBalancingV2::LoadBalancer` (type `application`, or `network` for high throughput or PrivateLink), a listener and a target group, and attach the service through `TargetGroupArn` instead of `LoadBalancerName`.',
    messages: {
      classic: 'Classic Load Balancer {{loadBalancer}} is supported but not recommended: {{advice}}.',
      attachedByName: 'Service {{service}} attaches a Classic Load Balancer through LoadBalancerName: it is supported but not recommended; {{advice}} and attach it with TargetGroupArn.',
    },
    example: {
      fires: 'Resources:\n  WebLb:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n      Listeners:\n        - { LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP }\n',
      fixed: 'Resources:\n  WebLb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Type: application\n      Subnets: [subnet-1, subnet-2]\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    for (const lb of tpl.byType('AWS::ElasticLoadBalancing::LoadBalancer')) {
      ctx.report({ node: lb.key, messageId: 'classic', values: { loadBalancer: ctx.name(lb), advice: ADVICE } });
    }
    for (const svc of tpl.byType(SERVICE)) {
      for (const entry of items(get(svc.properties, 'LoadBalancers'))) {
        const byName = pair(asMap(entry), 'LoadBalancerName');
        if (!byName) continue;
        ctx.report({
          node: byName.key,
          messageId: 'attachedByName', values: { service: ctx.name(svc), advice: ADVICE },
        });
      }
    }
  },
});
