import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Code, Group, Loader, Select, Table, Text } from '@mantine/core';
import { stringify } from 'yaml';
import { api, resourcePath } from '../api.js';
import { useCluster } from '../hooks.js';
import { lineDiff } from '../diff.js';
import { auditQuery, Outcome } from './Audit.jsx';

const yamlOf = (o) => {
  const copy = structuredClone(o);
  delete copy.metadata?.managedFields;
  delete copy.metadata?.resourceVersion;
  return stringify(copy);
};

/** Who changed an object when (its versions from /history/versions), and the diff between any two of them. */
export default function ObjectHistory({ type, object }) {
  const { revision, setRevision } = useCluster();
  const [versions, setVersions] = useState(null);
  const [actors, setActors] = useState({});
  const [refused, setRefused] = useState([]);
  const [error, setError] = useState(null);
  const [from, setFrom] = useState(null);
  const [to, setTo] = useState(null);
  useEffect(() => {
    const path = resourcePath(type, object.metadata.namespace, object.metadata.name);
    api.get(`/history/versions${path}?limit=200${revision != null ? `&revision=${revision}` : ''}`).then((list) => {
      setVersions(list.items);
      setTo(String(list.items[0]?.revision ?? ''));
      setFrom(String(list.items[1]?.revision ?? list.items[0]?.revision ?? ''));
    }, (e) => setError(e.message));
    const m = object.metadata;
    api.get(`/history/audit?${auditQuery({ namespace: m.namespace, kind: type.kind, name: m.name, limit: 200, includeRefused: true })}`)
      .then((list) => {
        setActors(Object.fromEntries(list.items.filter((e) => e.outcome !== 'REJECTED').map((e) => [e.revision, e])));
        setRefused(list.items.filter((e) => e.outcome === 'REJECTED'));
      }, () => { setActors({}); setRefused([]); });
  }, [object.metadata.resourceVersion, revision]);
  const diff = useMemo(() => {
    if (!versions || !from || !to) return null;
    const a = versions.find((v) => String(v.revision) === from);
    const b = versions.find((v) => String(v.revision) === to);
    return a && b ? lineDiff(yamlOf(a.object), yamlOf(b.object)) : null;
  }, [versions, from, to]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!versions) return <Loader />;
  const options = versions.map((v) => ({ value: String(v.revision), label: `revision ${v.revision}` }));
  return (
    <>
      <Table withTableBorder data-testid="object-versions">
        <Table.Thead>
          <Table.Tr><Table.Th>Revision</Table.Th><Table.Th>Changed by</Table.Th><Table.Th>Time</Table.Th><Table.Th /></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((v) => {
            const actor = actors[v.revision];
            return (
              <Table.Tr key={v.revision}>
                <Table.Td>{v.revision}</Table.Td>
                <Table.Td data-testid="changed-by">
                  {actor ? <><Badge variant="light" tt="none">{actor.user}</Badge> <Text span size="xs" c="dimmed">{actor.verb} via {actor.component}</Text></> : ''}
                </Table.Td>
                <Table.Td>{actor?.time || ''}</Table.Td>
                <Table.Td><Button size="compact-xs" variant="light" onClick={() => setRevision(v.revision)}>View cluster at this revision</Button></Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {refused.length > 0 && (
        <>
          <Text fw={600} mt="md">Refused requests (recent)</Text>
          <Table withTableBorder data-testid="object-refused">
            <Table.Thead><Table.Tr><Table.Th>Time</Table.Th><Table.Th>User</Table.Th><Table.Th>Verb</Table.Th><Table.Th>Outcome</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {refused.map((e) => (
                <Table.Tr key={e.commandId}>
                  <Table.Td>{e.time}</Table.Td><Table.Td>{e.user}</Table.Td><Table.Td>{e.verb}</Table.Td>
                  <Table.Td><Outcome entry={e} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      <Group mt="md">
        <Text fw={600}>Diff</Text>
        <Select aria-label="From revision" data={options} value={from} onChange={setFrom} w={160} />
        <Text>→</Text>
        <Select aria-label="To revision" data={options} value={to} onChange={setTo} w={160} />
      </Group>
      {diff && (
        <Code block mt="sm" data-testid="diff">
          {diff.length === 0 ? '(no difference)' : diff.map((line, i) => (
            <div key={i} style={{ background: line.op === '+' ? '#e6ffec' : line.op === '-' ? '#ffebe9' : undefined }}>
              {line.op} {line.text}
            </div>
          ))}
        </Code>
      )}
    </>
  );
}
