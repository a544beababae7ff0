// What a list shows about each object beyond its name, namespace and age, by kind.

/**
 * How long ago a timestamp was. At a past revision the history API does not say when that revision was written, and
 * "ago" counted from now would be wrong by the distance travelled, so callers show the absolute time there instead.
 */
export function age(timestamp) {
  if (!timestamp) return '';
  const seconds = Math.max(0, (Date.now() - Date.parse(timestamp)) / 1000);
  if (seconds < 120) return `${Math.floor(seconds)}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** The Age cell of a list: the age now, or the creation time itself when the page shows a past revision. */
export function ageOrTime(timestamp, revision) {
  return revision != null ? (timestamp || '') : age(timestamp);
}

const condition = (o, type) => (o.status?.conditions || []).find((c) => c.type === type)?.status;

function podReady(pod) {
  const statuses = pod.status?.containerStatuses || [];
  return `${statuses.filter((s) => s.ready).length}/${pod.spec?.containers?.length || 0}`;
}

const COLUMNS = {
  pods: [
    ['Status', (o) => (o.metadata.deletionTimestamp ? 'Terminating' : o.status?.phase || 'Pending')],
    ['Ready', podReady],
    ['Restarts', (o) => (o.status?.containerStatuses || []).reduce((n, s) => n + (s.restartCount || 0), 0)],
    ['Node', (o) => o.spec?.nodeName || ''],
  ],
  deployments: [
    ['Ready', (o) => `${o.status?.readyReplicas || 0}/${o.spec?.replicas ?? 1}`],
    ['Up-to-date', (o) => o.status?.updatedReplicas || 0],
    ['Available', (o) => o.status?.availableReplicas || 0],
  ],
  replicasets: [
    ['Desired', (o) => o.spec?.replicas ?? 1],
    ['Current', (o) => o.status?.replicas || 0],
    ['Ready', (o) => o.status?.readyReplicas || 0],
  ],
  statefulsets: [['Ready', (o) => `${o.status?.readyReplicas || 0}/${o.spec?.replicas ?? 1}`]],
  replicationcontrollers: [['Ready', (o) => `${o.status?.readyReplicas || 0}/${o.spec?.replicas ?? 1}`]],
  daemonsets: [
    ['Desired', (o) => o.status?.desiredNumberScheduled || 0],
    ['Ready', (o) => o.status?.numberReady || 0],
  ],
  jobs: [['Completions', (o) => `${o.status?.succeeded || 0}/${o.spec?.completions ?? 1}`]],
  cronjobs: [['Schedule', (o) => o.spec?.schedule], ['Suspend', (o) => String(!!o.spec?.suspend)]],
  nodes: [
    ['Status', (o) => (condition(o, 'Ready') === 'True' ? 'Ready' : 'NotReady')],
    ['CPU', (o) => o.status?.allocatable?.cpu || ''],
    ['Memory', (o) => o.status?.allocatable?.memory || ''],
  ],
  namespaces: [['Status', (o) => o.status?.phase || '']],
  services: [
    ['Type', (o) => o.spec?.type || 'ClusterIP'],
    ['Cluster IP', (o) => o.spec?.clusterIP || ''],
    ['Ports', (o) => (o.spec?.ports || []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol || 'TCP'}`).join(', ')],
  ],
  ingresses: [['Hosts', (o) => (o.spec?.rules || []).map((r) => r.host || '*').join(', ')]],
  configmaps: [['Data', (o) => Object.keys(o.data || {}).length]],
  secrets: [['Type', (o) => o.type || ''], ['Data', (o) => Object.keys(o.data || {}).length]],
  persistentvolumeclaims: [['Status', (o) => o.status?.phase || ''], ['Volume', (o) => o.spec?.volumeName || '']],
  persistentvolumes: [['Capacity', (o) => o.spec?.capacity?.storage || ''], ['Status', (o) => o.status?.phase || '']],
  events: [
    ['Type', (o) => o.type || ''],
    ['Reason', (o) => o.reason || ''],
    ['Object', (o) => `${o.involvedObject?.kind || ''}/${o.involvedObject?.name || ''}`],
    ['Message', (o) => o.message || ''],
  ],
};

export function columnsFor(type) {
  return COLUMNS[type.plural] || [];
}
