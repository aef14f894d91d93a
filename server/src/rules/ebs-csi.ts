// An in-tree EBS StorageClass (`kubernetes.io/aws-ebs`) and what it becomes on the EBS CSI driver, for the
// advice and the quick fix of k8s-in-tree-ebs. The driver rejects a parameter key it does not know
// (CreateVolume: InvalidArgument "Invalid parameter key"), while CSI migration translates an untouched
// in-tree class for it: so a class only moves as a whole. `zone`/`zones` become `allowedTopologies` on
// topology.kubernetes.io/zone, `fsType` becomes `csi.storage.k8s.io/fstype`, the rest carries over.
import { asMap, get, str, type MapNode, type Pair } from '../documents/nodes';
import { EBS_CSI } from './storage';
import { listed } from './words';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const CSI_FSTYPE = 'csi.storage.k8s.io/fstype';

/**
 * Keys the EBS CSI driver's CreateVolume reads, lower-cased (it compares them case-insensitively), as in
 * its parameters doc; `csi.storage.k8s.io/` keys are the external provisioner's, tag keys the driver's.
 */
const CSI_KEYS = new Set([
  'type', 'iopspergb', 'allowautoiopspergbincrease', 'iops', 'throughput', 'encrypted', 'blockexpress', 'kmskeyid',
  'blocksize', 'inodesize', 'bytesperinode', 'numberofinodes', 'ext4bigalloc', 'ext4clustersize',
]);
const CSI_PREFIXES = ['csi.storage.k8s.io/', 'tagspecification_'];

export interface EbsMigration {
  /** The class's `type`, when it sets one. */
  type?: string;
  /** Keys (as written) the driver reads unchanged. */
  kept: string[];
  /** The in-tree `fsType` pair, renamed to `csi.storage.k8s.io/fstype`. */
  fsType?: Pair;
  /** The `zone`/`zones` pairs and the zones they name: they move to `allowedTopologies`. */
  zonePairs: Pair[];
  zones: string[];
  /** Keys with no EBS CSI equivalent (the driver would reject the class). */
  unsupported: string[];
  /** The class sets zones and `allowedTopologies` both (or fsType twice): no single way to merge them. */
  conflict: boolean;
}

/** How an in-tree EBS class's parameters map onto the EBS CSI driver. */
export function ebsMigration(storageClass: MapNode): EbsMigration {
  const m: EbsMigration = { kept: [], zonePairs: [], zones: [], unsupported: [], conflict: false };
  const params = asMap(get(storageClass, 'parameters'));
  let csiFsType = false;
  for (const p of params?.pairs ?? []) {
    const key = str(p.key) ?? '';
    const lower = key.toLowerCase();
    const value = p.value.kind === 'scalar' ? str(p.value) : undefined;
    if (lower === 'zone' || lower === 'zones') {
      const zones = value?.split(',').map((z) => z.trim()).filter(Boolean);
      if (!zones?.length) m.unsupported.push(key);
      else {
        m.zonePairs.push(p);
        m.zones.push(...zones.filter((z) => !m.zones.includes(z)));
      }
    } else if (lower === 'fstype') m.fsType = p;
    else if (CSI_KEYS.has(lower) || CSI_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
      if (lower === CSI_FSTYPE) csiFsType = true;
      if (lower === 'type' && value !== undefined) m.type = value;
      m.kept.push(key);
    } else m.unsupported.push(key);
  }
  m.conflict = (m.zonePairs.length > 0 && get(storageClass, 'allowedTopologies') !== undefined) || (csiFsType && m.fsType !== undefined);
  return m;
}

/** What moving this class to the EBS CSI driver takes, as a sentence of the finding's detail. */
export function migrationAdvice(m: EbsMigration): string {
  const parts: string[] = [];
  const kept = m.kept.map((k) => (k.toLowerCase() === 'type' && m.type ? `type ${m.type}` : k));
  if (kept.length) parts.push(`${listed(kept)} carr${kept.length === 1 ? 'ies' : 'y'} over`);
  if (m.fsType) parts.push(`${str(m.fsType.key)} becomes ${CSI_FSTYPE}`);
  if (m.zones.length) parts.push(`${listed(m.zonePairs.map((p) => str(p.key) ?? 'zone'))} ${listed(m.zones)} move${m.zonePairs.length === 1 ? 's' : ''} to allowedTopologies on ${ZONE_LABEL} (the driver rejects a zone parameter)`);
  let text = `Set provisioner: ${EBS_CSI} and recreate the class (its fields cannot be changed in place)${parts.length ? `: ${listed(parts)}` : ''}.`;
  if (m.type === undefined) text += ' No type is set: the in-tree plugin created gp2 volumes, the CSI driver creates gp3.';
  else if (m.type.toLowerCase() === 'gp2') text += ' Consider type gp3 for new volumes: it costs less per GiB, with 3,000 IOPS and 125 MiB/s at any size.';
  if (m.unsupported.length) {
    text += ` ${listed(m.unsupported)} ha${m.unsupported.length === 1 ? 's' : 've'} no EBS CSI equivalent, and the driver rejects parameters it does not know: remove or replace ${m.unsupported.length === 1 ? 'it' : 'them'} first.`;
  }
  if (m.conflict) text += ' The class sets both the in-tree and the CSI form of a setting (zone and allowedTopologies, or fsType twice): keep one.';
  return text;
}
