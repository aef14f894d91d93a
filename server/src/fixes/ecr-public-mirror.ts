// image-from-docker-hub: an image AWS or Docker publishes on Docker Hub, pulled from its ECR Public Gallery
// address instead (`nginx:1.27` -> `public.ecr.aws/docker/library/nginx:1.27`, `amazon/aws-cli` ->
// `public.ecr.aws/aws-cli/aws-cli`), keeping the tag or digest. Only a literal image string is rewritten,
// and only where the mirror is known (`ecrPublicMirror` in rules/images.ts, which the rule uses too).
import { ecrPublicMirror, parseImage } from '../rules/images';
import { defineFix, findingScalar } from './types';

export const ecrPublicMirrorFix = defineFix<{ replacement: string }>({
  id: 'ecr-public-mirror',
  summary: 'replaces the image, where its mirror is known, with its Amazon ECR Public Gallery address, keeping the tag (Docker official images: `public.ecr.aws/docker/library/<name>`; AWS images such as `amazon/aws-cli`: their `public.ecr.aws` repository).',
  provide(ctx) {
    const node = findingScalar(ctx);
    const image = typeof node?.value === 'string' ? node.value : undefined;
    const ref = image === undefined ? undefined : parseImage(image);
    const mirror = ref && ecrPublicMirror(ref);
    if (!node || !mirror || mirror === image!.trim()) return [];
    return [{ title: `Pull ${image!.trim()} from Amazon ECR Public: ${mirror}`, preferred: true, edits: [ctx.editor.replaceScalar(node, mirror)] }];
  },
});
