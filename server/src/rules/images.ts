// Shared readers for container image references, so rules agree on which registry an image comes from.
import { imageName } from '../engine/image-facts';

export interface ImageRef {
  /** The registry host as written (`public.ecr.aws`, `localhost:5000`), or undefined for the default (Docker Hub). */
  registry?: string;
  /** The repository path without the host, e.g. `nginx`, `bitnami/redis`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Hosts that name Docker Hub itself. */
export const DOCKER_HUB_HOSTS = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'];

const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;

/**
 * Splits an image reference the way Docker does: the first path segment is a registry host when it has a
 * `.` or a `:`, is `localhost`, or has upper-case letters. Undefined for anything that is not a plain
 * reference (templating such as `{{ }}` or `${}`, spaces, an empty string).
 */
export function parseImage(image: string): ImageRef | undefined {
  const text = image.trim();
  if (!IMAGE.test(text)) return undefined;
  const at = text.indexOf('@');
  const digest = at === -1 ? undefined : text.slice(at + 1);
  let rest = at === -1 ? text : text.slice(0, at);
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()) {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const repository = tag === undefined ? rest : rest.slice(0, colon);
  if (!repository || repository.includes(':')) return undefined;
  return { registry, repository, tag, digest };
}

/** True when the reference is pulled from Docker Hub: no registry host, or one of Docker Hub's own. */
export function isDockerHub(ref: ImageRef): boolean {
  return ref.registry === undefined || DOCKER_HUB_HOSTS.includes(ref.registry.toLowerCase());
}

/** A Docker official image (`nginx`, `library/nginx`, `docker.io/library/nginx`). */
export function isOfficialImage(ref: ImageRef): boolean {
  return isDockerHub(ref) && (!ref.repository.includes('/') || ref.repository.startsWith('library/'));
}

/**
 * Images AWS publishes on Docker Hub (`amazon/...`) and their ECR Public Gallery repositories.
 */
export const AWS_IMAGES_ON_ECR_PUBLIC: Readonly<Record<string, string>> = {
  'amazon/amazon-ecs-sample': 'public.ecr.aws/ecs-sample-image/amazon-ecs-sample',
  'amazon/aws-cli': 'public.ecr.aws/aws-cli/aws-cli',
  'amazon/aws-for-fluent-bit': 'public.ecr.aws/aws-observability/aws-for-fluent-bit',
  'amazon/aws-xray-daemon': 'public.ecr.aws/xray/aws-xray-daemon',
  'amazon/cloudwatch-agent': 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent',
};

/** What an image AWS publishes is for (`collector`: a telemetry agent, see awsImage). */
export interface AwsImage {
  /** `CloudWatch agent`, for messages. */
  label: string;
  /** An agent that collects metrics, traces or logs from the tasks around it, not a workload that serves load. */
  collector: boolean;
}

/** Images AWS publishes for AWS work (API calls, telemetry), by their ECR Public repository. */
const AWS_IMAGES: Readonly<Record<string, AwsImage>> = {
  'public.ecr.aws/aws-cli/aws-cli': { label: 'AWS CLI', collector: false },
  'public.ecr.aws/aws-observability/aws-for-fluent-bit': { label: 'AWS for Fluent Bit', collector: false },
  'public.ecr.aws/aws-observability/aws-otel-collector': { label: 'ADOT collector', collector: true },
  'public.ecr.aws/cloudwatch-agent/cloudwatch-agent': { label: 'CloudWatch agent', collector: true },
  'public.ecr.aws/xray/aws-xray-daemon': { label: 'X-Ray daemon', collector: true },
};

/** AWS_IMAGES by repository name (the last path segment): the name their Docker Hub copies and private mirrors keep. */
const AWS_IMAGES_BY_NAME = new Map(Object.entries(AWS_IMAGES).map(([repo, image]) => [repo.slice(repo.lastIndexOf('/') + 1), image]));

/**
 * The AWS image an image reference runs, on any registry: ECR Public, Docker Hub (`amazon/cloudwatch-agent`),
 * or a private copy (`<account>.dkr.ecr.<region>.amazonaws.com/cloudwatch-agent:1.3`), read by its repository
 * name with the tag and digest dropped. Undefined for any other image.
 */
export function awsImage(image: string): AwsImage | undefined {
  return AWS_IMAGES_BY_NAME.get(repositoryName(image));
}

/** The last segment of an image's repository, without tag or digest (`public.ecr.aws/a/b:1` -> `b`). */
function repositoryName(image: string): string {
  const name = imageName(image);
  return name.slice(name.lastIndexOf('/') + 1);
}

/**
 * Servers that keep their own state (databases, caches, brokers, coordination stores, CI and artifact servers): more tasks of one of
 * them are more independent servers, not more capacity for the same data. By repository name, any registry
 * (`postgres`, `public.ecr.aws/docker/library/redis`, `bitnami/postgresql`).
 */
const STATEFUL_SERVERS = new Set([
  'postgres', 'postgresql', 'mysql', 'mariadb', 'mongo', 'mongodb', 'redis', 'valkey', 'memcached', 'cassandra', 'elasticsearch', 'opensearch', 'rabbitmq', 'zookeeper', 'kafka', 'etcd', 'neo4j', 'couchdb', 'influxdb',
  // Single-controller servers whose home directory is their state (a second task is a second controller).
  'jenkins', 'sonarqube', 'nexus3', 'gitlab-ce', 'gitlab-ee',
  // Monitoring servers: a second Prometheus scrapes and stores the same series again; Grafana keeps its
  // dashboards in a local database unless given a shared one.
  'prometheus', 'grafana',
]);

export function isStatefulServer(image: string): boolean {
  return STATEFUL_SERVERS.has(repositoryName(image).toLowerCase());
}

/**
 * Docker official images known to be mirrored at `public.ecr.aws/docker/library/<name>`. A one-segment name
 * not listed here may be a typo or an image that only exists locally: no mirror is suggested for it.
 */
export const DOCKER_LIBRARY_ON_ECR_PUBLIC: ReadonlySet<string> = new Set([
  'alpine', 'amazoncorretto', 'amazonlinux', 'bash', 'busybox', 'caddy', 'cassandra', 'centos', 'debian', 'docker',
  'eclipse-temurin', 'fedora', 'golang', 'gradle', 'haproxy', 'hello-world', 'httpd', 'jetty', 'mariadb', 'maven',
  'memcached', 'mongo', 'mysql', 'nats', 'nginx', 'node', 'openjdk', 'perl', 'php', 'postgres', 'python', 'rabbitmq',
  'redis', 'rockylinux', 'ruby', 'rust', 'tomcat', 'traefik', 'ubuntu', 'wordpress', 'zookeeper',
]);

/**
 * The ECR Public Gallery address of a Docker Hub image whose mirror is known, keeping its tag and digest:
 * `nginx:1.27` -> `public.ecr.aws/docker/library/nginx:1.27`, `amazon/aws-cli:2.17.0` ->
 * `public.ecr.aws/aws-cli/aws-cli:2.17.0`.
 */
export function ecrPublicMirror(ref: ImageRef): string | undefined {
  if (!isDockerHub(ref)) return undefined;
  const suffix = `${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
  const aws = AWS_IMAGES_ON_ECR_PUBLIC[ref.repository];
  if (aws) return aws + suffix;
  if (!isOfficialImage(ref)) return undefined;
  const name = ref.repository.replace(/^library\//, '');
  return DOCKER_LIBRARY_ON_ECR_PUBLIC.has(name) ? `public.ecr.aws/docker/library/${name}${suffix}` : undefined;
}

/**
 * Names that stand for an image the reader is meant to supply (`your-app-image`, `my-app:latest`,
 * `<image>`, `IMAGE_URI`, `replace-me`, `image-to-replace`), or that something else sets before the pod
 * starts (`controller-override`, which the App Mesh controller replaces with its Envoy image): not a real
 * pull from Docker Hub.
 */
const PLACEHOLDER = /^(your|my)[-_]|(^|[-_/])(placeholder|changeme|change-me|replace(-?me)?|override|todo)([-_]|$)|^(image|image[-_]?(name|uri|url)|app[-_]?image|container[-_]?image)$/i;

export function isPlaceholder(ref: ImageRef): boolean {
  const name = ref.repository.replace(/^library\//, '');
  // A repository path in capitals (`KUSTOMIZE_IMAGE`, `REPOSITORY_URI:IMAGE_TAG`) is no image reference
  // at all: a token a pipeline replaces.
  if (/[A-Z]/.test(name)) return true;
  return PLACEHOLDER.test(name) || PLACEHOLDER.test(name.slice(name.lastIndexOf('/') + 1));
}
