// image-from-docker-hub: an image AWS or Docker publishes on Docker Hub, pulled from its ECR Public Gallery
// address instead (`nginx:1.27` -> `public.ecr.aws/docker/library/nginx:1.27`, `amazon/aws-cli` ->
// `public.ecr.aws/aws-cli/aws-cli`), keeping the tag or digest. Only a literal image string is rewritten,
// and only where the mirror is known (`ecrPublicMirror` in rules/images.ts, which the rule uses too).
import { ecrPublicMirror, parseImage } from '../rules/images';
import { walk, type ScalarNode } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';
import { defineFix, findingScalar } from './types';

/** The scalars at `others` (offset pairs of other uses of the same image) that hold exactly that image. */
function sameImageAt(file: ParsedFile, others: unknown, image: string): ScalarNode[] {
  if (!Array.isArray(others)) return [];
  const wanted = new Set(others.filter((o) => Array.isArray(o) && o.length === 2 && o.every((n) => Number.isInteger(n))).map((o) => `${o[0]}:${o[1]}`));
  const out: ScalarNode[] = [];
  if (!wanted.size) return out;
  for (const d of file.docs) {
    walk(d.root, (n) => {
      if (n.kind === 'scalar' && wanted.has(`${n.start}:${n.end}`) && n.value === image) out.push(n);
    });
  }
  return out;
}

export const ecrPublicMirrorFix = defineFix<{ replacement: string; others: number[][] }>({
  id: 'ecr-public-mirror',
  summary: 'replaces the image, where its mirror is known, with its Amazon ECR Public Gallery address, keeping the tag (Docker official images: `public.ecr.aws/docker/library/<name>`; AWS images such as `amazon/aws-cli`: their `public.ecr.aws` repository).',
  provide(ctx) {
    const node = findingScalar(ctx);
    const image = typeof node?.value === 'string' ? node.value : undefined;
    const ref = image === undefined ? undefined : parseImage(image);
    const mirror = ref && ecrPublicMirror(ref);
    if (!node || !mirror || mirror === image!.trim()) return [];
    // Other containers of the same task definition or workload that use the same image move too.
    const nodes = [node, ...sameImageAt(ctx.file, ctx.data.others, image!).filter((n) => n !== node)];
    return [{ title: `Pull ${image!.trim()} from Amazon ECR Public: ${mirror}`, preferred: true, edits: nodes.map((n) => ctx.editor.replaceScalar(n, mirror)) }];
  },
});
