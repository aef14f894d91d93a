// App Runner services that use a database or cache of the template without VPC egress.
import { get, pair, type Node } from '../../documents/nodes';
import { branches, intrinsic, literal, literalValues, referencesIn } from '../../model/intrinsics';
import type { Resource, Template } from '../../model/template';
import { defineRule } from '../../engine/rule';
import { APP_RUNNER_SERVICE, runtimeEnvironment } from '../apprunner';

/** Databases and caches that live in a VPC. */
const DATA_STORES = new Set([
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::ServerlessCache',
  'AWS::ElastiCache::GlobalReplicationGroup',
  'AWS::MemoryDB::Cluster',
  'AWS::DocDB::DBCluster',
]);

/** Attributes that identify a resource to the AWS API rather than give a network address or credentials. */
const API_ATTRIBUTES = new Set(['Arn', 'ARN', 'DBClusterArn', 'DBInstanceArn', 'ClusterArn', 'DBClusterResourceId', 'DbiResourceId', 'ClusterResourceId']);

const isTrue = (node: Node | undefined) => literal(node)?.toLowerCase() === 'true';

/** `PubliclyAccessible` is true, or set to something that cannot be read (a parameter): maybe public. */
function maybePublic(res: Resource): boolean {
  const p = pair(res.properties, 'PubliclyAccessible');
  if (!p || !branches(p.value).length) return false;
  const values = literalValues(p.value);
  return !values || values.some((v) => v.toLowerCase() === 'true');
}

/** A database that may be reachable without the VPC: publicly accessible, by itself or through its cluster's instances. */
function publiclyReachable(tpl: Template, db: Resource): boolean {
  if (maybePublic(db)) return true;
  if (db.type !== 'AWS::RDS::DBCluster') return false;
  const instances = tpl.referencesTo(db.id).filter((e) => e.from.type === 'AWS::RDS::DBInstance').map((e) => e.from);
  return instances.length > 0 && instances.every(maybePublic);
}

/** Whether a reference means a network connection to the data store (and not, e.g., the RDS Data API). */
function connects(tpl: Template, db: Resource, attribute: string | undefined): boolean {
  if (attribute && API_ATTRIBUTES.has(attribute)) return false;
  // With the Data API on, the cluster is reached over HTTPS through its ARN and secret; only an endpoint means a connection.
  if (db.type === 'AWS::RDS::DBCluster' && isTrue(get(db.properties, 'EnableHttpEndpoint'))) return !!attribute && /Endpoint/.test(attribute);
  return !publiclyReachable(tpl, db);
}

type Egress = 'vpc' | 'unknown' | { default?: Node };

/** How a service's outbound traffic leaves, per branch: `{ default }` holds an explicit `EgressType: DEFAULT`. */
function egress(svc: Resource): Egress[] {
  const network = branches(get(svc.properties, 'NetworkConfiguration'));
  if (!network.length) return [{}];
  const out: Egress[] = [];
  for (const n of network) {
    if (n.kind !== 'map' || intrinsic(n)) return ['unknown'];
    const configs = branches(get(n, 'EgressConfiguration'));
    if (!configs.length) out.push({});
    for (const c of configs) {
      if (c.kind !== 'map' || intrinsic(c)) return ['unknown'];
      const type = pair(c, 'EgressType');
      const values = type ? literalValues(type.value) : [];
      if (!values) return ['unknown'];
      if (values.some((v) => v.toUpperCase() === 'VPC')) out.push(branches(get(c, 'VpcConnectorArn')).length ? 'vpc' : {});
      else out.push({ default: type && values.some((v) => v.toUpperCase() === 'DEFAULT') ? type.value : undefined });
    }
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'apprunner-vpc-egress-missing',
    title: 'App Runner service cannot reach its database without VPC egress',
    severity: 'warning',
    kb: 'app-runner',
    appliesTo: ['cloudformation'],
    description:
      'By default an App Runner service sends outbound traffic to the internet only, so it cannot reach an RDS database, an ElastiCache or MemoryDB cluster or a DocumentDB cluster inside a VPC. The KB: define an `AWS::AppRunner::VpcConnector` (subnets and security groups) and set `NetworkConfiguration.EgressConfiguration` with `EgressType: VPC` and its `VpcConnectorArn`. A service whose environment points at such a data store but keeps `DEFAULT` egress fails to connect at run time.',
    fix: 'Add an `AWS::AppRunner::VpcConnector` in the data store\'s subnets with a security group the database accepts, and set `NetworkConfiguration: { EgressConfiguration: { EgressType: VPC, VpcConnectorArn: !GetAtt Connector.VpcConnectorArn } }` on the service.',
    messages: {
      noVpcEgress: 'App Runner service {{service}} uses {{dataStores}} from its environment, but its outbound traffic goes to the internet only: add an AWS::AppRunner::VpcConnector and set NetworkConfiguration.EgressConfiguration to EgressType VPC with its VpcConnectorArn.',
    },
    example: {
      fires:
        'Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: { Engine: postgres, DBInstanceClass: db.t4g.micro, AllocatedStorage: "20" }\n  Service:\n    Type: AWS::AppRunner::Service\n    Properties:\n      SourceConfiguration:\n        ImageRepository:\n          ImageIdentifier: public.ecr.aws/aws-containers/hello-app-runner:latest\n          ImageRepositoryType: ECR_PUBLIC\n          ImageConfiguration:\n            RuntimeEnvironmentVariables:\n              - { Name: DB_HOST, Value: !GetAtt Db.Endpoint.Address }\n',
      fixed:
        'Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: { Engine: postgres, DBInstanceClass: db.t4g.micro, AllocatedStorage: "20" }\n  Connector:\n    Type: AWS::AppRunner::VpcConnector\n    Properties: { Subnets: [subnet-1, subnet-2], SecurityGroups: [sg-1] }\n  Service:\n    Type: AWS::AppRunner::Service\n    Properties:\n      SourceConfiguration:\n        ImageRepository:\n          ImageIdentifier: public.ecr.aws/aws-containers/hello-app-runner:latest\n          ImageRepositoryType: ECR_PUBLIC\n          ImageConfiguration:\n            RuntimeEnvironmentVariables:\n              - { Name: DB_HOST, Value: !GetAtt Db.Endpoint.Address }\n      NetworkConfiguration:\n        EgressConfiguration:\n          EgressType: VPC\n          VpcConnectorArn: !GetAtt Connector.VpcConnectorArn\n',
    },
  },
  check(ctx) {
    const tpl = ctx.template;
    for (const svc of tpl.byType(APP_RUNNER_SERVICE)) {
      const stores: Resource[] = [];
      for (const env of runtimeEnvironment(svc)) {
        for (const ref of referencesIn(env)) {
          const db = tpl.resource(ref.target);
          if (db && DATA_STORES.has(db.type) && !stores.includes(db) && connects(tpl, db, ref.attribute)) stores.push(db);
        }
      }
      if (!stores.length) continue;
      const ways = egress(svc);
      if (ways.some((w) => w === 'vpc' || w === 'unknown')) continue;
      const node = ways.map((w) => (typeof w === 'object' ? w.default : undefined)).find((n) => n) ?? svc.key;
      const names = stores.map((s) => ctx.name(s)).join(', ');
      ctx.report({
        node,
        messageId: 'noVpcEgress', values: { service: ctx.name(svc), dataStores: names },
        related: stores.map((s) => ({ node: s.key, message: `${ctx.name(s)} (${s.type}) lives in a VPC.` })),
        data: { resource: svc.id },
      });
    }
  },
});
