// Container images pulled from Docker Hub, in ECS task definitions and Kubernetes workloads.
import { asScalar, get, str, type Node } from '../../documents/nodes';
import { branches, literal } from '../../model/intrinsics';
import { containers } from '../../model/kubernetes';
import { defineRule } from '../../engine/rule';
import { containerDefinitions, TASK_DEFINITION } from '../ecs';
import { ecrPublicMirror, isDockerHub, parseImage } from '../images';

export default defineRule({
  meta: {
    id: 'image-from-docker-hub',
    title: 'Container image is pulled from Docker Hub',
    severity: 'info',
    kb: 'docker',
    appliesTo: ['cloudformation', 'kubernetes'],
    fixes: ['ecr-public-mirror'],
    description:
      'Every container image is pulled from a registry, and the image reference says which one. A reference without a registry host (`nginx:1.27`, `bitnami/redis`) or with `docker.io/` resolves to **Docker Hub**, a public registry outside your AWS account (anonymous pulls are rate-limited). The KB points to **Amazon ECR** for private repositories inside your account, governed by IAM, and to the **Amazon ECR Public Gallery** (`public.ecr.aws`) for public images; the Gallery mirrors the Docker official images.',
    fix: 'Push the image to an Amazon ECR repository in your account (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`, or an ECR pull-through cache rule for Docker Hub), or, for a Docker official image, use its ECR Public Gallery mirror, e.g. `public.ecr.aws/docker/library/nginx:1.27`. Pin a tag or digest.',
    messages: {
      dockerHubImages: '{{owner}} uses images {{images}}, which are pulled from Docker Hub, a public registry outside your AWS account: push them to a private Amazon ECR repository, or use ECR Public Gallery (public.ecr.aws) images.',
      dockerHubImage: '{{owner}} uses image {{image}}, which is pulled from Docker Hub, a public registry outside your AWS account: {{instead}}.',
    },
    example: {
      fires: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: web, Image: nginx:1.27 }\n',
      fixed: 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - { Name: web, Image: public.ecr.aws/docker/library/nginx:1.27 }\n',
    },
  },
  check(ctx) {
    /** One finding per image value: at the branch when one branch of an `Fn::If` is Docker Hub, else at the value. */
    const check = (value: Node, candidates: Array<{ node: Node; image: string }>, owner: string) => {
      const hits = candidates.map((c) => ({ ...c, ref: parseImage(c.image) })).filter((c) => c.ref && isDockerHub(c.ref));
      if (!hits.length) return;
      if (hits.length > 1) {
        ctx.report({
          node: value,
          messageId: 'dockerHubImages', values: { owner, images: hits.map((h) => h.image).join(' or ') },
        });
        return;
      }
      const { node, image, ref } = hits[0];
      const mirror = ecrPublicMirror(ref!);
      const instead = mirror
        ? `use its ECR Public Gallery mirror ${mirror}, or push it to a private Amazon ECR repository`
        : 'push it to a private Amazon ECR repository (or set up an ECR pull-through cache), or use an ECR Public Gallery (public.ecr.aws) image';
      ctx.report({
        node,
        messageId: 'dockerHubImage', values: { owner, image, instead },
        data: mirror ? { fix: 'ecr-public-mirror', replacement: mirror } : undefined,
      });
    };

    if (ctx.family === 'cloudformation') {
      for (const td of ctx.template.byType(TASK_DEFINITION)) {
        for (const def of containerDefinitions(td)) {
          const value = get(def, 'Image');
          if (!value) continue;
          const name = str(get(def, 'Name'));
          // Only a whole literal can be told apart: a parameter or a computed string stays quiet, and
          // a Sub whose literal prefix names a host is not Docker Hub anyway.
          const candidates = branches(value).flatMap((b) => {
            const image = literal(b);
            return image === undefined ? [] : [{ node: b, image }];
          });
          check(value, candidates, `Container ${name ?? '(unnamed)'} of task definition ${ctx.name(td)}`);
        }
      }
    }

    if (ctx.family === 'kubernetes') {
      for (const obj of ctx.objects) {
        for (const c of containers(obj)) {
          const imageNode = asScalar(get(c, 'image'));
          const image = str(imageNode);
          // A never-pulled image comes from the node's local store, not from a registry.
          if (!imageNode || image === undefined || str(get(c, 'imagePullPolicy')) === 'Never') continue;
          const name = str(get(c, 'name'));
          check(imageNode, [{ node: imageNode, image }], `Container ${name ?? '(unnamed)'} of ${obj.kind}/${obj.name ?? '(unnamed)'}`);
        }
      }
    }
  },
});
