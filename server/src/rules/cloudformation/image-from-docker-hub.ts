// Container images pulled from Docker Hub, in ECS task definitions and Kubernetes workloads.
import { asScalar, get, items, str, type Node } from '../../documents/nodes';
import { branches, directTargets, literal, userDataText } from '../../model/intrinsics';
import { containers, isHelmTestHook, podSpec } from '../../model/kubernetes';
import { defineRule, type RelatedNode } from '../../engine/rule';
import { containerDefinitions, TASK_DEFINITION } from '../ecs';
import { DOCKER_HUB_HOSTS, ecrPublicMirror, isDockerHub, isPlaceholder, parseImage, type ImageRef } from '../images';

/** A container's name as the template writes it: the literal, `${Param}` for a reference, a Sub's text. */
function containerName(node: Node | undefined): string {
  const text = str(node) ?? userDataText(node);
  if (text !== undefined) return text;
  const target = directTargets(node)[0];
  return target ? `\${${target.target}}` : '(unnamed)';
}

/** Where an unpinned image can change under the same definition: a task definition, or a workload's pod template. */
const pinNote = (family: string) => ` Pin a version tag or a digest too: an untagged or \`latest\` image can change under the same ${family === 'kubernetes' ? 'manifest' : 'task definition'}.`;

/**
 * Bitnami images the move left alone: minideb and Sealed Secrets are still released on docker.io/bitnami
 * (bitnami/minideb#196, bitnami/sealed-secrets#1785).
 */
const BITNAMI_KEPT = new Set(['minideb', 'sealed-secrets-controller', 'sealed-secrets-kubeseal', 'sealed-secrets']);

/**
 * Where a versioned Bitnami tag lives since Bitnami moved them off docker.io/bitnami (Aug-Sep 2025,
 * github.com/bitnami/containers/issues/83267): `bitnami/redis:7.2` -> `docker.io/bitnamilegacy/redis:7.2`.
 * `latest` (some images keep it) and digests are not claimed to fail.
 */
function bitnamiLegacy(ref: ImageRef): string | undefined {
  const m = /^bitnami\/(.+)$/.exec(ref.repository);
  if (!m || !isDockerHub(ref) || ref.tag === undefined || ref.tag === 'latest' || ref.digest || BITNAMI_KEPT.has(m[1])) return undefined;
  return `docker.io/bitnamilegacy/${m[1]}:${ref.tag}`;
}

/**
 * Official images whose publisher left Docker Hub's library in 2023 and had `latest` deleted, so an
 * untagged or `latest` pull fails (docker-library/official-images pull requests 14949 and 14940): the
 * publisher's own repository that replaced each.
 */
const LATEST_REMOVED: Readonly<Record<string, { name: string; replacement: string; pr: string }>> = {
  consul: { name: 'consul', replacement: 'hashicorp/consul', pr: '14949' },
  vault: { name: 'vault', replacement: 'hashicorp/vault', pr: '14940' },
};

function latestRemoved(ref: ImageRef): (typeof LATEST_REMOVED)[string] | undefined {
  const repository = ref.repository.replace(/^library\//, '');
  return !ref.digest && (ref.tag === undefined || ref.tag === 'latest') && Object.hasOwn(LATEST_REMOVED, repository) ? LATEST_REMOVED[repository] : undefined;
}

/**
 * Amazon Linux 2 (`amazonlinux:2`, `amazonlinux:2.0.20240306.0`) reached end of support on 30 June 2026
 * (aws.amazon.com/amazon-linux-2/faqs): no more security updates. Amazon Linux 2023 is its successor.
 */
function isAmazonLinux2(ref: ImageRef): boolean {
  return ref.repository.replace(/^library\//, '') === 'amazonlinux' && /^2(\.|$)/.test(ref.tag ?? '');
}

/** An image as a headline names it: a long tag or digest (a commit id) shortened, so the headline stays short. */
function shortImage(image: string): string {
  // The headline says Docker Hub already: its host (and the official images' `library/`) goes.
  const text = image.trim();
  const host = parseImage(text)?.registry;
  const bare = host && DOCKER_HUB_HOSTS.includes(host.toLowerCase()) ? text.slice(host.length + 1).replace(/^library\//, '') : text;
  return bare.replace(/([:@])([^:@/]{16})[^:@/]{4,}$/, '$1$2…');
}

/** Pinned: a digest, or a tag other than `latest`. */
function pinned(ref: ImageRef): boolean {
  return !!ref.digest || (ref.tag !== undefined && ref.tag !== 'latest');
}

export default defineRule({
  meta: {
    id: 'image-from-docker-hub',
    title: 'Container image is pulled from Docker Hub',
    severity: 'info',
    kb: 'docker',
    appliesTo: ['cloudformation', 'kubernetes'],
    fixes: ['ecr-public-mirror'],
    description:
      'Every container image is pulled from a registry, and the image reference says which one. A reference without a registry host (`nginx:1.27`, `bitnami/redis`) or with `docker.io/` resolves to **Docker Hub**, a public registry outside your AWS account (anonymous pulls are rate-limited). **Amazon ECR** holds private repositories inside your account, governed by IAM, and the **Amazon ECR Public Gallery** (`public.ecr.aws`) serves public images: it mirrors the Docker official images, and AWS publishes its own images (the AWS CLI, X-Ray daemon, CloudWatch agent, AWS for Fluent Bit) there. One finding is given per distinct image of a task definition or workload; placeholders such as `your-app-image`, `controller-override` or a template placeholder are skipped, as are the pods of Helm test hooks (`helm.sh/hook: test`), and an untagged or `latest` image is pointed out. An image pinned by a Docker Hub digest gets no quick fix: that digest need not exist on ECR Public, so the mirror is named without it. A Kubernetes image whose name a build or deploy tool replaces before the manifest is applied is not reported either: a Skaffold build artifact (`build.artifacts[].image` of a `skaffold.yaml`, built and pushed to the default repo) or a kustomization `images` entry with a `newName` (matched on `name`, whatever the new name), for the manifests in the config\'s folder and below. A versioned `bitnami/*` tag is a `warning`: between 28 August and 29 September 2025 Bitnami moved its versioned tags from `docker.io/bitnami` to `docker.io/bitnamilegacy` (no more updates), so pulling it from `docker.io/bitnami` fails (`bitnami/minideb` and the Sealed Secrets images are still released there). An `amazonlinux:2` image is a `warning` as well: Amazon Linux 2 reached end of support on 30 June 2026 (use `amazonlinux:2023`). An untagged or `latest` `consul` or `vault` image is a `warning` too: HashiCorp left Docker Hub\'s official library in 2023 and those `latest` tags were deleted (use `hashicorp/consul`, `hashicorp/vault`).',
    fix: 'Push the image to an Amazon ECR repository in your account (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`, or an ECR pull-through cache rule for Docker Hub), or, for a Docker official image, use its ECR Public Gallery mirror, e.g. `public.ecr.aws/docker/library/nginx:1.27`. Pin a tag or digest.',
    messages: {
      dockerHubImages: '{{container}} pulls {{images}} from Docker Hub: use Amazon ECR or ECR Public images',
      dockerHubImage: '{{container}} pulls {{image}}{{tagNote}} from Docker Hub: {{instead}}',
      bitnamiMoved: '{{container}} pulls {{image}}: Bitnami removed that tag, the pull fails',
      latestRemoved: '{{container}} pulls {{image}}, whose latest tag Docker Hub deleted in 2023: the pull fails',
      endOfSupport: '{{container}} pulls {{image}}: Amazon Linux 2 reached end of support on 30 June 2026',
    },
    details: {
      endOfSupport:
        'Amazon Linux 2 gets no more security updates since 30 June 2026, so {{workloads}} run an unpatched base image. Move to Amazon Linux 2023 (`amazonlinux:2023`, also at `public.ecr.aws/amazonlinux/amazonlinux:2023`): it uses `dnf` instead of `yum`, and some package names differ, so rebuild and test the image rather than only changing the tag. Docker Hub pulls are also rate-limited: prefer the ECR Public address or a private Amazon ECR copy.{{repeats}}',
      latestRemoved: 'HashiCorp stopped publishing the official {{name}} image on Docker Hub in 2023 and its `latest` tag was deleted (docker-library/official-images pull request {{pr}}), so pulling {{fullImage}} fails with "manifest unknown" and {{workloads}} cannot start{{pullError}}. Use {{replacement}} with a pinned version tag (HashiCorp\'s own repository), pushed to Amazon ECR or pulled through an ECR pull-through cache.{{repeats}}',
      dockerHubImages: 'Docker Hub is a public registry outside your AWS account, and {{limit}}, so {{workloads}} can fail to start{{pullError}} when the limit is hit. Push the images to a private Amazon ECR repository (or set up an ECR pull-through cache rule for Docker Hub), or use their Amazon ECR Public Gallery (public.ecr.aws) addresses.{{pinNote}}',
      bitnamiMoved: `Between 28 August and 29 September 2025 Bitnami moved every versioned tag of its public catalog from docker.io/bitnami to docker.io/bitnamilegacy, where images get no more updates (announcement: github.com/bitnami/containers/issues/83267). Pulling {{fullImage}} now fails with "not found", so {{workloads}} cannot start{{pullError}}. Use a maintained image of the same software (the project's own registry, or Bitnami Secure Images) and push it to Amazon ECR; {{legacy}} only works as a stopgap.{{repeats}}`,
      dockerHubImage: 'Docker Hub is a public registry outside your AWS account, and {{limit}}, so {{workloads}} can fail to start{{pullError}} when the limit is hit. {{insteadLong}}{{pinNote}}{{repeats}}',
    },
    example: {
      fires: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: web, Image: nginx:1.27 }\n',
      fixed: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: web, Image: public.ecr.aws/docker/library/nginx:1.27 }\n',
    },
  },
  check(ctx) {
    const cdk = ctx.family === 'cloudformation' && ctx.file.kind === 'cdk';
    const pullError = ctx.family === 'kubernetes' ? ' (ErrImagePull, then ImagePullBackOff)' : '';
    const runs = ctx.family === 'kubernetes' ? 'pods' : 'tasks';
    /** One finding per distinct image per owner (task definition or workload): later uses are related locations. */
    const scope = () => new Map<string, { related: RelatedNode[]; report: () => void }>();
    // A manifest's image that Skaffold builds or a kustomization renames for its folder is not what is pulled.
    // Asked only of a Docker Hub image: a rule that reads the workspace has its file linted in the second pass.
    const rewritten = (image: string) => ctx.family === 'kubernetes' && ctx.workspace.rewritesImage(image, ctx.file.uri);
    /** The pull limit that applies: anonymous, or the account's when the container pulls with credentials. */
    const limitOf = (credentials: boolean) =>
      credentials ? "pulls count against the Docker Hub account's rate limit (these pull with registry credentials)" : 'its anonymous pulls are rate-limited';
    const check = (value: Node, candidates: Array<{ node: Node; image: string }>, owner: string, seen: ReturnType<typeof scope>, container: string, credentials = false) => {
      const limit = limitOf(credentials);
      const hits = candidates.map((c) => ({ ...c, ref: parseImage(c.image) })).filter((c) => c.ref && isDockerHub(c.ref) && !isPlaceholder(c.ref) && !rewritten(c.image));
      if (!hits.length) return;
      // The headline names the container; the details say whose tasks or pods fail.
      const workloads = `the ${runs} of ${owner}`;
      if (hits.length > 1) {
        const images = hits.map((h) => shortImage(h.image)).join(' or ');
        ctx.report({
          node: value,
          messageId: 'dockerHubImages', values: { container, images, workloads, pullError, limit, pinNote: hits.some((h) => !pinned(h.ref!)) ? pinNote(ctx.family) : '' },
        });
        return;
      }
      const { node, image, ref } = hits[0];
      const earlier = seen.get(image.trim());
      if (earlier) {
        earlier.related.push({ node, message: `${container} uses the same image` });
        return;
      }
      const related: RelatedNode[] = [];
      const mirror = ecrPublicMirror(ref!);
      const instead = mirror ? 'use ECR Public' : 'push it to Amazon ECR';
      const fromRegistry = cdk ? ' (in CDK, `ecs.ContainerImage.fromRegistry()` takes that address)' : '';
      // A Docker Hub digest need not exist on ECR Public: the address is given without it, and no quick fix.
      const mirrorAddress = mirror && ref!.digest ? mirror.slice(0, mirror.lastIndexOf('@')) : mirror;
      const insteadLong = mirror
        ? `The same image is published on Amazon ECR Public: use ${mirrorAddress}${ref!.digest ? ' pinned to the digest ECR Public lists for it (a digest from Docker Hub may not exist there)' : ''}${fromRegistry}, or push it to a private Amazon ECR repository.`
        : `Push it to a private Amazon ECR repository${cdk ? ' (in CDK, `ecs.ContainerImage.fromAsset()` or `fromEcrRepository()`)' : ''} or set up an ECR pull-through cache rule for Docker Hub; for a well-known public image, look for its ECR Public Gallery (public.ecr.aws) address.`;
      const tagNote = ref!.digest || ref!.tag !== undefined ? '' : ' (untagged)';
      const legacy = bitnamiLegacy(ref!);
      const retired = latestRemoved(ref!);
      const unsupported = isAmazonLinux2(ref!);
      const repeats = () => (related.length ? ` ${related.length + 1} containers use this image.` : '');
      const report = legacy
        ? () => ctx.report({ node, severity: 'warning', messageId: 'bitnamiMoved', values: { container, image: shortImage(image), fullImage: image.trim(), workloads, pullError, legacy, repeats: repeats() }, related })
        : unsupported
        ? () => ctx.report({ node, severity: 'warning', messageId: 'endOfSupport', values: { container, image: shortImage(image), workloads, repeats: repeats() }, related })
        : retired
        ? () => {
            const values = { container, image: shortImage(image), fullImage: image.trim(), ...retired, workloads, pullError, repeats: repeats() };
            ctx.report({ node, severity: 'warning', messageId: 'latestRemoved', values, related });
          }
        : () =>
            ctx.report({
              node,
              messageId: 'dockerHubImage',
              values: {
                container, image: shortImage(image), tagNote, instead, insteadLong, workloads, pullError, limit,
                pinNote: pinned(ref!) ? '' : pinNote(ctx.family),
                repeats: repeats(),
              },
              related,
              data: mirror && !ref!.digest ? { fix: 'ecr-public-mirror', replacement: mirror, ...(related.length ? { others: related.map((r) => [r.node.start, r.node.end]) } : {}) } : undefined,
            });
      seen.set(image.trim(), { related, report });
    };
    const flush = (seen: ReturnType<typeof scope>) => {
      for (const { report } of seen.values()) report();
    };

    if (ctx.family === 'cloudformation') {
      for (const td of ctx.template.byType(TASK_DEFINITION)) {
        const seen = scope();
        for (const def of containerDefinitions(td)) {
          const value = get(def, 'Image');
          if (!value) continue;
          // Only a whole literal can be told apart: a parameter or a computed string stays quiet, and
          // a Sub whose literal prefix names a host is not Docker Hub anyway.
          const candidates = branches(value).flatMap((b) => {
            const image = literal(b);
            return image === undefined ? [] : [{ node: b, image }];
          });
          check(value, candidates, `task definition ${ctx.name(td)}`, seen, `Container ${containerName(get(def, 'Name'))}`, !!get(def, 'RepositoryCredentials'));
        }
        flush(seen);
      }
    }

    if (ctx.family === 'kubernetes') {
      for (const obj of ctx.objects) {
        // A pod `helm test` runs against a release is the chart's test tooling, not what the release runs.
        if (isHelmTestHook(obj)) continue;
        const seen = scope();
        for (const c of containers(obj)) {
          const imageNode = asScalar(get(c, 'image'));
          const image = str(imageNode);
          // A never-pulled image comes from the node's local store, not from a registry.
          if (!imageNode || image === undefined || str(get(c, 'imagePullPolicy')) === 'Never') continue;
          const name = str(get(c, 'name'));
          const secrets = items(get(podSpec(obj), 'imagePullSecrets')).length > 0;
          check(imageNode, [{ node: imageNode, image }], `${obj.kind}/${obj.name ?? '(unnamed)'}`, seen, `Container ${name ?? '(unnamed)'}`, secrets);
        }
        flush(seen);
      }
    }
  },
});
