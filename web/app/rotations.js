// Which refresh token replaced which, shared by the page's tabs through IndexedDB. Tabs
// take turns to refresh (Web Locks), but localStorage reaches another tab's process a moment
// after it is written: a tab whose turn comes may still read the token the previous tab has
// just spent, and spending it again would end the session (reuse detection). IndexedDB is
// read through one store for all tabs, so the tab asks it first what its token became.
import { objectStore } from './idb.js';

const run = objectStore('fieldlink-session', 'rotations', 'spent');
const kKept = 8;  // the newest rotations; a tab is never more than a few behind

// The newest tokens `refresh` led to, following rotations made by any tab; null when it was
// not rotated (or IndexedDB is unavailable: then only the lock protects the session).
export async function successorOf(refresh) {
  const all = await run('readonly', (store) => store.getAll()).catch(() => []);
  const next = new Map(all.map((r) => [r.spent, r]));
  let found = null;
  for (let token = refresh, hops = 0; next.has(token) && hops < kKept; hops += 1) {
    found = next.get(token);
    token = found.refresh;
  }
  return found && { access: found.access, refresh: found.refresh };
}

// Records that `spent` was rotated into `tokens`, keeping the newest few.
export async function recordRotation(spent, tokens) {
  await run('readwrite', (store) => {
    store.put({ spent, access: tokens.access, refresh: tokens.refresh, at: Date.now() });
    const all = store.getAll();
    all.onsuccess = () => all.result.sort((a, b) => b.at - a.at).slice(kKept)
      .forEach((old) => store.delete(old.spent));
    return all;
  }).catch(() => {});
}

// Signing out: nothing of the session stays behind.
export async function forgetRotations() {
  await run('readwrite', (store) => store.clear()).catch(() => {});
}
