// What a workspace file shows about the environment its manifests deploy to (see environment.ts): an EKS
// cluster with Auto Mode compute, the AWS Load Balancer Controller (its Deployment or Helm chart, with or
// without the Service webhook of v2.5+; its custom resources only show that some version is there), Fargate profiles whose selectors take whole namespaces,
// an ECR registry scanning configuration.
// Facts are per file (plain data: the parallel CLI sends them between threads); `combineFacts` turns the
// facts of every file into a detected Environment.
import { asMap, at, get, items, str, walk, type Node } from '../documents/nodes';
import type { FileModel } from '../kinds/kind';
import { literal } from '../model/intrinsics';
import { apiGroup, containers, type K8sObject } from '../model/kubernetes';
import type { Template } from '../model/template';
import type { Environment } from './environment';

export interface EnvironmentFacts {
  /** EKS clusters in the file: name, and whether Auto Mode compute is on (undefined: cannot be read). */
  clusters?: Array<{ name: string; autoMode?: boolean }>;
  /** What shows the AWS Load Balancer Controller v2.5+ is installed, Service webhook on (`Deployment/aws-load-balancer-controller`). */
  loadBalancerController?: string;
  /**
   * What shows some version of the controller is there (an `elbv2.k8s.aws` object, an `ingress.k8s.aws/alb`
   * IngressClass): these exist since v2.0 and v2.2, the Service webhook only since v2.5.
   */
  loadBalancerControllerObjects?: string;
  /** What shows an install without the Service webhook: a version before v2.5, or the webhook turned off. */
  loadBalancerControllerWithoutWebhook?: string;
  /** Namespaces a Fargate profile takes whole (a selector without labels), with the profile's name. */
  fargateNamespaces?: Array<[namespace: string, profile: string]>;
  /** The registry scanning configuration that turns on registry-level scanning. */
  registryScanning?: string;
}

const LBC = 'aws-load-balancer-controller';
/** The controller's image names: v2 images were published under the v1 name too (`amazon/aws-alb-ingress-controller:v2.1.3`). */
const LBC_IMAGE = /aws-load-balancer-controller|aws-alb-ingress-controller/;
/** The controller's own API group (IngressClassParams, TargetGroupBinding): Auto Mode's is eks.amazonaws.com. */
const LBC_GROUP = 'elbv2.k8s.aws';
const LBC_INGRESS_CONTROLLER = 'ingress.k8s.aws/alb';
/** A version before v2.5 has no Service webhook: un-annotated Services still go to the legacy controller. */
function beforeWebhook(version: string | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return !!m && (+m[1] < 2 || (+m[1] === 2 && +m[2] < 5));
}
/** Helm chart versions before 1.5.0 ship controllers before v2.5.0. */
function chartBeforeWebhook(version: string | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return !!m && (+m[1] < 1 || (+m[1] === 1 && +m[2] < 5));
}
const WEBHOOK_OFF = /enableServiceMutatorWebhook["']?\s*[:=]\s*["']?false|enable-service-mutator-webhook=false/i;

/** True when Helm values (a mapping, or YAML/JSON text as CDK writes them) turn the Service webhook off. */
function webhookOff(node: Node | undefined): boolean {
  let off = false;
  walk(node, (n) => {
    if (off) return false;
    if (n.kind === 'scalar' && typeof n.value === 'string' && WEBHOOK_OFF.test(n.value)) off = true;
    else if (n.kind === 'map') off = n.pairs.some((p) => String(p.key.value) === 'enableServiceMutatorWebhook' && str(p.value) === 'false');
  });
  return off;
}

/** The facts one file shows (empty for most files). */
export function detectFacts(model: FileModel, fileName: string): EnvironmentFacts {
  const facts: EnvironmentFacts = {};
  if (model.template) fromTemplate(model.template, fileName, facts);
  for (const obj of model.objects) fromObject(obj, fileName, facts);
  return facts;
}

function fromTemplate(tpl: Template, file: string, facts: EnvironmentFacts): void {
  for (const c of tpl.byType('AWS::EKS::Cluster')) {
    const enabled = at(c.properties, 'ComputeConfig', 'Enabled');
    const v = enabled === undefined ? 'false' : literal(enabled);
    (facts.clusters ??= []).push({ name: `AWS::EKS::Cluster ${c.id} in ${file}`, autoMode: v === undefined ? undefined : v === 'true' });
  }
  for (const p of tpl.byType('AWS::EKS::FargateProfile')) {
    for (const s of items(get(p.properties, 'Selectors'))) {
      if (asMap(get(s, 'Labels'))?.pairs.length || items(get(s, 'Labels')).length) continue;
      const ns = literal(get(s, 'Namespace'));
      if (ns) (facts.fargateNamespaces ??= []).push([ns, `AWS::EKS::FargateProfile ${p.id} in ${file}`]);
    }
  }
  // CDK's aws-eks constructs: the Fargate profile and Helm chart custom resources.
  for (const p of tpl.byType('Custom::AWSCDK-EKS-FargateProfile')) {
    for (const s of items(at(p.properties, 'Config', 'selectors'))) {
      if (asMap(get(s, 'labels'))?.pairs.length) continue;
      const ns = literal(get(s, 'namespace'));
      if (ns) (facts.fargateNamespaces ??= []).push([ns, `Fargate profile ${p.id} in ${file}`]);
    }
  }
  for (const r of tpl.resources.values()) {
    if (facts.loadBalancerController) break;
    const chart = literal(get(r.properties, 'Chart'));
    if (chart !== LBC && !chart?.endsWith(`/${LBC}`)) continue;
    const version = literal(get(r.properties, 'Version'));
    const label = `Helm chart ${LBC} (${r.id}) in ${file}`;
    if (chartBeforeWebhook(version)) facts.loadBalancerControllerWithoutWebhook ??= `${label} is version ${version}`;
    else if (webhookOff(get(r.properties, 'Values'))) facts.loadBalancerControllerWithoutWebhook ??= `${label} turns the Service webhook off`;
    else facts.loadBalancerController = label;
  }
  for (const r of tpl.byType('AWS::ECR::RegistryScanningConfiguration')) {
    const rules = get(r.properties, 'Rules');
    if (rules?.kind === 'seq' && !rules.items.length) continue;
    facts.registryScanning = `AWS::ECR::RegistryScanningConfiguration ${r.id} in ${file}`;
  }
}

function fromObject(obj: K8sObject, file: string, facts: EnvironmentFacts): void {
  const group = apiGroup(obj);
  const label = `${obj.kind}/${obj.name ?? '(unnamed)'} in ${file}`;
  const lbc = (what: string) => {
    facts.loadBalancerController ??= what;
  };
  const withoutWebhook = (what: string) => {
    facts.loadBalancerControllerWithoutWebhook ??= what;
  };
  if (group === LBC_GROUP || (obj.kind === 'IngressClass' && str(at(obj.node, 'spec', 'controller')) === LBC_INGRESS_CONTROLLER)) facts.loadBalancerControllerObjects ??= label;
  else if (obj.kind === 'Deployment' && group === 'apps') {
    for (const c of containers(obj)) {
      const image = str(get(c, 'image')) ?? '';
      if (!LBC_IMAGE.test(image)) continue;
      const tag = /:([^:/@]+)(@|$)/.exec(image)?.[1];
      const args = items(get(c, 'args')).map((a) => str(a) ?? '').join(' ');
      if (beforeWebhook(tag)) withoutWebhook(`${label} runs ${tag}`);
      else if (WEBHOOK_OFF.test(args)) withoutWebhook(`${label} turns the Service webhook off`);
      else lbc(label);
    }
  } else if ((obj.kind === 'HelmRelease' || obj.kind === 'Application' || obj.kind === 'HelmChart') && group !== '') {
    // Flux HelmRelease, Argo CD Application, k3s HelmChart.
    const spec = get(obj.node, 'spec');
    const chart = str(at(spec, 'chart', 'spec', 'chart')) ?? str(at(spec, 'chart')) ?? str(at(spec, 'source', 'chart'));
    const version = str(at(spec, 'chart', 'spec', 'version')) ?? str(at(spec, 'source', 'targetRevision')) ?? str(at(spec, 'version'));
    if (chart !== LBC) return;
    if (chartBeforeWebhook(version)) withoutWebhook(`${label} installs chart version ${version}`);
    else if (webhookOff(spec)) withoutWebhook(`${label} turns the Service webhook off`);
    else lbc(label);
  } else if (obj.kind === 'ClusterConfig' && group === 'eksctl.io') {
    const auto = str(at(obj.node, 'autoModeConfig', 'enabled'));
    (facts.clusters ??= []).push({ name: `eksctl ClusterConfig ${obj.name ?? ''} in ${file}`.replace('  ', ' '), autoMode: auto === 'true' });
    for (const p of items(get(obj.node, 'fargateProfiles'))) {
      for (const s of items(get(p, 'selectors'))) {
        if (asMap(get(s, 'labels'))?.pairs.length) continue;
        const ns = str(get(s, 'namespace'));
        if (ns) (facts.fargateNamespaces ??= []).push([ns, `eksctl Fargate profile ${str(get(p, 'name')) ?? ''} in ${file}`]);
      }
    }
  }
}

/**
 * The environment the facts of every file show. Auto Mode counts only when every cluster the workspace
 * declares is an Auto Mode cluster (manifests could go to any of them); the other traits need one sign.
 * The controller's objects without an install of a known version settle nothing: they become a sign.
 */
export function combineFacts(all: Iterable<EnvironmentFacts>): Environment {
  const env: Environment = {};
  const origins: NonNullable<Environment['origins']> = {};
  const clusters: NonNullable<EnvironmentFacts['clusters']> = [];
  const fargate = new Map<string, string>();
  let lbcObjects: string | undefined;
  let lbcWithoutWebhook: string | undefined;
  for (const f of all) {
    if (f.clusters) clusters.push(...f.clusters);
    if (f.loadBalancerController && !origins['eks.loadBalancerController']) {
      (env.eks ??= {}).loadBalancerController = true;
      origins['eks.loadBalancerController'] = `detected: ${f.loadBalancerController}`;
    }
    lbcObjects ??= f.loadBalancerControllerObjects;
    lbcWithoutWebhook ??= f.loadBalancerControllerWithoutWebhook;
    for (const [ns, profile] of f.fargateNamespaces ?? []) if (!fargate.has(ns)) fargate.set(ns, profile);
    if (f.registryScanning && !origins['ecr.registryScanning']) {
      (env.ecr ??= {}).registryScanning = true;
      origins['ecr.registryScanning'] = `detected: ${f.registryScanning}`;
    }
  }
  if (clusters.length && clusters.every((c) => c.autoMode === true)) {
    (env.eks ??= {}).autoMode = true;
    origins['eks.autoMode'] = `detected: ${clusters[0].name}${clusters.length > 1 ? ` (and ${clusters.length - 1} more)` : ''} has Auto Mode compute`;
  }
  if (fargate.size) {
    (env.eks ??= {}).fargateNamespaces = [...fargate.keys()].sort();
    origins['eks.fargateNamespaces'] = `detected: ${[...new Set(fargate.values())].join(', ')}`;
  }
  // An install without the webhook settles the trait the other way, unless another install has it.
  if (lbcWithoutWebhook && !origins['eks.loadBalancerController']) {
    (env.eks ??= {}).loadBalancerController = false;
    origins['eks.loadBalancerController'] = `detected: ${lbcWithoutWebhook}`;
  }
  if (Object.keys(origins).length) env.origins = origins;
  if (lbcObjects && !env.eks?.loadBalancerController) env.signs = { 'eks.loadBalancerController': lbcObjects };
  return env;
}
