// What the workspace's templates cannot show but changes a rule's outcome: traits of the EKS cluster the
// manifests go to and account-level settings. Declared in `.kbhints.yaml` (`environment:`), or detected from
// the workspace (an Auto Mode cluster, a registry scanning configuration); unknown when neither says.
// Declared wins over detected, trait by trait. A rule that depends on an unknown trait says what it assumed.
//
//   environment:
//     eks:
//       loadBalancerController: true     # AWS Load Balancer Controller v2.5+ (Service webhook on)
//       autoMode: false                  # EKS Auto Mode
//       fargateNamespaces: [batch]       # namespaces whose pods run on Fargate
//     ecr:
//       registryScanning: true           # registry-level scanning (or Amazon Inspector) covers every repository
import { asMap, asScalar, asSeq, type Node } from '../documents/nodes';

export interface Environment {
  eks?: {
    /** The AWS Load Balancer Controller (v2.5+, service webhook on) is installed. */
    loadBalancerController?: boolean;
    /** The cluster runs EKS Auto Mode. */
    autoMode?: boolean;
    /** Namespaces whose pods run on Fargate (Fargate profiles). */
    fargateNamespaces?: readonly string[];
  };
  ecr?: {
    /** Images are scanned by registry-level scanning (`AWS::ECR::RegistryScanningConfiguration` or Inspector). */
    registryScanning?: boolean;
  };
  /** Where each known trait comes from (`declared in /repo/.kbhints.yaml`, `detected: AWS::EKS::Cluster Cluster in infra/eks.yaml`). */
  origins?: Partial<Record<EnvironmentTrait, string>>;
  /**
   * What the workspace shows of a trait it cannot settle, for traits no layer knows:
   * `eks.loadBalancerController`: the controller is there (`IngressClassParams/alb in k8s/alb.yaml`), its version is not.
   */
  signs?: Partial<Record<EnvironmentTrait, string>>;
}

export const UNKNOWN_ENVIRONMENT: Environment = Object.freeze({}) as Environment;

/** The traits, as `section.key`. */
export type EnvironmentTrait = 'eks.loadBalancerController' | 'eks.autoMode' | 'eks.fargateNamespaces' | 'ecr.registryScanning';

type Shape = 'boolean' | 'names';
const SCHEMA: Record<string, Record<string, Shape>> = {
  eks: { loadBalancerController: 'boolean', autoMode: 'boolean', fargateNamespaces: 'names' },
  ecr: { registryScanning: 'boolean' },
};

export const ENVIRONMENT_TRAITS = Object.entries(SCHEMA).flatMap(([s, keys]) => Object.keys(keys).map((k) => `${s}.${k}` as EnvironmentTrait));

const list = (keys: string[]) => keys.join(', ');

/**
 * Reads the `environment:` section of a `.kbhints.yaml` (pure). Entries that do not fit the schema are
 * skipped and explained in `errors` (`environment.eks.autoMode: expected true or false, got yes`).
 * `origin` is recorded for each trait read (e.g. `declared in /repo/.kbhints.yaml`).
 */
export function parseEnvironment(node: Node | undefined, errors: string[], origin = 'declared in .kbhints.yaml'): Environment {
  const env: Environment = {};
  const root = asMap(node);
  if (!root) {
    if (asScalar(node)?.value !== null && node) errors.push(`environment: expected a mapping with ${list(Object.keys(SCHEMA))}`);
    return env;
  }
  for (const section of root.pairs) {
    const name = String(section.key.value);
    const schema = Object.hasOwn(SCHEMA, name) ? SCHEMA[name] : undefined;
    if (!schema) {
      errors.push(`environment: unknown section '${name}' (expected ${list(Object.keys(SCHEMA))})`);
      continue;
    }
    const map = asMap(section.value);
    if (!map) {
      if (asScalar(section.value)?.value !== null) errors.push(`environment.${name}: expected a mapping with ${list(Object.keys(schema))}`);
      continue;
    }
    for (const p of map.pairs) {
      const key = String(p.key.value);
      const where = `environment.${name}.${key}`;
      const shape = Object.hasOwn(schema, key) ? schema[key] : undefined;
      if (!shape) {
        errors.push(`environment.${name}: unknown key '${key}' (expected ${list(Object.keys(schema))})`);
        continue;
      }
      const value = shape === 'boolean' ? readBoolean(p.value, where, errors) : readNames(p.value, where, errors);
      if (value === undefined) continue;
      const target = (env[name as 'eks' | 'ecr'] ??= {}) as Record<string, unknown>;
      target[key] = value;
      (env.origins ??= {})[`${name}.${key}` as EnvironmentTrait] = origin;
    }
  }
  return env;
}

function readBoolean(node: Node, where: string, errors: string[]): boolean | undefined {
  const v = asScalar(node)?.value;
  if (typeof v === 'boolean') return v;
  errors.push(`${where}: expected true or false, got ${describe(node)}`);
  return undefined;
}

function readNames(node: Node, where: string, errors: string[]): string[] | undefined {
  const seq = asSeq(node);
  if (!seq) {
    errors.push(`${where}: expected a list of namespace names, got ${describe(node)}`);
    return undefined;
  }
  const out: string[] = [];
  for (const item of seq.items) {
    const v = asScalar(item)?.value;
    if (typeof v === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v)) out.push(v);
    else errors.push(`${where}: '${describe(item)}' is not a namespace name (lower-case letters, digits and '-')`);
  }
  return out;
}

function describe(node: Node): string {
  const s = asScalar(node);
  if (s) return s.value === null ? 'nothing' : String(s.value);
  return node.kind === 'seq' ? 'a list' : 'a mapping';
}

function traitValue(env: Environment, trait: EnvironmentTrait): unknown {
  const [section, key] = trait.split('.') as ['eks' | 'ecr', string];
  return (env[section] as Record<string, unknown> | undefined)?.[key];
}

/** Layers merged trait by trait: the first layer that knows a trait wins (declared before detected, nearer before farther); signs stay only for traits none knows. */
export function mergeEnvironments(...layers: Array<Environment | undefined>): Environment {
  const out: Environment = {};
  for (const trait of ENVIRONMENT_TRAITS) {
    const layer = layers.find((l) => l && traitValue(l, trait) !== undefined);
    if (!layer) {
      const sign = layers.find((l) => l?.signs?.[trait])?.signs?.[trait];
      if (sign) (out.signs ??= {})[trait] = sign;
      continue;
    }
    const [section, key] = trait.split('.') as ['eks' | 'ecr', string];
    ((out[section] ??= {}) as Record<string, unknown>)[key] = traitValue(layer, trait);
    const origin = layer.origins?.[trait];
    if (origin) (out.origins ??= {})[trait] = origin;
  }
  return out;
}

/** True when the environment knows nothing. */
export function isUnknownEnvironment(env: Environment): boolean {
  return ENVIRONMENT_TRAITS.every((t) => traitValue(env, t) === undefined);
}
