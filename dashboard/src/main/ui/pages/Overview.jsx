import { Card, Group, SimpleGrid, Text, Title } from '@mantine/core';
import { useCluster, useList } from '../hooks.js';
import { linkProps, listPath } from '../router.js';
import { ObjectTable } from './ResourceList.jsx';
import { ClusterResources } from './ResourceCharts.jsx';

function Count({ label, value, detail, to }) {
  return (
    <Card withBorder component="a" {...linkProps(to)} data-testid={`count-${label.toLowerCase()}`}>
      <Text size="sm" c="dimmed">{label}</Text>
      <Text size="xl" fw={700}>{value}</Text>
      {detail && <Text size="xs" c="dimmed">{detail}</Text>}
    </Card>
  );
}

/** The cluster at a glance: counts, resource charts and the latest warnings, all live (or at the chosen revision). */
export default function Overview() {
  const { catalog, namespace, revision } = useCluster();
  const at = { revision };
  const polled = { revision, poll: 5000 };
  const nodes = useList(catalog.get('nodes'), null, polled).items;
  const namespaces = useList(catalog.get('namespaces'), null, polled).items;
  const pods = useList(catalog.get('pods'), namespace, at).items;
  const deployments = useList(catalog.get('apps/deployments'), namespace, at).items;
  const services = useList(catalog.get('services'), namespace, polled).items;
  const events = useList(catalog.get('events'), namespace, polled).items;
  const phases = pods.reduce((m, p) => ({ ...m, [p.status?.phase || 'Pending']: (m[p.status?.phase || 'Pending'] || 0) + 1 }), {});
  const readyNodes = nodes.filter((n) => (n.status?.conditions || []).some((c) => c.type === 'Ready' && c.status === 'True'));
  const warnings = events.filter((e) => e.type === 'Warning')
    .sort((a, b) => String(b.lastTimestamp || b.eventTime).localeCompare(String(a.lastTimestamp || a.eventTime))).slice(0, 10);
  return (
    <>
      <Group justify="space-between"><Title order={2}>Cluster overview{namespace ? ` · ${namespace}` : ''}</Title></Group>
      <SimpleGrid cols={{ base: 2, md: 5 }} mt="md">
        <Count label="Nodes" value={nodes.length} detail={`${readyNodes.length} ready`} to={listPath(catalog.get('nodes'))} />
        <Count label="Namespaces" value={namespaces.length} to={listPath(catalog.get('namespaces'))} />
        <Count label="Pods" value={pods.length} detail={Object.entries(phases).map(([k, v]) => `${v} ${k}`).join(', ')}
               to={listPath(catalog.get('pods'))} />
        <Count label="Deployments" value={deployments.length} to={listPath(catalog.get('apps/deployments'))} />
        <Count label="Services" value={services.length} to={listPath(catalog.get('services'))} />
      </SimpleGrid>
      <Title order={3} mt="lg">Deployments</Title>
      {deployments.length ? <ObjectTable type={catalog.get('apps/deployments')} items={deployments} showNamespace={!namespace} />
        : <Text c="dimmed">None.</Text>}
      <ClusterResources nodes={nodes} pods={pods} />
      <Title order={3} mt="lg">Latest warnings</Title>
      {warnings.length ? <ObjectTable type={catalog.get('events')} items={warnings} showNamespace={!namespace} />
        : <Text c="dimmed">No warning events.</Text>}
    </>
  );
}
