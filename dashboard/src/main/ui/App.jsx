import { useEffect, useMemo, useState } from 'react';
import { Alert, AppShell, Badge, Button, Center, Group, Loader, NavLink, ScrollArea, Select, Text, Title } from '@mantine/core';
import { session } from './api.js';
import SignIn from './pages/SignIn.jsx';
import { loadCatalog, SECTIONS, kindPlural } from './catalog.js';
import { ClusterContext, useHeadRevision, useList } from './hooks.js';
import { linkProps, listPath, usePath } from './router.js';
import HistoryBar from './pages/HistoryBar.jsx';
import Overview from './pages/Overview.jsx';
import ResourceList from './pages/ResourceList.jsx';
import ObjectPage from './pages/ObjectPage.jsx';
import CustomResources from './pages/CustomResources.jsx';
import Audit from './pages/Audit.jsx';

function route(path, catalog) {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'overview' };
  if (parts[0] === 'events') return { page: 'list', type: catalog.get('events') };
  if (parts[0] === 'custom') return { page: 'custom' };
  if (parts[0] === 'audit') return { page: 'audit' };
  if (parts[0] === 'r' && parts.length >= 3) {
    const type = catalog.get(parts[1] === 'core' ? parts[2] : `${parts[1]}/${parts[2]}`);
    if (!type) return { page: 'missing', what: `${parts[1]}/${parts[2]}` };
    if (parts.length >= 5) return { page: 'object', type, namespace: parts[3] === '_' ? null : parts[3], name: parts[4] };
    return { page: 'list', type };
  }
  return { page: 'missing', what: path };
}

function Navigation({ catalog, path }) {
  const item = (label, to) => (
    <NavLink key={to} label={label} active={path === to || path.startsWith(`${to}/`)} {...linkProps(to)} />
  );
  return (
    <ScrollArea>
      {item('Overview', '/')}
      {SECTIONS.map((section) => (
        <div key={section.title}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="sm" ml="sm">{section.title}</Text>
          {section.types.map((id) => catalog.get(id)).filter(Boolean).map((type) => item(kindPlural(type), listPath(type)))}
        </div>
      ))}
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="sm" ml="sm">Cluster activity</Text>
      {item('Events', '/events')}
      {item('Custom resources', '/custom')}
      {item('Audit trail', '/audit')}
    </ScrollArea>
  );
}

function NamespaceSelect({ catalog, namespace, setNamespace, revision }) {
  const { items } = useList(catalog.get('namespaces'), null, { revision, poll: 10000 });
  const data = useMemo(() => [{ value: '', label: 'All namespaces' },
    ...items.map((n) => ({ value: n.metadata.name, label: n.metadata.name }))], [items]);
  return (
    <Select aria-label="Namespace" data-testid="namespace-select" w={200} data={data} value={namespace || ''}
            allowDeselect={false} onChange={(v) => setNamespace(v || null)} />
  );
}

export default function App() {
  const [catalog, setCatalog] = useState(null);
  const [error, setError] = useState(null);
  const [namespace, setNamespace] = useState(null);
  const [revision, setRevision] = useState(null);
  const head = useHeadRevision();
  const path = usePath();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setError(null);
    loadCatalog().then(setCatalog, setError);
  }, [attempt]);
  if (error?.status === 401) {
    return <SignIn rejected={!!session.token()} onSignIn={(token) => { session.signIn(token); setAttempt(attempt + 1); }} />;
  }
  if (error) return <Alert color="red" m="lg" title="The Kubernetes API did not answer">{error.message}</Alert>;
  if (!catalog) return <Center h="100vh"><Loader /></Center>;
  const current = route(path, catalog);
  const context = { catalog, namespace, setNamespace, revision, setRevision, head, readOnly: revision != null };
  return (
    <ClusterContext.Provider value={context}>
      <AppShell header={{ height: 64 }} navbar={{ width: 230, breakpoint: 'sm' }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <Title order={3}>Kronika</Title>
              {revision != null
                ? <Badge color="orange" data-testid="history-badge">revision {revision} · read-only</Badge>
                : <Badge color="green" variant="light">live</Badge>}
            </Group>
            <HistoryBar />
            <Group gap="xs" wrap="nowrap">
              <NamespaceSelect catalog={catalog} namespace={namespace} setNamespace={setNamespace} revision={revision} />
              {session.token() && (
                <Button variant="subtle" size="xs" onClick={() => { session.signOut(); window.location.reload(); }}>Sign out</Button>
              )}
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs"><Navigation catalog={catalog} path={path} /></AppShell.Navbar>
        <AppShell.Main bg={revision != null ? 'orange.0' : undefined}>
          {current.page === 'overview' && <Overview />}
          {current.page === 'list' && <ResourceList key={current.type.plural} type={current.type} />}
          {current.page === 'object' && (
            <ObjectPage key={`${current.type.plural}/${current.namespace}/${current.name}`} type={current.type}
                        namespace={current.namespace} name={current.name} />
          )}
          {current.page === 'custom' && <CustomResources />}
          {current.page === 'audit' && <Audit />}
          {current.page === 'missing' && <Alert color="yellow">No page for {current.what}</Alert>}
        </AppShell.Main>
      </AppShell>
    </ClusterContext.Provider>
  );
}
