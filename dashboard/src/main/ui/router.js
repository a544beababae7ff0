// A small path router for the pages under /ui/ (the gateway answers index.html for any of them).
import { useEffect, useState } from 'react';

export const BASE = '/ui';

export function navigate(path) {
  window.history.pushState({}, '', BASE + path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath() {
  const current = () => window.location.pathname.replace(/^\/ui/, '') || '/';
  const [path, setPath] = useState(current);
  useEffect(() => {
    const update = () => setPath(current());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}

/** Page path of a list or an object: /r/{group or core}/{plural}[/{namespace or _}/{name}]. */
export function listPath(type) {
  return `/r/${type.group || 'core'}/${type.plural}`;
}

export function objectPath(type, namespace, name) {
  return `${listPath(type)}/${namespace || '_'}/${encodeURIComponent(name)}`;
}

/** A link that navigates without reloading the page. */
export function linkProps(path) {
  return {
    href: BASE + path,
    onClick: (e) => {
      if (e.metaKey || e.ctrlKey || e.button !== 0) return;
      e.preventDefault();
      navigate(path);
    },
  };
}
