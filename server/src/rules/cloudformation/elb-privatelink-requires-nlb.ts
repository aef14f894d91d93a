// VPC endpoint services (PrivateLink) pointed at an Application Load Balancer.
import { get, items, pair } from '../../documents/nodes';
import { branches, literalValues } from '../../model/intrinsics';
import { pick, resourceCondition, scenarios } from '../../model/conditions';
import { defineRule } from '../../engine/rule';

export default defineRule({
  meta: {
    id: 'elb-privatelink-requires-nlb',
    title: 'PrivateLink endpoint service needs a Network Load Balancer',
    severity: 'error',
    kb: 'ecs-load-balancers',
    appliesTo: ['cloudformation'],
    description:
      'An `AWS::EC2::VPCEndpointService` exposes a service over **AWS PrivateLink**, which works through a **Network Load Balancer**: `NetworkLoadBalancerArns` must reference Network Load Balancers. An Application Load Balancer (the `AWS::ElasticLoadBalancingV2::LoadBalancer` default when `Type` is absent) is rejected there, so the stack fails to create the endpoint service.',
    fix: 'Put a Network Load Balancer (`Type: network`) in front of the service and list it in `NetworkLoadBalancerArns`. To keep HTTP routing, register the ALB as the target of the NLB (a target group with `TargetType: alb`).',
    messages: {
      notNlb: 'Endpoint service {{service}} lists Application Load Balancer {{loadBalancer}}: PrivateLink needs an NLB',
    },
    details: {
      notNlb: 'NetworkLoadBalancerArns must name Network Load Balancers: creating the endpoint service fails with an Application Load Balancer. Use a load balancer with Type network; it can forward to the ALB through a target group of TargetType alb.',
    },
    example: {
      fires: 'Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Subnets: [subnet-1, subnet-2]\n  Endpoint:\n    Type: AWS::EC2::VPCEndpointService\n    Properties:\n      NetworkLoadBalancerArns: [!Ref Lb]\n',
      fixed: 'Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Type: network\n      Subnets: [subnet-1, subnet-2]\n  Endpoint:\n    Type: AWS::EC2::VPCEndpointService\n    Properties:\n      NetworkLoadBalancerArns: [!Ref Lb]\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    for (const svc of tpl.byType('AWS::EC2::VPCEndpointService')) {
      for (const list of branches(get(svc.properties, 'NetworkLoadBalancerArns'))) {
        for (const item of items(list)) {
          for (const lb of tpl.targets(item)) {
            if (lb.type !== 'AWS::ElasticLoadBalancingV2::LoadBalancer') continue;
            const type = pair(lb.properties, 'Type');
            // Only the ways the type can go while both resources exist (`!If [UsePrivateLink, network, application]`
            // beside an endpoint service under UsePrivateLink is an NLB).
            const ways = type && branches(type.value).length ? scenarios(tpl, [type.value], [resourceCondition(svc), resourceCondition(lb)]) : [];
            const values = !type || !branches(type.value).length ? ['application'] : ways?.flatMap((w) => literalValues(pick(type.value, w)) ?? []);
            if (!values?.some((v) => v.toLowerCase() === 'application')) continue;
            ctx.report({
              node: item,
              messageId: 'notNlb', values: { service: ctx.name(svc), loadBalancer: ctx.name(lb) },
              related: [{ node: type?.value ?? lb.key, message: `${ctx.name(lb)} is an Application Load Balancer${type ? '' : ' (the default when Type is absent)'}.` }],
            });
            break;
          }
        }
      }
    }
  },
});
