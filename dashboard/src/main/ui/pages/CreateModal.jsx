import { useState } from 'react';
import { Alert, Button, Group, Modal, Textarea } from '@mantine/core';
import { parseAllDocuments } from 'yaml';
import { api, resourcePath } from '../api.js';
import { useCluster } from '../hooks.js';
import { navigate, objectPath } from '../router.js';

function template(type, namespace) {
  const apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
  return `apiVersion: ${apiVersion}\nkind: ${type.kind}\nmetadata:\n  name: example\n${type.namespaced ? `  namespace: ${namespace || 'default'}\n` : ''}`;
}

/** Creates every object of pasted YAML (one or more documents), each through its own type's collection. */
export default function CreateModal({ opened, onClose, type }) {
  const { catalog, namespace } = useCluster();
  const [text, setText] = useState(() => template(type, namespace));
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      let last = null;
      for (const document of parseAllDocuments(text)) {
        if (document.errors.length) throw new Error(document.errors[0].message);
        const object = document.toJS();
        if (!object) continue;
        const objectType = catalog.forKind(object.apiVersion || '', object.kind || '');
        if (!objectType) throw new Error(`No resource type for apiVersion ${object.apiVersion} kind ${object.kind}`);
        const ns = objectType.namespaced ? object.metadata?.namespace || namespace || 'default' : null;
        const created = await api.post(resourcePath(objectType, ns), object);
        last = { type: objectType, object: created };
      }
      onClose();
      if (last) navigate(objectPath(last.type, last.object.metadata.namespace, last.object.metadata.name));
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Create from YAML" size="xl">
      <Textarea data-testid="create-yaml" autosize minRows={14} maxRows={30} styles={{ input: { fontFamily: 'monospace' } }} value={text}
                onChange={(e) => setText(e.currentTarget.value)} />
      {error && <Alert color="red" mt="sm">{error}</Alert>}
      <Group justify="flex-end" mt="sm">
        <Button variant="default" onClick={onClose}>Cancel</Button>
        <Button loading={busy} onClick={create} data-testid="create-submit">Create</Button>
      </Group>
    </Modal>
  );
}
