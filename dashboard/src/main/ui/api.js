// The same-origin Kubernetes API, live or as of a past revision (/history/revision/{R}/<API path>, read-only).

const TOKEN = 'kronika.token';

/** The bearer token the user signed in with (kept for the browser tab's session), or null. */
export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  signIn: (token) => sessionStorage.setItem(TOKEN, token.trim()),
  signOut: () => sessionStorage.removeItem(TOKEN),
};

function headers(extra = {}) {
  const token = session.token();
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** Path of a collection or object: group '' is the core group. */
export function resourcePath(type, namespace, name, subresource) {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  let path = base;
  if (type.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${type.plural}`;
  if (name) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

/** The path to read at {@code revision} (null: live). */
export function atRevision(path, revision) {
  return revision == null ? path : `/history/revision/${revision}${path}`;
}

async function request(method, path, body, contentType = 'application/json') {
  const init = { method, headers: headers({ Accept: 'application/json' }) };
  if (body !== undefined) {
    init.headers['Content-Type'] = contentType;
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { message: text };
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body),
  put: (path, body) => request('PUT', path, body),
  mergePatch: (path, body) => request('PATCH', path, body, 'application/merge-patch+json'),
  delete: (path) => request('DELETE', path),
};

/**
 * Watches a collection from {@code resourceVersion}: ?watch=1 answers one JSON event per line. Calls onEvent for each
 * and onEnd when the stream stops (the caller re-lists). Returns a function that stops watching.
 */
export function watch(path, resourceVersion, onEvent, onEnd) {
  const controller = new AbortController();
  const separator = path.includes('?') ? '&' : '?';
  const url = `${path}${separator}watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(resourceVersion || '')}`;
  (async () => {
    try {
      const response = await fetch(url, { signal: controller.signal, headers: headers({ Accept: 'application/json' }) });
      if (!response.ok) throw new ApiError(response.status, null);
      await readLines(response.body, (line) => onEvent(JSON.parse(line)));
      onEnd?.(null);
    } catch (e) {
      if (!controller.signal.aborted) onEnd?.(e);
    }
  })();
  return () => controller.abort();
}

/** Streams a response body as text chunks (pod logs with follow=true). Returns a function that stops. */
export function stream(path, onText, onEnd) {
  const controller = new AbortController();
  (async () => {
    try {
      const response = await fetch(path, { signal: controller.signal, headers: headers() });
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        throw new ApiError(response.status, body);
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        onText(decoder.decode(value, { stream: true }));
      }
      onEnd?.(null);
    } catch (e) {
      if (!controller.signal.aborted) onEnd?.(e);
    }
  })();
  return () => controller.abort();
}

async function readLines(body, onLine) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) onLine(line);
    }
  }
  if (buffered.trim()) onLine(buffered.trim());
}
