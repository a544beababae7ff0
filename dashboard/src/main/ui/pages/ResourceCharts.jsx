import { useEffect, useState } from 'react';
import { Anchor, Card, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { api } from '../api.js';
import { useCluster, useList } from '../hooks.js';
import { formatQuantity, parseQuantity, podIsActive, podRequests } from '../quantity.js';
import { linkProps, objectPath } from '../router.js';

const RESOURCES = ['cpu', 'memory', 'pods'];

/** One bar: requested (and, where the runtime reports it, used) against what is allocatable. */
function Bar({ resource, requested, allocatable, used }) {
  const percent = (v) => (allocatable > 0 ? Math.min(100, (v / allocatable) * 100) : 0);
  return (
    <div data-testid={`bar-${resource}`}>
      <Group justify="space-between" gap={4}>
        <Text size="xs" fw={600}>{resource}</Text>
        <Text size="xs" c="dimmed">
          requests {formatQuantity(resource, requested)} / {formatQuantity(resource, allocatable)}
          {used != null ? ` · used ${formatQuantity(resource, used)}` : ''}
        </Text>
      </Group>
      <Progress.Root size="lg">
        <Progress.Section value={percent(requested)} color={percent(requested) > 90 ? 'red' : 'blue'} />
      </Progress.Root>
      {used != null && (
        <Progress.Root size="xs" mt={2}><Progress.Section value={percent(used)} color="teal" /></Progress.Root>
      )}
    </div>
  );
}

function sumRequests(pods) {
  const total = { pods: 0 };
  for (const pod of pods.filter(podIsActive)) {
    total.pods += 1;
    for (const [resource, amount] of Object.entries(podRequests(pod))) total[resource] = (total[resource] || 0) + amount;
  }
  return total;
}

/** Actual usage from the metrics API, when it answers (live only: usage has no history). */
function useNodeUsage(revision) {
  const [usage, setUsage] = useState({});
  useEffect(() => {
    if (revision != null) { setUsage({}); return undefined; }
    let timer;
    const read = () => api.get('/apis/metrics.k8s.io/v1beta1/nodes').then((list) => {
      setUsage(Object.fromEntries(list.items.map((m) => [m.metadata.name, m.usage])));
    }, () => setUsage({})).finally(() => { timer = setTimeout(read, 10000); });
    read();
    return () => clearTimeout(timer);
  }, [revision]);
  return usage;
}

function NodeCard({ node, pods, usage }) {
  const { catalog } = useCluster();
  const requested = sumRequests(pods);
  const allocatable = node.status?.allocatable || {};
  return (
    <Card withBorder data-testid={`node-card-${node.metadata.name}`}>
      <Anchor fw={600} {...linkProps(objectPath(catalog.get('nodes'), null, node.metadata.name))}>{node.metadata.name}</Anchor>
      <Stack gap={6} mt="xs">
        {RESOURCES.map((r) => (
          <Bar key={r} resource={r} requested={requested[r] || 0} allocatable={parseQuantity(allocatable[r])}
               used={usage?.[r] != null ? parseQuantity(usage[r]) : null} />
        ))}
      </Stack>
    </Card>
  );
}

export function NodeResources({ node, revision }) {
  const { catalog } = useCluster();
  const { items } = useList(catalog.get('pods'), null, { fieldSelector: `spec.nodeName=${node.metadata.name}`, revision, poll: 5000 });
  const usage = useNodeUsage(revision);
  return (
    <>
      <Title order={4} mt="md">Resources</Title>
      <NodeCard node={node} pods={items} usage={usage[node.metadata.name]} />
    </>
  );
}

/** Requests against allocatable for every node, and every namespace's share of the cluster's allocatable. */
export function ClusterResources({ nodes, pods }) {
  const { revision } = useCluster();
  const usage = useNodeUsage(revision);
  const total = {};
  for (const node of nodes) {
    for (const r of RESOURCES) total[r] = (total[r] || 0) + parseQuantity(node.status?.allocatable?.[r]);
  }
  const byNamespace = new Map();
  for (const pod of pods) {
    const list = byNamespace.get(pod.metadata.namespace) || [];
    list.push(pod);
    byNamespace.set(pod.metadata.namespace, list);
  }
  return (
    <>
      <Title order={3} mt="lg">Nodes: requests against allocatable</Title>
      <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }} mt="xs">
        {nodes.map((node) => (
          <NodeCard key={node.metadata.name} node={node} usage={usage[node.metadata.name]}
                    pods={pods.filter((p) => p.spec?.nodeName === node.metadata.name)} />
        ))}
      </SimpleGrid>
      <Title order={3} mt="lg">Namespaces: requests against the cluster's allocatable</Title>
      <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }} mt="xs">
        {[...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([namespace, list]) => {
          const requested = sumRequests(list);
          return (
            <Card withBorder key={namespace} data-testid={`namespace-card-${namespace}`}>
              <Text fw={600}>{namespace}</Text>
              <Stack gap={6} mt="xs">
                {RESOURCES.map((r) => <Bar key={r} resource={r} requested={requested[r] || 0} allocatable={total[r] || 0} />)}
              </Stack>
            </Card>
          );
        })}
      </SimpleGrid>
    </>
  );
}
