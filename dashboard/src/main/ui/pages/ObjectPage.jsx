import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Code, Group, Loader, Modal, NumberInput, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { parse, stringify } from 'yaml';
import { api, resourcePath } from '../api.js';
import { RESTARTABLE, SCALABLE, typeId, kindPlural } from '../catalog.js';
import { age } from '../columns.js';
import { useCluster, useList, useObject } from '../hooks.js';
import { linkProps, listPath, navigate, objectPath } from '../router.js';
import { labelSelector, mapSelector } from '../selectors.js';
import { ObjectTable } from './ResourceList.jsx';
import PodLogs from './PodLogs.jsx';
import ObjectHistory from './ObjectHistory.jsx';
import { NodeResources } from './ResourceCharts.jsx';

function KeyValues({ title, map }) {
  const entries = Object.entries(map || {});
  if (entries.length === 0) return null;
  return (
    <Group gap={4} mt={4}>
      <Text size="sm" fw={600} mr="xs">{title}</Text>
      {entries.map(([k, v]) => <Badge key={k} variant="light" tt="none">{k}={v}</Badge>)}
    </Group>
  );
}

function Owners({ object }) {
  const { catalog } = useCluster();
  const owners = object.metadata.ownerReferences || [];
  if (owners.length === 0) return null;
  return (
    <Group gap="xs" mt={4}>
      <Text size="sm" fw={600}>Owned by</Text>
      {owners.map((o) => {
        const type = catalog.forKind(o.apiVersion, o.kind);
        return type
          ? <Anchor key={o.uid} size="sm" {...linkProps(objectPath(type, type.namespaced ? object.metadata.namespace : null, o.name))}>{o.kind} {o.name}</Anchor>
          : <Text key={o.uid} size="sm">{o.kind} {o.name}</Text>;
      })}
    </Group>
  );
}

function Conditions({ object }) {
  const conditions = object.status?.conditions || [];
  if (conditions.length === 0) return null;
  return (
    <Table mt="sm" withTableBorder>
      <Table.Thead><Table.Tr><Table.Th>Condition</Table.Th><Table.Th>Status</Table.Th><Table.Th>Reason</Table.Th><Table.Th>Message</Table.Th></Table.Tr></Table.Thead>
      <Table.Tbody>
        {conditions.map((c) => (
          <Table.Tr key={c.type}><Table.Td>{c.type}</Table.Td><Table.Td>{c.status}</Table.Td><Table.Td>{c.reason}</Table.Td><Table.Td>{c.message}</Table.Td></Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Secret values stay hidden until asked for, one at a time. */
function DataEntries({ object, secret }) {
  const [shown, setShown] = useState({});
  const entries = Object.entries(object.data || {});
  if (entries.length === 0) return null;
  const decode = (v) => { try { return atob(v); } catch { return v; } };
  return (
    <Table mt="sm" withTableBorder data-testid="data-entries">
      <Table.Tbody>
        {entries.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Td w={200}><Text fw={600} size="sm">{k}</Text></Table.Td>
            <Table.Td>
              {!secret || shown[k] ? <Code block>{secret ? decode(v) : v}</Code>
                : <Button size="compact-xs" variant="light" onClick={() => setShown({ ...shown, [k]: true })}>Reveal</Button>}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Pods a workload or service selects, kept current. */
function SelectedPods({ selector }) {
  const { catalog, revision } = useCluster();
  const podType = catalog.get('pods');
  const { items } = useList(podType, selector.namespace, { labelSelector: selector.labels, revision });
  return (
    <>
      <Title order={4} mt="md">Pods</Title>
      {items.length === 0 ? <Text c="dimmed">No pods match {selector.labels}.</Text>
        : <ObjectTable type={podType} items={items} showNamespace={false} />}
    </>
  );
}

/** Objects in the namespace whose ownerReferences name this one. */
function Owned({ object }) {
  const { catalog, revision } = useCluster();
  const candidates = ['apps/replicasets', 'pods', 'batch/jobs', 'apps/controllerrevisions', 'discovery.k8s.io/endpointslices']
    .map((id) => catalog.get(id)).filter(Boolean);
  return (
    <>
      {candidates.map((type) => <OwnedOfType key={typeId(type)} type={type} owner={object} revision={revision} />)}
    </>
  );
}

function OwnedOfType({ type, owner, revision }) {
  const { items } = useList(type, owner.metadata.namespace, { revision, poll: 5000 });
  const owned = items.filter((o) => (o.metadata.ownerReferences || []).some((r) => r.uid === owner.metadata.uid));
  if (owned.length === 0) return null;
  return (
    <>
      <Title order={4} mt="md">Owned {kindPlural(type)}</Title>
      <ObjectTable type={type} items={owned} showNamespace={false} />
    </>
  );
}

function ObjectEvents({ type, object }) {
  const { catalog, revision } = useCluster();
  const fieldSelector = `involvedObject.name=${object.metadata.name},involvedObject.kind=${type.kind}`;
  const { items } = useList(catalog.get('events'), object.metadata.namespace || 'default', { fieldSelector, revision, poll: 5000 });
  if (items.length === 0) return <Text c="dimmed">No events.</Text>;
  return <ObjectTable type={catalog.get('events')} items={items} showNamespace={false} />;
}

function YamlEditor({ type, object }) {
  const { readOnly } = useCluster();
  const secret = type.plural === 'secrets';
  const show = (o) => {
    const copy = structuredClone(o);
    if (copy.metadata) delete copy.metadata.managedFields;
    return stringify(copy);
  };
  const [text, setText] = useState(() => show(object));
  const [dirty, setDirty] = useState(false);
  const [message, setMessage] = useState(null);
  const [revealed, setRevealed] = useState(!secret);
  useEffect(() => { if (!dirty) setText(show(object)); }, [object]);
  const apply = async () => {
    try {
      const updated = parse(text);
      const saved = await api.put(resourcePath(type, object.metadata.namespace, object.metadata.name), updated);
      setDirty(false);
      setText(show(saved));
      setMessage({ color: 'green', text: `Applied: resourceVersion ${saved.metadata.resourceVersion}` });
    } catch (e) {
      setMessage({ color: 'red', text: e.message });
    }
  };
  if (!revealed) {
    return <Button variant="light" onClick={() => setRevealed(true)}>Show YAML (reveals the secret's values)</Button>;
  }
  return (
    <>
      <Textarea data-testid="yaml" autosize minRows={10} maxRows={40} value={text} readOnly={readOnly}
                onChange={(e) => { setText(e.currentTarget.value); setDirty(true); }}
                styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }} />
      {message && <Alert color={message.color} mt="sm">{message.text}</Alert>}
      <Group mt="sm">
        <Button onClick={apply} disabled={readOnly || !dirty} data-testid="yaml-apply">Apply</Button>
        <Button variant="default" disabled={!dirty} onClick={() => { setText(show(object)); setDirty(false); }}>Revert</Button>
      </Group>
    </>
  );
}

function Actions({ type, object }) {
  const { readOnly } = useCluster();
  const id = typeId(type);
  const [replicas, setReplicas] = useState(object.spec?.replicas ?? 1);
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => setReplicas(object.spec?.replicas ?? 1), [object.spec?.replicas]);
  const path = resourcePath(type, object.metadata.namespace, object.metadata.name);
  const run = (action) => action().then(() => setError(null), (e) => setError(e.message));
  const scale = () => run(() => api.mergePatch(`${path}/scale`, { spec: { replicas } }));
  const restart = () => run(() => api.mergePatch(path, {
    spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } },
  }));
  const remove = () => run(async () => {
    await api.delete(path);
    setConfirm(false);
    navigate(listPath(type));
  });
  return (
    <Group gap="xs">
      {SCALABLE.has(id) && (
        <>
          <NumberInput aria-label="Replicas" data-testid="scale-replicas" w={80} min={0} value={replicas}
                       onChange={(v) => setReplicas(Number(v) || 0)} disabled={readOnly} />
          <Button onClick={scale} disabled={readOnly} data-testid="scale">Scale</Button>
        </>
      )}
      {RESTARTABLE.has(id) && <Button variant="light" onClick={restart} disabled={readOnly} data-testid="restart">Restart</Button>}
      {type.verbs.includes('delete') && (
        <Button color="red" variant="light" onClick={() => setConfirm(true)} disabled={readOnly} data-testid="delete">Delete</Button>
      )}
      {error && <Text c="red" size="sm">{error}</Text>}
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={`Delete ${type.kind} ${object.metadata.name}?`}>
        <Text>This deletes {object.metadata.namespace ? `${object.metadata.namespace}/` : ''}{object.metadata.name}.</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setConfirm(false)}>Cancel</Button>
          <Button color="red" onClick={remove} data-testid="delete-confirm">Delete</Button>
        </Group>
      </Modal>
    </Group>
  );
}

function Summary({ type, object }) {
  const { revision } = useCluster();
  const m = object.metadata;
  const selector = type.plural === 'services'
    ? mapSelector(object.spec?.selector)
    : object.spec?.selector && typeof object.spec.selector === 'object' && type.plural !== 'pods' ? labelSelector(object.spec.selector) : null;
  return (
    <>
      <Table withTableBorder>
        <Table.Tbody>
          {m.namespace && <Table.Tr><Table.Th w={180}>Namespace</Table.Th><Table.Td>{m.namespace}</Table.Td></Table.Tr>}
          <Table.Tr><Table.Th w={180}>Created</Table.Th><Table.Td>{m.creationTimestamp}{revision == null && ` (${age(m.creationTimestamp)} ago)`}</Table.Td></Table.Tr>
          <Table.Tr><Table.Th>UID</Table.Th><Table.Td>{m.uid}</Table.Td></Table.Tr>
          <Table.Tr><Table.Th>Resource version</Table.Th><Table.Td data-testid="resource-version">{m.resourceVersion}</Table.Td></Table.Tr>
          {object.spec?.replicas !== undefined && (
            <Table.Tr><Table.Th>Replicas</Table.Th>
              <Table.Td data-testid="replicas">{object.spec.replicas}</Table.Td></Table.Tr>
          )}
          {object.status?.phase && <Table.Tr><Table.Th>Phase</Table.Th><Table.Td data-testid="phase">{object.status.phase}</Table.Td></Table.Tr>}
          {object.spec?.nodeName && (
            <Table.Tr><Table.Th>Node</Table.Th><Table.Td><NodeLink name={object.spec.nodeName} /></Table.Td></Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <KeyValues title="Labels" map={m.labels} />
      <KeyValues title="Annotations" map={Object.fromEntries(Object.entries(m.annotations || {}).filter(([k]) => !k.includes('last-applied')))} />
      <Owners object={object} />
      <Conditions object={object} />
      {(type.plural === 'configmaps' || type.plural === 'secrets') && <DataEntries object={object} secret={type.plural === 'secrets'} />}
      {type.plural === 'nodes' && <NodeResources node={object} revision={revision} />}
      {selector && <SelectedPods selector={{ namespace: m.namespace, labels: selector }} />}
      {type.plural === 'nodes' && <PodsOnNode node={object.metadata.name} />}
    </>
  );
}

function NodeLink({ name }) {
  const { catalog } = useCluster();
  return <Anchor {...linkProps(objectPath(catalog.get('nodes'), null, name))}>{name}</Anchor>;
}

function PodsOnNode({ node }) {
  const { catalog, revision } = useCluster();
  const podType = catalog.get('pods');
  const { items } = useList(podType, null, { fieldSelector: `spec.nodeName=${node}`, revision });
  return (
    <>
      <Title order={4} mt="md">Pods on this node</Title>
      <ObjectTable type={podType} items={items} showNamespace />
    </>
  );
}

export default function ObjectPage({ type, namespace, name }) {
  const { revision } = useCluster();
  const { object, loading, error } = useObject(type, namespace, name, revision);
  const [tab, setTab] = useState('summary');
  if (loading) return <Loader />;
  if (error) return <Alert color="red">{error.message}</Alert>;
  if (!object) {
    return <Alert color="yellow" data-testid="object-missing">{type.kind} {name} {revision != null ? `did not exist at revision ${revision}` : 'does not exist (any more)'}.</Alert>;
  }
  return (
    <>
      <Group justify="space-between" mb="sm">
        <div>
          <Text size="sm" c="dimmed"><Anchor {...linkProps(listPath(type))}>{kindPlural(type)}</Anchor></Text>
          <Title order={2} data-testid="object-title">{type.kind} {name}</Title>
        </div>
        <Actions type={type} object={object} />
      </Group>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="summary">Summary</Tabs.Tab>
          <Tabs.Tab value="yaml" data-testid="tab-yaml">YAML</Tabs.Tab>
          <Tabs.Tab value="events">Events</Tabs.Tab>
          <Tabs.Tab value="owned">Owned</Tabs.Tab>
          {type.plural === 'pods' && <Tabs.Tab value="logs" data-testid="tab-logs">Logs</Tabs.Tab>}
          <Tabs.Tab value="history" data-testid="tab-history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="summary" pt="sm"><Summary type={type} object={object} /></Tabs.Panel>
        <Tabs.Panel value="yaml" pt="sm"><YamlEditor type={type} object={object} /></Tabs.Panel>
        <Tabs.Panel value="events" pt="sm"><ObjectEvents type={type} object={object} /></Tabs.Panel>
        <Tabs.Panel value="owned" pt="sm"><Owned object={object} /></Tabs.Panel>
        {type.plural === 'pods' && <Tabs.Panel value="logs" pt="sm"><PodLogs pod={object} /></Tabs.Panel>}
        <Tabs.Panel value="history" pt="sm"><ObjectHistory type={type} object={object} /></Tabs.Panel>
      </Tabs>
    </>
  );
}
