// Data hooks: lists kept current by watches (live) or read once at a past revision (history).
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { api, atRevision, resourcePath, watch } from './api.js';

export const ClusterContext = createContext(null);
export const useCluster = () => useContext(ClusterContext);

function query(params) {
  const parts = Object.entries(params).filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The newest revision any list or watch has shown, so the timeline's end keeps up between its own reads. */
const revisionListeners = new Set();
function noteRevision(resourceVersion) {
  const revision = Number(resourceVersion);
  if (revision > 0) revisionListeners.forEach((listener) => listener(revision));
}

const keyOf = (o) => `${o.metadata.namespace || ''}/${o.metadata.name}`;

/**
 * Objects of a type (in a namespace, or all), optionally selected by labels or fields. Live: list, then watch from the
 * list's resourceVersion, re-listing when the watch ends; or, with {@code poll} (ms), re-list that often instead —
 * for secondary lists: the API speaks HTTP/1.1 and a browser keeps at most six connections to it, each watch holding
 * one, so a page watches only what it is about. At a revision: one read of the history API.
 */
export function useList(type, namespace, { labelSelector, fieldSelector, revision, poll } = {}) {
  const [state, setState] = useState({ items: [], loading: true, error: null, resourceVersion: null });
  const typeKey = type ? `${type.group}/${type.version}/${type.plural}` : '';
  useEffect(() => {
    if (!type) return undefined;
    let stopped = false;
    let stopWatch = () => {};
    let retry = null;
    const path = resourcePath(type, type.namespaced ? namespace : null);
    const params = query({ labelSelector, fieldSelector });
    const load = async () => {
      try {
        const list = await api.get(atRevision(path, revision) + params);
        if (stopped) return;
        const items = new Map(list.items.map((o) => [keyOf(o), o]));
        setState({ items: [...items.values()], loading: false, error: null, resourceVersion: list.metadata.resourceVersion });
        if (revision != null) return;
        noteRevision(list.metadata.resourceVersion);
        if (poll) {
          retry = setTimeout(load, poll);
          return;
        }
        stopWatch = watch(path + params, list.metadata.resourceVersion, (event) => {
          if (event.type === 'ERROR') return;
          noteRevision(event.object?.metadata?.resourceVersion);
          if (event.type === 'BOOKMARK') return;
          const key = keyOf(event.object);
          if (event.type === 'DELETED') items.delete(key);
          else items.set(key, event.object);
          setState({ items: [...items.values()], loading: false, error: null,
            resourceVersion: event.object.metadata.resourceVersion });
        }, () => {
          if (!stopped) retry = setTimeout(load, 1000);
        });
      } catch (error) {
        if (stopped) return;
        setState((s) => ({ ...s, loading: false, error }));
        if (revision == null) retry = setTimeout(load, 3000);
      }
    };
    setState({ items: [], loading: true, error: null, resourceVersion: null });
    load();
    return () => {
      stopped = true;
      stopWatch();
      clearTimeout(retry);
    };
  }, [typeKey, namespace, labelSelector, fieldSelector, revision, poll]);
  return state;
}

/**
 * One object: live, re-read when the watch on its name reports a change; at a revision, its version then from the
 * object's history (/history/versions/<path>?revision=R&limit=1).
 */
export function useObject(type, namespace, name, revision) {
  const live = useList(revision == null ? type : null, namespace, { fieldSelector: `metadata.name=${name}` });
  const [past, setPast] = useState({ object: null, loading: true, error: null });
  useEffect(() => {
    if (revision == null) return undefined;
    let stopped = false;
    setPast({ object: null, loading: true, error: null });
    api.get(`/history/versions${resourcePath(type, namespace, name)}?revision=${revision}&limit=1`).then(
      (list) => !stopped && setPast({ object: list.items[0]?.object || null, loading: false, error: null }),
      (error) => !stopped && setPast({ object: null, loading: false, error }));
    return () => { stopped = true; };
  }, [type, namespace, name, revision]);
  if (revision != null) return past;
  return { object: live.items[0] || null, loading: live.loading, error: live.error };
}

/** The cluster's latest revision, re-read every few seconds. */
export function useHeadRevision() {
  const [head, setHead] = useState(null);
  const timer = useRef(null);
  useEffect(() => {
    const listener = (revision) => setHead((h) => (h == null || revision > h ? revision : h));
    revisionListeners.add(listener);
    return () => revisionListeners.delete(listener);
  }, []);
  useEffect(() => {
    const read = async () => {
      let known = false;
      try {
        // resourceVersion=0: the view's applied revision (without it, the gateway's latest write).
        const list = await api.get('/api/v1/namespaces?limit=1&resourceVersion=0');
        const revision = Number(list.metadata.resourceVersion);
        setHead((h) => (h == null || revision > h ? revision : h));
        known = true;
      } catch {
        // keep the last value (before signing in, the API answers 401)
      }
      timer.current = setTimeout(read, known ? 4000 : 1000);
    };
    read();
    return () => clearTimeout(timer.current);
  }, []);
  return head;
}
