// S3 mounted as a Kubernetes volume. Mountpoint for S3 (`s3.csi.aws.com`, an EKS add-on) is supported, with
// object semantics: a writable Mountpoint volume gets a `hint` on those limits; a StorageClass for it
// (it has no dynamic provisioning) and a pod in a Fargate namespace mounting an S3 volume (it does not
// run on Fargate) are real problems. Community S3 drivers (FUSE mounts such as geesefs or s3fs) get an
// `info` that a bucket is object storage, not a full file system.
import { asMap, asScalar, at, get, items, str, type MapNode, type ScalarNode } from '../../documents/nodes';
import { defineRule } from '../../engine/rule';
import { isBuiltIn, isPlaceholder, objectRef, podSpec, podVolumes, type K8sObject } from '../../model/kubernetes';
import { EFS_CSI, fargateNamespace, fargateOrigin, isS3Driver, MOUNTPOINT_S3, namespaceOf } from '../storage';

/** Object semantics, whatever the mount options: the part of the limits no option lifts. */
const SEMANTICS =
  'Mountpoint for S3 gives a bucket object semantics: files are written once, sequentially, as new objects; existing files cannot be edited in place or appended to, and renames are not supported on general purpose buckets.';
const ALTERNATIVES = 'For a file system that pods edit and share, use EFS (' + EFS_CSI + '), or Amazon S3 Files through the EFS CSI driver v3.0.0+ for a bucket-backed file system.';
const LIMITS = `${SEMANTICS} Deletes and overwrites need the allow-delete and allow-overwrite mount options. It suits read-heavy data sets and write-once outputs. ${ALTERNATIVES}`;
/** The Mountpoint options that lift a write limit: without them deleting or overwriting a file fails. */
const WRITE_OPTIONS: ReadonlyArray<[option: string, lifts: string]> = [
  ['allow-delete', 'deleting a file'],
  ['allow-overwrite', 'overwriting an existing file'],
];
const COMMUNITY =
  'FUSE mounts of S3 emulate a file system on top of objects: in-place edits rewrite whole objects, renames are copies, there is no locking, and concurrent writers overwrite each other. The AWS-supported ways to mount a bucket are Mountpoint for S3 (' + MOUNTPOINT_S3 + ', EKS add-on aws-mountpoint-s3-csi-driver, static provisioning, object semantics) and Amazon S3 Files through the EFS CSI driver v3.0.0+; for files that pods share and edit, EFS (' + EFS_CSI + ') is the default.';

type MessageId = 'noDynamicProvisioning' | 'objectStorageClass' | 'mountpoint' | 'objectVolume' | 'podVolume' | 'onFargate';

export default defineRule({
  meta: {
    id: 'k8s-s3-volume',
    title: 'S3 bucket mounted as a Kubernetes volume',
    severity: 'info',
    kb: 'eks-data-volumes',
    appliesTo: ['kubernetes'],
    description:
      'A bucket can be mounted on EKS with **Mountpoint for Amazon S3** (`s3.csi.aws.com`, the `aws-mountpoint-s3-csi-driver` add-on), but as object storage, not a general file system: files are written sequentially as new objects, existing files cannot be edited in place or appended to, and renames are not supported on general purpose buckets. It supports **static provisioning only** (a PersistentVolume naming an existing `bucketName`) and does **not run on Fargate**. The rule gives a `hint` on a writable Mountpoint volume whose `mountOptions` lack `allow-delete` or `allow-overwrite`, naming only the options it lacks (its limits are worth knowing; read-only volumes, by `ReadOnlyMany`, the `read-only` option or `csi.readOnly`, and volumes with both options are not reported), an `info` on volumes of community S3 drivers (`ru.yandex.s3.csi`, `ch.ctrox.csi.s3-driver`...), and a `warning` for what cannot work: a StorageClass for `s3.csi.aws.com` (claims on it stay Pending), and a pod in a Fargate namespace (declared in `.kbhints.yaml` or from the workspace\'s Fargate profiles) that mounts an S3 volume.',
    fix: 'Mount Mountpoint volumes statically: a `PersistentVolume` with `csi: { driver: s3.csi.aws.com, volumeHandle: <unique>, volumeAttributes: { bucketName: <bucket> } }` and `storageClassName: ""`, and a claim bound to it with `volumeName` (drop the StorageClass). Keep writes to new files, or add the `allow-overwrite`/`allow-delete` mount options the application needs; mark read-only data `ReadOnlyMany` with the `read-only` mount option. Run pods that mount a bucket on EC2 nodes, not Fargate. For files that pods edit and share, use EFS (`efs.csi.aws.com`; static PersistentVolumes on Fargate), or Amazon S3 Files through the EFS CSI driver v3.0.0+.',
    messages: {
      noDynamicProvisioning: '{{object}} names {{driver}}, which cannot provision volumes: claims on it stay Pending',
      objectStorageClass: '{{object}} mounts S3 buckets through {{driver}}: object storage, not a full file system',
      mountpoint: '{{object}} mounts S3 with Mountpoint: no in-place edits, appends or renames',
      objectVolume: '{{object}} mounts an S3 bucket through {{driver}}: object storage, not a full file system',
      podVolume: 'Volume {{volume}} of {{object}} mounts an S3 bucket through {{driver}}: object storage, not a full file system',
      onFargate: 'Volume {{volume}} of {{object}} mounts S3 in Fargate namespace {{namespace}}, where Mountpoint cannot run',
    },
    details: {
      noDynamicProvisioning: `Mountpoint for S3 supports static provisioning only: no controller creates buckets or volumes for a claim on this class, so a claim that does not bind to a PersistentVolume you created stays Pending. Create a PersistentVolume with csi.driver ${MOUNTPOINT_S3} and volumeAttributes.bucketName, set storageClassName: "" on it and on the claim, and bind the claim with volumeName. ${LIMITS}`,
      objectStorageClass: COMMUNITY,
      mountpoint: `The volume mounts bucket {{bucket}}. ${SEMANTICS} {{missing}}{{region}}It suits read-heavy data sets and write-once outputs; mark the volume ReadOnlyMany (and the read-only mount option) if the pods only read it. ${ALTERNATIVES}`,
      objectVolume: COMMUNITY,
      podVolume: COMMUNITY,
      onFargate: `{{namespace}} runs on Fargate ({{origin}}{{assumedNamespace}}). Mountpoint for S3 and Amazon S3 Files do not run on Fargate, so the pod cannot mount the volume and stays in ContainerCreating. Run these pods on EC2 nodes (a namespace or labels no Fargate profile selects), or read and write the bucket through the S3 API with IAM roles for service accounts or Pod Identity.`,
    },
    example: {
      fires: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: s3\nprovisioner: s3.csi.aws.com\nparameters:\n  bucketName: my-bucket\n',
      fixed:
        'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: dataset\nspec:\n  capacity: { storage: 1200Gi }\n  accessModes: [ReadOnlyMany]\n  storageClassName: ""\n  mountOptions: [read-only, region us-west-2]\n  csi:\n    driver: s3.csi.aws.com\n    volumeHandle: dataset-volume\n    volumeAttributes: { bucketName: my-bucket }\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: dataset\nspec:\n  accessModes: [ReadOnlyMany]\n  storageClassName: ""\n  volumeName: dataset\n  resources:\n    requests: { storage: 1200Gi }\n',
    },
  },
  check(ctx) {
    const driverOf = (node: ScalarNode | undefined) => {
      const driver = str(node);
      return node && driver && !isPlaceholder(driver) && isS3Driver(driver) ? driver : undefined;
    };
    const report = (node: ScalarNode, messageId: MessageId, values: Record<string, string>, severity?: 'warning' | 'hint') =>
      ctx.report({ node, messageId, values, data: { driver: values.driver }, ...(severity ? { severity } : {}) });
    // PersistentVolumes of this file with an S3 driver, by name and by the claim they are reserved for.
    const s3Volumes = new Map<string, string>();
    const reservedFor = new Map<string, string>();
    for (const obj of ctx.objects) {
      if (!isBuiltIn(obj, 'PersistentVolume') || !obj.name) continue;
      const driver = driverOf(asScalar(at(obj.node, 'spec', 'csi', 'driver')));
      if (!driver) continue;
      s3Volumes.set(obj.name, driver);
      const claim = str(at(obj.node, 'spec', 'claimRef', 'name'));
      if (claim) reservedFor.set(`${str(at(obj.node, 'spec', 'claimRef', 'namespace')) ?? 'default'}/${claim}`, driver);
    }
    const claimDriver = new Map<string, string>();
    for (const obj of ctx.objects) {
      if (!isBuiltIn(obj, 'PersistentVolumeClaim') || !obj.name) continue;
      const key = `${namespaceOf(obj)}/${obj.name}`;
      const driver = s3Volumes.get(str(at(obj.node, 'spec', 'volumeName')) ?? '') ?? reservedFor.get(key);
      if (driver) claimDriver.set(key, driver);
    }

    for (const obj of ctx.objects) {
      if (isBuiltIn(obj, 'StorageClass')) {
        const node = asScalar(get(obj.node, 'provisioner'));
        const driver = driverOf(node);
        if (!node || !driver) continue;
        if (driver === MOUNTPOINT_S3) report(node, 'noDynamicProvisioning', { object: objectRef(obj), driver }, 'warning');
        else report(node, 'objectStorageClass', { object: objectRef(obj), driver });
      } else if (isBuiltIn(obj, 'PersistentVolume')) {
        const node = asScalar(at(obj.node, 'spec', 'csi', 'driver'));
        const driver = driverOf(node);
        if (!node || !driver) continue;
        if (driver !== MOUNTPOINT_S3) report(node, 'objectVolume', { object: objectRef(obj), driver });
        else {
          const spec = asMap(get(obj.node, 'spec'));
          const options = mountOptions(spec);
          const missing = WRITE_OPTIONS.filter(([o]) => !options.has(o));
          // Read-only, or the options already allow what writers need: nothing left worth a hint.
          if (readOnly(spec, options) || !missing.length) continue;
          // A supported driver chosen on purpose: its limits are worth knowing, not a defect (a hint).
          report(node, 'mountpoint', {
            object: objectRef(obj), driver,
            bucket: str(at(obj.node, 'spec', 'csi', 'volumeAttributes', 'bucketName')) ?? '(unnamed)',
            missing: `Without the ${missing.map(([o]) => o).join(' and ')} mount option${missing.length > 1 ? 's' : ''}, ${missing.map(([, lifts]) => lifts).join(' or ')} fails. `,
            region: options.has('region') ? '' : 'No region mount option is set: Mountpoint then reads the region from instance metadata, which driver v2 (Mountpoint runs in a pod) reaches only with an IMDS hop limit of 2 or more; setting region avoids that. ',
          }, 'hint');
        }
      } else if (isBuiltIn(obj) && podSpec(obj)) {
        for (const volume of podVolumes(obj)) {
          const name = str(get(volume, 'name')) ?? '(unnamed)';
          const inline = asScalar(at(volume, 'csi', 'driver'));
          const claimKey = asScalar(get(get(volume, 'persistentVolumeClaim'), 'claimName'));
          const driver = driverOf(inline) ?? (claimKey && claimDriver.get(`${namespaceOf(obj)}/${str(claimKey)}`));
          if (!driver) continue;
          const fargate = onFargate(ctx, obj);
          if (fargate) {
            report((driverOf(inline) ? inline : claimKey)!, 'onFargate', { volume: name, object: objectRef(obj), driver, ...fargate }, 'warning');
          } else if (inline && driverOf(inline)) {
            report(inline, 'podVolume', { volume: name, object: objectRef(obj), driver });
          }
        }
      }
    }
  },
});

/** The names of a Mountpoint volume's mount options: `--allow-delete`, `region us-west-2`, `uid=1000` -> allow-delete, region, uid. */
function mountOptions(spec: MapNode | undefined): Set<string> {
  return new Set(items(get(spec, 'mountOptions')).map((n) => /^-{0,2}([^\s=]*)/.exec((str(n) ?? '').trim())![1]));
}

/** Only read: `ReadOnlyMany` alone, the `read-only` mount option, or `csi.readOnly: true`. */
function readOnly(spec: MapNode | undefined, options: Set<string>): boolean {
  const modes = items(get(spec, 'accessModes')).map((n) => str(n));
  if (modes.length && modes.every((m) => m === 'ReadOnlyMany')) return true;
  return options.has('read-only') || asScalar(at(spec, 'csi', 'readOnly'))?.value === true;
}

function onFargate(ctx: Parameters<typeof fargateNamespace>[0], obj: K8sObject): { namespace: string; origin: string; assumedNamespace: string } | undefined {
  const namespace = fargateNamespace(ctx, obj);
  if (!namespace) return undefined;
  return { namespace, origin: fargateOrigin(ctx), assumedNamespace: obj.namespace ? '' : '; the manifest sets no namespace, so default was assumed' };
}
