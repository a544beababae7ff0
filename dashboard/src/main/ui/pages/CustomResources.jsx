import { Anchor, Table, Text, Title } from '@mantine/core';
import { useCluster, useList } from '../hooks.js';
import { linkProps, listPath } from '../router.js';

/** Every CustomResourceDefinition, each linking to the list of its objects. */
export default function CustomResources() {
  const { catalog, revision } = useCluster();
  const { items } = useList(catalog.get('apiextensions.k8s.io/customresourcedefinitions'), null, { revision });
  return (
    <>
      <Title order={2} mb="sm">Custom resources</Title>
      {items.length === 0 ? <Text c="dimmed">No CustomResourceDefinitions.</Text> : (
        <Table striped>
          <Table.Thead><Table.Tr><Table.Th>Kind</Table.Th><Table.Th>Group</Table.Th><Table.Th>Scope</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {items.map((crd) => {
              const type = catalog.get(`${crd.spec.group}/${crd.spec.names.plural}`);
              return (
                <Table.Tr key={crd.metadata.name}>
                  <Table.Td>{type ? <Anchor {...linkProps(listPath(type))}>{crd.spec.names.kind}</Anchor> : crd.spec.names.kind}</Table.Td>
                  <Table.Td>{crd.spec.group}</Table.Td>
                  <Table.Td>{crd.spec.scope}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
