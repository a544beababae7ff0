import { useState } from 'react';
import { Alert, Button, Card, Center, Code, PasswordInput, Stack, Text, Title } from '@mantine/core';

/** The API authenticates every request: the dashboard sends the bearer token pasted here (kept for this tab only). */
export default function SignIn({ rejected, onSignIn }) {
  const [token, setToken] = useState('');
  return (
    <Center h="100vh" bg="gray.0">
      <Card withBorder shadow="sm" w={520} p="xl">
        <form onSubmit={(e) => { e.preventDefault(); if (token.trim()) onSignIn(token); }}>
          <Stack>
            <Title order={2}>Kronika</Title>
            <Text>The API asks who you are. Paste a bearer token: the admin token of the kubeconfig that
              <Code>kronika up</Code> wrote, or a service account's token.</Text>
            <Code block>grep token: DATA_DIR/kubeconfig</Code>
            {rejected && <Alert color="red">The API did not accept that token.</Alert>}
            <PasswordInput label="Bearer token" data-testid="token" value={token} onChange={(e) => setToken(e.currentTarget.value)} autoFocus />
            <Button type="submit" data-testid="sign-in">Sign in</Button>
          </Stack>
        </form>
      </Card>
    </Center>
  );
}
