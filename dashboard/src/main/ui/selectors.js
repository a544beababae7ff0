// A workload's spec.selector as a label selector string for ?labelSelector=.
export function labelSelector(selector) {
  if (!selector) return null;
  const terms = Object.entries(selector.matchLabels || {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions || []) {
    if (e.operator === 'In') terms.push(`${e.key} in (${e.values.join(',')})`);
    else if (e.operator === 'NotIn') terms.push(`${e.key} notin (${e.values.join(',')})`);
    else if (e.operator === 'Exists') terms.push(e.key);
    else if (e.operator === 'DoesNotExist') terms.push(`!${e.key}`);
  }
  return terms.length ? terms.join(',') : null;
}

/** Services select pods by a plain map. */
export function mapSelector(map) {
  const terms = Object.entries(map || {}).map(([k, v]) => `${k}=${v}`);
  return terms.length ? terms.join(',') : null;
}
