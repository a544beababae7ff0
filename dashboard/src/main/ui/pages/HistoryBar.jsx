import { useEffect, useState } from 'react';
import { Button, Group, NumberInput, Slider, Text } from '@mantine/core';
import { useCluster } from '../hooks.js';

/** The timeline: a slider over the log's revisions; any revision but the head shows the cluster as it was then. */
export default function HistoryBar() {
  const { head, revision, setRevision } = useCluster();
  const [draft, setDraft] = useState(revision ?? head ?? 1);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setDraft(revision ?? head ?? 1);
  }, [revision, head, editing]);
  if (!head) return <Text size="sm" c="dimmed">timeline loading…</Text>;
  const commit = (value) => {
    const r = Math.max(1, Math.min(head, Math.round(Number(value))));
    setRevision(r >= head ? null : r);
  };
  return (
    <Group gap="sm" wrap="nowrap" style={{ flex: 1, maxWidth: 640 }} data-testid="history-bar" data-head={head}>
      <Text size="sm" fw={600}>History</Text>
      <Slider aria-label="History revision" data-testid="history-slider" style={{ flex: 1 }} min={1} max={head}
              value={Math.min(draft, head)} onChange={(v) => { setEditing(true); setDraft(v); }}
              onChangeEnd={(v) => { setEditing(false); commit(v); }} label={(v) => `revision ${v}`} />
      <NumberInput aria-label="Revision" data-testid="history-revision" w={110} min={1} max={head} value={draft}
                   onFocus={() => setEditing(true)} onChange={(v) => setDraft(Number(v) || 1)}
                   onBlur={() => { setEditing(false); commit(draft); }}
                   onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget.value)} hideControls />
      <Button size="xs" variant={revision == null ? 'filled' : 'outline'} data-testid="history-live"
              onClick={() => setRevision(null)}>Live</Button>
    </Group>
  );
}
