import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Group, Loader, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { api } from '../api.js';
import { useCluster } from '../hooks.js';
import { linkProps, objectPath } from '../router.js';

/** Query string of the audit filters that are set. */
export function auditQuery(filters) {
  return Object.entries(filters).filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/** A refused entry's outcome: code and reason, and who refused it (the gateway: 401/403; admission: the rest). */
export function Outcome({ entry }) {
  if (entry.outcome !== 'REJECTED') return <Badge variant="light" color="green" tt="none">accepted</Badge>;
  return (
    <>
      <Badge variant="filled" color="red" tt="none" data-testid="refused" style={{ minWidth: 'max-content' }}>{entry.code} {entry.reason}</Badge>
      <Text size="xs" c="dimmed" maw={360}>by {entry.refusedBy}: {entry.message}</Text>
    </>
  );
}

/**
 * Who changed what: accepted changes among the last revisions (/history/audit), by user, namespace, kind and name;
 * with "include refused", also the requests refused among the recent commands (401/403 at the gateway, admission's
 * conflicts, invalid objects, quota), with code and reason.
 */
export default function Audit() {
  const { catalog, namespace, revision } = useCluster();
  const [user, setUser] = useState('');
  const [kind, setKind] = useState('');
  const [name, setName] = useState('');
  const [includeRefused, setIncludeRefused] = useState(false);
  const [entries, setEntries] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      api.get(`/history/audit?${auditQuery({ user, namespace, kind, name, limit: 300, includeRefused })}`)
        .then((list) => { setEntries(list.items); setError(null); }, (e) => setError(e.message));
    }, 300);
    return () => clearTimeout(timer);
  }, [user, namespace, kind, name, includeRefused, revision]);
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
        <Switch label="Include refused" mt="lg" checked={includeRefused}
          onChange={(e) => setIncludeRefused(e.currentTarget.checked)} data-testid="audit-include-refused" />
        <Text size="sm" c="dimmed" mt="lg">Namespace: {namespace || 'all'} (the selector above)</Text>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!entries ? <Loader /> : (
        <Table striped data-testid="audit-table">
          <Table.Thead>
            <Table.Tr><Table.Th>Revision</Table.Th><Table.Th>Time</Table.Th><Table.Th>User</Table.Th><Table.Th>Component</Table.Th>
              <Table.Th>Verb</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Namespace</Table.Th><Table.Th>Name</Table.Th>
              {includeRefused && <Table.Th>Outcome</Table.Th>}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.revision ?? e.commandId} data-user={e.user} data-outcome={e.outcome}
                bg={e.outcome === 'REJECTED' ? 'var(--mantine-color-red-light)' : undefined}>
                <Table.Td>{e.revision}</Table.Td>
                <Table.Td>{e.time}</Table.Td>
                <Table.Td><Anchor onClick={() => setUser(e.user)}>{e.user}</Anchor></Table.Td>
                <Table.Td>{e.component}</Table.Td>
                <Table.Td><Badge variant="light" tt="none" color={e.verb === 'delete' ? 'red' : 'blue'} style={{ minWidth: 'max-content' }}>{e.verb}</Badge></Table.Td>
                <Table.Td>{e.kind}</Table.Td>
                <Table.Td>{e.namespace}</Table.Td>
                <Table.Td>{link(e)}</Table.Td>
                {includeRefused && <Table.Td><Outcome entry={e} /></Table.Td>}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Text size="sm" c="dimmed" mt="md">
        {includeRefused ? 'Refused requests are read from the most recent commands (the same window as the revisions).'
          : 'Accepted changes only; switch on "Include refused" for attempts the gateway or admission refused.'}
      </Text>
    </>
  );
}
