import { useState } from 'react';
import { Alert, Anchor, Button, Group, Loader, Table, Text, TextInput, Title } from '@mantine/core';
import { kindPlural } from '../catalog.js';
import { useCluster, useList } from '../hooks.js';
import { ageOrTime, columnsFor } from '../columns.js';
import { linkProps, objectPath } from '../router.js';
import CreateModal from './CreateModal.jsx';

/** Objects of one type, kept current by a watch, in the selected namespace (or all). */
export function ObjectTable({ type, items, showNamespace }) {
  const { revision } = useCluster();
  const columns = columnsFor(type);
  const sorted = [...items].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  return (
    <Table striped highlightOnHover data-testid={`table-${type.plural}`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          {showNamespace && <Table.Th>Namespace</Table.Th>}
          {columns.map(([title]) => <Table.Th key={title}>{title}</Table.Th>)}
          <Table.Th>{revision != null ? 'Created' : 'Age'}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sorted.map((o) => (
          <Table.Tr key={o.metadata.uid || `${o.metadata.namespace}/${o.metadata.name}`} data-name={o.metadata.name}>
            <Table.Td>
              <Anchor {...linkProps(objectPath(type, o.metadata.namespace, o.metadata.name))}>{o.metadata.name}</Anchor>
            </Table.Td>
            {showNamespace && <Table.Td>{o.metadata.namespace}</Table.Td>}
            {columns.map(([title, cell]) => <Table.Td key={title} data-column={title}>{String(cell(o) ?? '')}</Table.Td>)}
            <Table.Td>{ageOrTime(o.metadata.creationTimestamp, revision)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export default function ResourceList({ type }) {
  const { namespace, revision, readOnly } = useCluster();
  const { items, loading, error } = useList(type, namespace, { revision });
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  const shown = items.filter((o) => o.metadata.name.includes(filter));
  return (
    <>
      <Group justify="space-between" mb="sm">
        <Title order={2}>{kindPlural(type)}</Title>
        <Group>
          <TextInput placeholder="Filter by name" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} />
          {type.verbs.includes('create') && (
            <Button disabled={readOnly} onClick={() => setCreating(true)} data-testid="create">Create from YAML</Button>
          )}
        </Group>
      </Group>
      {error && <Alert color="red" mb="sm">{error.message}</Alert>}
      {loading ? <Loader /> : shown.length === 0
        ? <Text c="dimmed">No {kindPlural(type)}{type.namespaced && namespace ? ` in ${namespace}` : ''}.</Text>
        : <ObjectTable type={type} items={shown} showNamespace={type.namespaced && !namespace} />}
      <CreateModal opened={creating} onClose={() => setCreating(false)} type={type} />
    </>
  );
}
