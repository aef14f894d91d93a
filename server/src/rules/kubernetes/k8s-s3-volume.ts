// S3 mounted as a Kubernetes volume. Mountpoint for S3 (`s3.csi.aws.com`, an EKS add-on) is supported, with
// object semantics; a Mountpoint PersistentVolume gets one `info` only for a change its file calls for: a
// write option missing while a workload of the file mounts its claim writable, no `region` option, or both.
// A StorageClass for it (it has no dynamic provisioning) and a pod in a Fargate namespace mounting an S3
// volume (it does not run on Fargate) are real problems. Community S3 drivers (FUSE mounts such as geesefs
// or s3fs) get an `info` that a bucket is object storage, not a full file system.
import { asMap, asScalar, at, get, items, str, type MapNode, type ScalarNode } from '../../documents/nodes';
import { defineRule, type Related } from '../../engine/rule';
import { isBuiltIn, isPlaceholder, objectRef, podSpec, podVolumes, writableMounts, type K8sObject } from '../../model/kubernetes';
import { EFS_CSI, fargateNamespace, fargateOrigin, isS3Driver, MOUNTPOINT_S3, namespaceOf } from '../storage';
import { listed } from '../words';

/** Object semantics, whatever the mount options: the part of the limits no option lifts. */
const SEMANTICS =
  'Mountpoint for S3 gives a bucket object semantics: files are written once, sequentially, as new objects; existing files cannot be edited in place or appended to, and renames are not supported on general purpose buckets.';
const ALTERNATIVES = 'For a file system that pods edit and share, use EFS (' + EFS_CSI + '), or Amazon S3 Files through the EFS CSI driver v3.0.0+ for a bucket-backed file system.';
const LIMITS = `${SEMANTICS} Deletes and overwrites need the allow-delete and allow-overwrite mount options. It suits read-heavy data sets and write-once outputs. ${ALTERNATIVES}`;
/** The Mountpoint options that lift a write limit: without them deleting or overwriting a file fails. */
const WRITE_OPTIONS: ReadonlyArray<[option: string, lifts: string, operations: string]> = [
  ['allow-delete', 'deleting a file', 'deletes'],
  ['allow-overwrite', 'overwriting an existing file', 'overwrites'],
];
/** What a writer of a volume without the write options runs into, and what to do about it. */
const WRITES =
  'The volume mounts bucket {{bucket}}, and {{writers}} without readOnly. Without the {{options}} mount option{{plural}}, {{failures}} fails. Add {{optionsList}} to mountOptions if the application does that; if the pods only read, mark the volume mounts readOnly: true (or the volume ReadOnlyMany with the read-only mount option).';
const FITS = `${SEMANTICS} It suits read-heavy data sets and write-once outputs. ${ALTERNATIVES}`;
const REGION =
  'Without it Mountpoint reads the region from instance metadata, which driver v2 (Mountpoint runs in a pod) reaches only with an IMDS hop limit of 2 or more: add `region <the bucket\'s region>` to mountOptions.';
const COMMUNITY =
  'FUSE mounts of S3 emulate a file system on top of objects: in-place edits rewrite whole objects, renames are copies, there is no locking, and concurrent writers overwrite each other. The AWS-supported ways to mount a bucket are Mountpoint for S3 (' + MOUNTPOINT_S3 + ', EKS add-on aws-mountpoint-s3-csi-driver, static provisioning, object semantics) and Amazon S3 Files through the EFS CSI driver v3.0.0+; for files that pods share and edit, EFS (' + EFS_CSI + ') is the default.';

type MessageId = 'noDynamicProvisioning' | 'objectStorageClass' | 'writeOptions' | 'noRegion' | 'writeOptionsNoRegion' | 'objectVolume' | 'podVolume' | 'onFargate';

export default defineRule({
  meta: {
    id: 'k8s-s3-volume',
    title: 'S3 bucket mounted as a Kubernetes volume',
    severity: 'info',
    kb: 'eks-data-volumes',
    appliesTo: ['kubernetes'],
    description:
      'A bucket can be mounted on EKS with **Mountpoint for Amazon S3** (`s3.csi.aws.com`, the `aws-mountpoint-s3-csi-driver` add-on), but as object storage, not a general file system: files are written sequentially as new objects, existing files cannot be edited in place or appended to, and renames are not supported on general purpose buckets. It supports **static provisioning only** (a PersistentVolume naming an existing `bucketName`) and does **not run on Fargate**. A Mountpoint volume chosen on purpose is reported only for a change the file calls for, as an `info`: `mountOptions` lacking `allow-delete` or `allow-overwrite` while a workload of the same file mounts the claim bound to the volume writable (a volume mount without `readOnly: true`, a claim and volume not read-only by `ReadOnlyMany`, the `read-only` option or `csi.readOnly`), naming the operations that then fail; and no `region` mount option (Mountpoint then reads the region from instance metadata, which driver v2 reaches only with an IMDS hop limit of 2 or more; not for a bucket given as an ARN, which names its region). A volume that lacks both gets one finding that names both. A volume with what its writers need and a region is not reported. The rule gives an `info` on volumes of community S3 drivers (`ru.yandex.s3.csi`, `ch.ctrox.csi.s3-driver`...), and a `warning` for what cannot work: a StorageClass for `s3.csi.aws.com` (claims on it stay Pending), and a pod in a Fargate namespace (declared in `.kbhints.yaml` or from the workspace\'s Fargate profiles) that mounts an S3 volume.',
    fix: 'Mount Mountpoint volumes statically: a `PersistentVolume` with `csi: { driver: s3.csi.aws.com, volumeHandle: <unique>, volumeAttributes: { bucketName: <bucket> } }` and `storageClassName: ""`, and a claim bound to it with `volumeName` (drop the StorageClass). Keep writes to new files, or add the `allow-overwrite`/`allow-delete` mount options the application needs; mark read-only data `ReadOnlyMany` with the `read-only` mount option (or the pods\' volume mounts `readOnly: true`). Set the bucket\'s `region` in `mountOptions`. Run pods that mount a bucket on EC2 nodes, not Fargate. For files that pods edit and share, use EFS (`efs.csi.aws.com`; static PersistentVolumes on Fargate), or Amazon S3 Files through the EFS CSI driver v3.0.0+.',
    messages: {
      noDynamicProvisioning: '{{object}} names {{driver}}, which cannot provision volumes: claims on it stay Pending',
      objectStorageClass: '{{object}} mounts S3 buckets through {{driver}}: object storage, not a full file system',
      writeOptions: '{{object}} is mounted writable: {{operations}} fail without {{options}}',
      noRegion: '{{object}} sets no region mount option: Mountpoint then needs instance metadata to find it',
      writeOptionsNoRegion: '{{object}} is mounted writable without {{options}}, and sets no region',
      objectVolume: '{{object}} mounts an S3 bucket through {{driver}}: object storage, not a full file system',
      podVolume: 'Volume {{volume}} of {{object}} mounts an S3 bucket through {{driver}}: object storage, not a full file system',
      onFargate: 'Volume {{volume}} of {{object}} mounts S3 in Fargate namespace {{namespace}}, where Mountpoint cannot run',
    },
    details: {
      noDynamicProvisioning: `Mountpoint for S3 supports static provisioning only: no controller creates buckets or volumes for a claim on this class, so a claim that does not bind to a PersistentVolume you created stays Pending. Create a PersistentVolume with csi.driver ${MOUNTPOINT_S3} and volumeAttributes.bucketName, set storageClassName: "" on it and on the claim, and bind the claim with volumeName. ${LIMITS}`,
      objectStorageClass: COMMUNITY,
      writeOptions: `${WRITES} ${FITS}`,
      noRegion: `The volume mounts bucket {{bucket}} and sets no region mount option. ${REGION} ${SEMANTICS} ${ALTERNATIVES}`,
      writeOptionsNoRegion: `${WRITES} It sets no region mount option either. ${REGION} ${FITS}`,
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
    const report = (node: ScalarNode, messageId: MessageId, values: Record<string, string>, severity?: 'warning', related?: Related[]) =>
      ctx.report({ node, messageId, values, data: { driver: values.driver }, ...(severity ? { severity } : {}), ...(related ? { related } : {}) });
    // PersistentVolumes of this file with an S3 driver, and the claims (namespace/name) bound to them:
    // reserved by the volume's claimRef, or naming it as their volumeName.
    const s3Volumes = new Map<string, string>();
    const claimVolume = new Map<string, string>();
    const readOnlyClaims = new Set<string>();
    for (const obj of ctx.objects) {
      const driver = isBuiltIn(obj, 'PersistentVolume') && driverOf(asScalar(at(obj.node, 'spec', 'csi', 'driver')));
      if (!driver || !obj.name) continue;
      s3Volumes.set(obj.name, driver);
      const claim = str(at(obj.node, 'spec', 'claimRef', 'name'));
      if (claim) claimVolume.set(`${str(at(obj.node, 'spec', 'claimRef', 'namespace')) ?? 'default'}/${claim}`, obj.name);
    }
    for (const obj of ctx.objects) {
      if (!isBuiltIn(obj, 'PersistentVolumeClaim') || !obj.name) continue;
      const key = `${namespaceOf(obj)}/${obj.name}`;
      const volume = str(at(obj.node, 'spec', 'volumeName'));
      if (volume && s3Volumes.has(volume)) claimVolume.set(key, volume);
      if (onlyReadOnlyMany(asMap(get(obj.node, 'spec')))) readOnlyClaims.add(key);
    }
    // Workload volumes of this file on those claims, and the workloads that mount them writable, by PersistentVolume.
    const claimUses: Array<{ obj: K8sObject; volume: MapNode; claim: ScalarNode; pv: string }> = [];
    const writers = new Map<string, Array<{ workload: string; related: Related }>>();
    for (const obj of ctx.objects) {
      if (!isBuiltIn(obj) || !podSpec(obj)) continue;
      for (const volume of podVolumes(obj)) {
        const source = get(volume, 'persistentVolumeClaim');
        const claim = asScalar(get(source, 'claimName'));
        const key = claim && `${namespaceOf(obj)}/${str(claim)}`;
        const pv = key && claimVolume.get(key);
        if (!claim || !key || !pv) continue;
        claimUses.push({ obj, volume, claim, pv });
        const name = str(get(volume, 'name')) ?? '';
        if (readOnlyClaims.has(key) || asScalar(get(source, 'readOnly'))?.value === true || !writableMounts(obj, name).length) continue;
        let list = writers.get(pv);
        if (!list) writers.set(pv, (list = []));
        list.push({ workload: objectRef(obj), related: { node: claim, message: `${objectRef(obj)} mounts volume ${name} (claim ${str(claim)}) writable` } });
      }
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
        if (driver !== MOUNTPOINT_S3) {
          report(node, 'objectVolume', { object: objectRef(obj), driver });
          continue;
        }
        // A supported driver chosen on purpose: only a change the file calls for is worth a finding.
        const spec = asMap(get(obj.node, 'spec'));
        const options = mountOptions(spec);
        const bucket = str(at(obj.node, 'spec', 'csi', 'volumeAttributes', 'bucketName'));
        const object = objectRef(obj);
        const missing = WRITE_OPTIONS.filter(([o]) => !options.has(o));
        const written = obj.name && !readOnly(spec, options) ? writers.get(obj.name) : undefined;
        // A bucket given as an ARN (an Outposts access point) names its region.
        const noRegion = !options.has('region') && !bucket?.startsWith('arn:');
        const values = { object, driver, bucket: bucket ?? '(unnamed)' };
        // One finding per volume: the write options and the region together when both are missing.
        if (missing.length && written?.length) {
          const workloads = [...new Set(written.map((w) => w.workload))];
          report(node, noRegion ? 'writeOptionsNoRegion' : 'writeOptions', {
            ...values,
            operations: listed(missing.map(([, , ops]) => ops)),
            options: missing.map(([o]) => o).join('/'),
            optionsList: listed(missing.map(([o]) => o)),
            plural: missing.length > 1 ? 's' : '',
            failures: missing.map(([, lifts]) => lifts).join(' or '),
            writers: `${listed(workloads)} mount${workloads.length > 1 ? '' : 's'} it`,
          }, undefined, written.map((w) => w.related));
        } else if (noRegion) {
          report(node, 'noRegion', values);
        }
      } else if (isBuiltIn(obj) && podSpec(obj)) {
        for (const volume of podVolumes(obj)) {
          const inline = asScalar(at(volume, 'csi', 'driver'));
          if (!driverOf(inline)) continue;
          const fargate = onFargate(ctx, obj);
          const values = { volume: str(get(volume, 'name')) ?? '(unnamed)', object: objectRef(obj), driver: driverOf(inline)! };
          if (fargate) report(inline!, 'onFargate', { ...values, ...fargate }, 'warning');
          else report(inline!, 'podVolume', values);
        }
      }
    }
    // Claims on the file's S3 volumes, used from a Fargate namespace.
    for (const use of claimUses) {
      const fargate = onFargate(ctx, use.obj);
      if (fargate) report(use.claim, 'onFargate', { volume: str(get(use.volume, 'name')) ?? '(unnamed)', object: objectRef(use.obj), driver: s3Volumes.get(use.pv)!, ...fargate }, 'warning');
    }
  },
});

/** The names of a Mountpoint volume's mount options: `--allow-delete`, `region us-west-2`, `uid=1000` -> allow-delete, region, uid. */
function mountOptions(spec: MapNode | undefined): Set<string> {
  return new Set(items(get(spec, 'mountOptions')).map((n) => /^-{0,2}([^\s=]*)/.exec((str(n) ?? '').trim())![1]));
}

/** Only read: `ReadOnlyMany` alone, the `read-only` mount option, or `csi.readOnly: true`. */
function readOnly(spec: MapNode | undefined, options: Set<string>): boolean {
  if (onlyReadOnlyMany(spec)) return true;
  return options.has('read-only') || asScalar(at(spec, 'csi', 'readOnly'))?.value === true;
}

/** A volume's or claim's access modes are `ReadOnlyMany` alone. */
function onlyReadOnlyMany(spec: MapNode | undefined): boolean {
  const modes = items(get(spec, 'accessModes')).map((n) => str(n));
  return modes.length > 0 && modes.every((m) => m === 'ReadOnlyMany');
}

function onFargate(ctx: Parameters<typeof fargateNamespace>[0], obj: K8sObject): { namespace: string; origin: string; assumedNamespace: string } | undefined {
  const namespace = fargateNamespace(ctx, obj);
  if (!namespace) return undefined;
  return { namespace, origin: fargateOrigin(ctx), assumedNamespace: obj.namespace ? '' : '; the manifest sets no namespace, so default was assumed' };
}
