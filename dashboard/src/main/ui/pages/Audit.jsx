import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Group, Loader, Table, Text, TextInput, Title } from '@mantine/core';
import { api } from '../api.js';
import { useCluster } from '../hooks.js';
import { linkProps, objectPath } from '../router.js';

/** Query string of the audit filters that are set. */
export function auditQuery(filters) {
  return Object.entries(filters).filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/**
 * Who changed what: accepted changes among the last revisions (/history/audit), by user, namespace, kind and name.
 * Refused attempts live in the command log: `kronika history audit --include-refused`.
 */
export default function Audit() {
  const { catalog, namespace, revision } = useCluster();
  const [user, setUser] = useState('');
  const [kind, setKind] = useState('');
  const [name, setName] = useState('');
  const [entries, setEntries] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      api.get(`/history/audit?${auditQuery({ user, namespace, kind, name, limit: 300 })}`)
        .then((list) => { setEntries(list.items); setError(null); }, (e) => setError(e.message));
    }, 300);
    return () => clearTimeout(timer);
  }, [user, namespace, kind, name, revision]);
  const link = (e) => {
    const type = catalog.forKind(e.group ? `${e.group}/v1` : 'v1', e.kind);
    return type && e.verb !== 'delete'
      ? <Anchor {...linkProps(objectPath(type, e.namespace || null, e.name))}>{e.name}</Anchor> : e.name;
  };
  return (
    <>
      <Title order={2} mb="sm">Audit trail</Title>
      <Group mb="sm">
        <TextInput label="User" placeholder="any" value={user} onChange={(e) => setUser(e.currentTarget.value)} data-testid="audit-user" />
        <TextInput label="Kind" placeholder="any" value={kind} onChange={(e) => setKind(e.currentTarget.value)} />
        <TextInput label="Name" placeholder="any" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Text size="sm" c="dimmed" mt="lg">Namespace: {namespace || 'all'} (the selector above)</Text>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!entries ? <Loader /> : (
        <Table striped data-testid="audit-table">
          <Table.Thead>
            <Table.Tr><Table.Th>Revision</Table.Th><Table.Th>Time</Table.Th><Table.Th>User</Table.Th><Table.Th>Component</Table.Th>
              <Table.Th>Verb</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Namespace</Table.Th><Table.Th>Name</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.revision} data-user={e.user}>
                <Table.Td>{e.revision}</Table.Td>
                <Table.Td>{e.time}</Table.Td>
                <Table.Td><Anchor onClick={() => setUser(e.user)}>{e.user}</Anchor></Table.Td>
                <Table.Td>{e.component}</Table.Td>
                <Table.Td><Badge variant="light" tt="none" color={e.verb === 'delete' ? 'red' : 'blue'}>{e.verb}</Badge></Table.Td>
                <Table.Td>{e.kind}</Table.Td>
                <Table.Td>{e.namespace}</Table.Td>
                <Table.Td>{link(e)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Text size="sm" c="dimmed" mt="md">Accepted changes only; refused requests: <code>kronika history audit --include-refused</code>.</Text>
    </>
  );
}
