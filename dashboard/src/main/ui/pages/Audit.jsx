import { Alert, Code, Text, Title } from '@mantine/core';

/**
 * The audit trail per user needs the log's commands (who asked for what, including refused attempts), which only
 * `kronika history audit` reads so far; per object, the History tab of each object page lists who changed it.
 */
export default function Audit() {
  return (
    <>
      <Title order={2} mb="sm">Audit trail</Title>
      <Alert color="blue" title="Per object: the History tab">
        Every object page has a History tab: its versions, the field manager that wrote each, and a diff between any two.
      </Alert>
      <Text mt="md">Per user, including refused requests, from the command line:</Text>
      <Code block mt="xs">kronika history audit --data-dir DATA --user USER</Code>
    </>
  );
}
