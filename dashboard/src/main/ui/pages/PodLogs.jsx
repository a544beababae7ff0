import { useEffect, useRef, useState } from 'react';
import { Alert, Code, Group, ScrollArea, Select, Switch } from '@mantine/core';
import { resourcePath, stream } from '../api.js';
import { useCluster } from '../hooks.js';

const MAX_CHARS = 200_000;

/** A container's log through pods/{name}/log, following new lines (follow=true) while the switch is on. */
export default function PodLogs({ pod }) {
  const { catalog } = useCluster();
  const containers = (pod.spec?.containers || []).map((c) => c.name);
  const [container, setContainer] = useState(containers[0]);
  const [follow, setFollow] = useState(true);
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const viewport = useRef(null);
  useEffect(() => {
    setText('');
    setError(null);
    const path = resourcePath(catalog.get('pods'), pod.metadata.namespace, pod.metadata.name, 'log')
      + `?container=${encodeURIComponent(container)}&tailLines=1000${follow ? '&follow=true' : ''}`;
    return stream(path, (chunk) => setText((t) => (t + chunk).slice(-MAX_CHARS)), (e) => e && setError(e.message));
  }, [pod.metadata.uid, container, follow]);
  useEffect(() => {
    if (follow && viewport.current) viewport.current.scrollTo({ top: viewport.current.scrollHeight });
  }, [text, follow]);
  return (
    <>
      <Group mb="sm">
        {containers.length > 1 && <Select data={containers} value={container} onChange={setContainer} aria-label="Container" />}
        <Switch label="Follow" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} data-testid="logs-follow" />
      </Group>
      {error && <Alert color="red" mb="sm">{error}</Alert>}
      <ScrollArea h={480} viewportRef={viewport} type="auto">
        <Code block data-testid="logs" style={{ whiteSpace: 'pre-wrap', minHeight: 460 }}>{text || '(no output yet)'}</Code>
      </ScrollArea>
    </>
  );
}
