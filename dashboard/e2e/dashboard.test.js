// The dashboard in a real browser (Debian's chromium driven by playwright-core) against a real cluster started by
// tests/dashboard/run.sh: KRONIKA_URL is its API (and /ui/), SCREENSHOTS where the main pages' pictures go.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const SERVER = process.env.KRONIKA_URL;
const TOKEN = process.env.KRONIKA_TOKEN || '';
const SCREENSHOTS = process.env.SCREENSHOTS;
const NAMESPACE = `ui-${Date.now().toString(36)}`;
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

let browser;
let page;

async function call(method, path, body, contentType = 'application/json') {
  const headers = TOKEN ? { Authorization: `Bearer ${TOKEN}` } : {};
  if (body) headers['Content-Type'] = contentType;
  const response = await fetch(SERVER + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json.message}`);
  return json;
}

/** Polls until check() returns a truthy value, up to a deadline; fails naming what was awaited and what was last seen. */
async function until(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs a test's steps; on failure keeps a screenshot of the page as it was (SCREENSHOTS/failed-NAME.png). */
function steps(name, body) {
  return async () => {
    try {
      await body();
    } catch (e) {
      if (SCREENSHOTS && page) await page.screenshot({ path: `${SCREENSHOTS}/failed-${name}.png` }).catch(() => {});
      throw e;
    }
  };
}

async function shoot(name) {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: false });
}

const deploymentPath = `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`;

before(async () => {
  assert.ok(SERVER, 'KRONIKA_URL names the cluster API (tests/dashboard/run.sh sets it)');
  if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  await call('POST', deploymentPath, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '250m', memory: '128Mi' } } }] },
      },
    },
  });
  await until('the deployment to have 1 ready replica', async () => {
    const d = await call('GET', `${deploymentPath}/web`);
    return d.status?.readyReplicas === 1;
  });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
  // The cluster CA is not in the browser's store; the API's certificate is checked by node's fetch above.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
});

test('overview → deployment → pod → logs, scale, and the history slider', steps('walkthrough', async () => {
  await page.goto(`${SERVER}/ui/`);
  if (TOKEN) {
    // An authenticating API: the page asks for a token first (a wrong one is refused).
    await page.getByTestId('token').fill('not-a-token');
    await page.getByTestId('sign-in').click();
    await page.getByText('The API did not accept that token.').waitFor();
    await shoot('sign-in');
    await page.getByTestId('token').fill(TOKEN);
    await page.getByTestId('sign-in').click();
  }
  await page.getByRole('heading', { name: 'Cluster overview' }).waitFor();
  await until('the overview to count the node', async () => (await page.getByTestId('count-nodes').innerText()).includes('1 ready'));
  await page.getByTestId('table-deployments').locator('tr[data-name="web"]').waitFor();
  await shoot('overview');

  // The namespace selector narrows every list.
  await page.getByTestId('namespace-select').click();
  await page.getByRole('option', { name: NAMESPACE }).click();
  await page.locator('nav').getByRole('link', { name: 'Deployments', exact: true }).click();
  await page.getByTestId('table-deployments').getByRole('link', { name: 'web' }).click();
  await page.getByTestId('object-title').filter({ hasText: 'Deployment web' }).waitFor();
  assert.equal(await page.getByTestId('replicas').innerText(), '1');
  const pods = page.getByTestId('table-pods').locator('tbody tr');
  await until('one pod of the deployment', async () => (await pods.count()) === 1);
  const revisionAtOneReplica = Number(await page.getByTestId('resource-version').innerText());
  await shoot('deployment');

  // Its pod, and the pod's log (followed).
  const podName = await pods.first().getAttribute('data-name');
  await pods.first().getByRole('link').click();
  await page.getByTestId('object-title').filter({ hasText: `Pod ${podName}` }).waitFor();
  await page.getByTestId('tab-logs').click();
  await until('the pod log', async () => (await page.getByTestId('logs').innerText()).includes('simulated container web started'));
  await shoot('pod-logs');

  // Back to the deployment; scale to 3 and watch the new pods appear.
  await page.goBack();
  await page.getByTestId('object-title').filter({ hasText: 'Deployment web' }).waitFor();
  await page.getByTestId('scale-replicas').fill('3');
  await page.getByTestId('scale').click();
  await until('replicas 3 on the page', async () => (await page.getByTestId('replicas').innerText()) === '3');
  await until('three pods listed live', async () => (await pods.count()) === 3);
  await until('three pods Running', async () => {
    const statuses = await page.getByTestId('table-pods').locator('td[data-column="Status"]').allInnerTexts();
    return statuses.length === 3 && statuses.every((s) => s === 'Running') && statuses;
  });
  await shoot('deployment-scaled');

  // The history slider: back to the revision of one replica, read-only, then live again.
  await until('the timeline to reach the present', async () =>
    Number(await page.getByTestId('history-bar').getAttribute('data-head')) > revisionAtOneReplica);
  const revisionInput = page.getByTestId('history-revision');
  await revisionInput.fill(String(revisionAtOneReplica));
  await revisionInput.press('Enter');
  await page.getByTestId('history-badge').filter({ hasText: `revision ${revisionAtOneReplica}` }).waitFor();
  await until('replicas 1 at the earlier revision', async () => (await page.getByTestId('replicas').innerText()) === '1');
  await until('one pod at the earlier revision', async () => (await pods.count()) === 1);
  assert.equal(await page.getByTestId('scale').isDisabled(), true, 'the past is read-only');
  await shoot('history');

  await page.getByTestId('history-live').click();
  await until('replicas 3 live again', async () => (await page.getByTestId('replicas').innerText()) === '3');
  await page.getByTestId('tab-history').click();
  await page.getByTestId('object-versions').waitFor();
  await until('the diff between the last two versions shows the replica change', async () => {
    const diff = await page.getByTestId('diff').innerText();
    return diff.includes('+ ') && diff.includes('replicas: 3');
  });
  const me = TOKEN ? (await call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' })).status.userInfo.username : null;
  if (me) {
    await until(`the versions to name ${me} as who scaled`, async () =>
      (await page.getByTestId('changed-by').allInnerTexts()).some((t) => t.includes(me)));
  }
  await shoot('object-history');

  // The audit trail of the namespace (the selector still says which), narrowed to the signed-in user.
  await page.locator('nav').getByRole('link', { name: 'Audit trail' }).click();
  if (me) await page.getByTestId('audit-user').fill(me);
  await until('the scale and the creation in the audit trail', async () => {
    const rows = await page.getByTestId('audit-table').locator('tbody tr').allInnerTexts();
    const web = rows.filter((r) => r.includes('Deployment') && r.includes('web'));
    return web.some((r) => r.includes('update')) && web.some((r) => r.includes('create')) && rows;
  });
  // A second create of the same deployment is refused by admission; "Include refused" shows it with its reason.
  await assert.rejects(call('POST', deploymentPath, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }),
  /409/);
  await page.getByRole('switch', { name: 'Include refused' }).check();
  await until('the refused create in the audit trail', async () => {
    const refused = await page.getByTestId('audit-table').locator('tbody tr[data-outcome="REJECTED"]').allInnerTexts();
    return refused.some((r) => r.includes('web') && r.includes('409 AlreadyExists')) && refused;
  });
  await shoot('audit');
}));

test('the page loads without credentials; the API behind it does not', async () => {
  const index = await fetch(`${SERVER}/ui/r/apps/deployments`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  const html = await index.text();
  const script = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html);
  assert.ok(script, `index.html names its script: ${html}`);
  const asset = await fetch(SERVER + script[1]);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type'), /^application\/javascript/);
  const missing = await fetch(`${SERVER}/ui/assets/missing.js`);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).kind, 'Status');
  if (TOKEN) {
    const versions = await fetch(`${SERVER}/history/versions/apis/apps/v1/namespaces/${NAMESPACE}/deployments/web`);
    assert.equal(versions.status, 401, 'object versions need credentials like the API');
  }
  const versions = await call('GET', `/history/versions/apis/apps/v1/namespaces/${NAMESPACE}/deployments/web?limit=1`);
  assert.equal(versions.items[0].object.metadata.name, 'web');
});

test('object versions need get on the object itself (RBAC), not only the /history/* path', { skip: !TOKEN && 'the API does not authenticate' }, async () => {
  await call('POST', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'historian' } });
  await call('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `${NAMESPACE}-history` },
    rules: [{ nonResourceURLs: ['/history/*'], verbs: ['get'] }],
  });
  await call('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `${NAMESPACE}-history` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${NAMESPACE}-history` },
    subjects: [{ kind: 'ServiceAccount', name: 'historian', namespace: NAMESPACE }],
  });
  await call('POST', `/api/v1/namespaces/${NAMESPACE}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'open' }, data: { a: '1' } });
  await call('POST', `/api/v1/namespaces/${NAMESPACE}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'closed' }, stringData: { password: 'hunter2' } });
  await call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NAMESPACE}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'configmaps' },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
  });
  await call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NAMESPACE}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'configmaps' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmaps' },
    subjects: [{ kind: 'ServiceAccount', name: 'historian', namespace: NAMESPACE }],
  });
  const token = (await call('POST', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/historian/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} })).status.token;
  const as = (path) => fetch(SERVER + path, { headers: { Authorization: `Bearer ${token}` } });
  await until('the configmap versions readable by the account', async () =>
    (await as(`/history/versions/api/v1/namespaces/${NAMESPACE}/configmaps/open`)).status === 200);
  const secret = await as(`/history/versions/api/v1/namespaces/${NAMESPACE}/secrets/closed`);
  assert.equal(secret.status, 403, 'no get on secrets: no versions of one');
  assert.doesNotMatch(await secret.text(), /hunter2|aHVudGVyMg/);
});

/** CPU requests of the active pods on a node, in millicores, as the API reports them. */
async function cpuRequestedOn(node) {
  const pods = await call('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
  let millis = 0;
  for (const pod of pods.items.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase))) {
    for (const c of pod.spec.containers) {
      const cpu = c.resources?.requests?.cpu;
      if (cpu) millis += cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
    }
  }
  return millis;
}

test('node page: capacity, requests against allocatable, and its pods', steps('node', async () => {
  await page.goto(`${SERVER}/ui/r/core/nodes`);
  const link = page.getByTestId('table-nodes').getByRole('link').first();
  const node = await link.innerText();
  await link.click();
  await page.getByTestId('object-title').filter({ hasText: `Node ${node}` }).waitFor();
  await until('the cpu bar to show the requests the API reports', async () => {
    const millis = await cpuRequestedOn(node);
    const expected = millis < 1000 ? `requests ${millis}m` : `requests ${+(millis / 1000).toFixed(2)}`;
    const text = await page.getByTestId('bar-cpu').first().innerText();
    return millis > 0 && text.includes(expected) && text;
  });
  await until('the pods on the node listed', async () => (await page.getByTestId('table-pods').locator('tbody tr').count()) > 0);
  await shoot('node');
}));

test('create from YAML, YAML apply, delete with confirmation', steps('create', async () => {
  await page.goto(`${SERVER}/ui/r/core/configmaps`);
  await page.getByTestId('create').click();
  await page.getByTestId('create-yaml').fill(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${NAMESPACE}\ndata:\n  color: blue\n`);
  await page.getByTestId('create-submit').click();
  await page.getByTestId('object-title').filter({ hasText: 'ConfigMap settings' }).waitFor();
  assert.equal((await call('GET', `/api/v1/namespaces/${NAMESPACE}/configmaps/settings`)).data.color, 'blue');

  await page.getByTestId('tab-yaml').click();
  const yaml = page.getByTestId('yaml');
  await yaml.fill((await yaml.inputValue()).replace('color: blue', 'color: green'));
  await page.getByTestId('yaml-apply').click();
  await until('the edit applied', async () => (await call('GET', `/api/v1/namespaces/${NAMESPACE}/configmaps/settings`)).data.color === 'green');
  await shoot('yaml');

  await page.getByTestId('delete').click();
  await page.getByTestId('delete-confirm').click();
  await until('the config map deleted', async () => {
    const response = await fetch(`${SERVER}/api/v1/namespaces/${NAMESPACE}/configmaps/settings`,
      { headers: TOKEN ? { Authorization: `Bearer ${TOKEN}` } : {} });
    return response.status === 404;
  });
}));

test('restart a deployment: a new pod template, rolled out by the controller', steps('restart', async () => {
  await page.goto(`${SERVER}/ui/r/apps/deployments/${NAMESPACE}/web`);
  await page.getByTestId('object-title').filter({ hasText: 'Deployment web' }).waitFor();
  await page.getByTestId('restart').click();
  const restarted = await until('the restartedAt annotation on the pod template', async () => {
    const d = await call('GET', `${deploymentPath}/web`);
    return d.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
  });
  assert.ok(!Number.isNaN(Date.parse(restarted)), `a time: ${restarted}`);
  await until('two ReplicaSets of the deployment (the restart rolled out)', async () => {
    const sets = await call('GET', `/apis/apps/v1/namespaces/${NAMESPACE}/replicasets`);
    return sets.items.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.name === 'web')).length === 2;
  });
}));
