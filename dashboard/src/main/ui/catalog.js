// Resource types from API discovery (/api/v1, /apis/{group}/{version}), so custom resources appear like built-ins.
import { api } from './api.js';

export const SECTIONS = [
  { title: 'Cluster', types: ['namespaces', 'nodes', 'persistentvolumes', 'storage.k8s.io/storageclasses', 'serviceaccounts',
    'rbac.authorization.k8s.io/clusterroles'] },
  { title: 'Workloads', types: ['batch/cronjobs', 'apps/daemonsets', 'apps/deployments', 'batch/jobs', 'pods', 'apps/replicasets',
    'replicationcontrollers', 'apps/statefulsets'] },
  { title: 'Service', types: ['networking.k8s.io/ingresses', 'services'] },
  { title: 'Config and storage', types: ['configmaps', 'persistentvolumeclaims', 'secrets'] },
];

/** Kinds whose replica count the scale subresource sets, and those restarted through their pod template. */
export const SCALABLE = new Set(['apps/deployments', 'apps/replicasets', 'apps/statefulsets', 'replicationcontrollers']);
export const RESTARTABLE = new Set(['apps/deployments', 'apps/statefulsets', 'apps/daemonsets']);

/** The kind's plural for headings: Deployments, Ingresses, StorageClasses. */
export function kindPlural(type) {
  return /(s|x|ch|sh)$/.test(type.kind) ? `${type.kind}es` : `${type.kind}s`;
}

export function typeId(type) {
  return type.group ? `${type.group}/${type.plural}` : type.plural;
}

export async function loadCatalog() {
  const types = new Map();
  const add = (group, version, resources) => {
    for (const r of resources) {
      if (r.name.includes('/')) continue; // subresources
      const type = { group, version, plural: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs || [] };
      types.set(typeId(type), type);
    }
  };
  const core = await api.get('/api/v1');
  add('', 'v1', core.resources);
  const groups = await api.get('/apis');
  await Promise.all(groups.groups.map(async (g) => {
    const version = g.preferredVersion?.version || g.versions[0].version;
    try {
      const list = await api.get(`/apis/${g.name}/${version}`);
      add(g.name, version, list.resources);
    } catch {
      // a group that went away between the two reads
    }
  }));
  const crdGroups = new Set();
  try {
    const crds = await api.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    for (const crd of crds.items) crdGroups.add(`${crd.spec.group}/${crd.spec.names.plural}`);
  } catch {
    // no CRD support
  }
  return {
    types,
    get: (id) => types.get(id),
    custom: () => [...types.values()].filter((t) => crdGroups.has(typeId(t))),
    /** The type of an object from its apiVersion and kind (for owner references and create-from-YAML). */
    forKind: (apiVersion, kind) => {
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      const candidates = [...types.values()].filter((t) => t.group === group && t.kind === kind);
      return candidates.find((t) => t.version === version) || candidates[0];
    },
  };
}
