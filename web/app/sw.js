// The page's service worker: it keeps the page's files and the last answers it read, so the
// page opens without a network and shows what it had (the requests, the messages), and
// messages typed meanwhile wait in the outbox (outbox.js) until the connection is back.
// Everything is network first: online, the page is exactly what the server serves now.
// Served from /static/ with `Service-Worker-Allowed: /`, so its scope is the whole site.
const kShell = 'fieldlink-shell-v1';  // the page's files, '/' standing for every page address
const kAnswers = 'fieldlink-answers-v1';  // GET /api/ answers, per address (cleared on sign-out)

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// The page names the files it loaded (it knows its modules; this file need not list them).
self.addEventListener('message', (event) => {
  const { type, urls } = event.data || {};
  if (type === 'cache-shell') {
    const own = (urls || []).filter((url) => new URL(url).origin === self.location.origin);
    event.waitUntil(caches.open(kShell).then((cache) => cache.addAll(own)).catch(() => {}));
  } else if (type === 'forget-answers') {
    event.waitUntil(caches.delete(kAnswers));
  }
});

async function networkFirst(request, cacheName, key = request) {
  const cache = await caches.open(cacheName);
  try {
    const answer = await fetch(request);
    if (answer.ok) await cache.put(key, answer.clone());
    return answer;
  } catch (error) {
    // The files vary by Accept-Encoding, which the browser sets itself; any kept copy will do.
    const kept = await cache.match(key, { ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;  // map tiles: the browser's own cache
  if (request.mode === 'navigate') {
    // Every page address is the same page; the script shows the matching view.
    event.respondWith(networkFirst(request, kShell, '/'));
  } else if (url.pathname.startsWith('/static/')) {
    event.respondWith(networkFirst(request, kShell));
  } else if (url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/chat/attachments/')) {
    // Attachments are large and fetched once per page anyway: not kept.
    event.respondWith(networkFirst(request, kAnswers));
  }
});
