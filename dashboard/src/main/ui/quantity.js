// Kubernetes resource quantities as numbers: CPU in cores, everything else in base units (bytes, counts).
const SUFFIXES = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

export function parseQuantity(value) {
  if (value == null) return 0;
  if (typeof value === 'number') return value;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(String(value).trim());
  if (!match || !(match[2] in SUFFIXES)) return 0;
  return parseFloat(match[1]) * SUFFIXES[match[2]];
}

export function formatQuantity(resource, amount) {
  if (resource === 'cpu') return amount < 1 ? `${Math.round(amount * 1000)}m` : `${+amount.toFixed(2)}`;
  if (resource === 'memory' || resource.endsWith('storage')) {
    const units = [['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]];
    for (const [unit, size] of units) if (amount >= size) return `${+(amount / size).toFixed(1)}${unit}`;
    return `${amount}`;
  }
  return `${+amount.toFixed(2)}`;
}

/** Sum of the requests of a pod's containers (init containers count by their maximum, as the scheduler does). */
export function podRequests(pod) {
  const sum = {};
  for (const container of pod.spec?.containers || []) {
    for (const [resource, value] of Object.entries(container.resources?.requests || {})) {
      sum[resource] = (sum[resource] || 0) + parseQuantity(value);
    }
  }
  for (const container of pod.spec?.initContainers || []) {
    for (const [resource, value] of Object.entries(container.resources?.requests || {})) {
      sum[resource] = Math.max(sum[resource] || 0, parseQuantity(value));
    }
  }
  return sum;
}

export function podIsActive(pod) {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}
