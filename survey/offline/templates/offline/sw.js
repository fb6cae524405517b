// The service worker: keeps the app shell and its files for offline use.
// Answers never pass through here; the forms live in their own cache (forms.js).
const VERSION = {{ version|tojson }};
const SHELL = {{ shell|tojson }};
const ASSETS = {{ assets|tojson }};
const CACHE = `shell-${VERSION}`;
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(ASSETS.map((url) => new Request(url, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("shell-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The shell comes from the network when it answers quickly (fresh language and version), else from the cache.
async function shell(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error("slow network")), NETWORK_WAIT_MS)),
    ]);
    if (response.ok) {
      await cache.put(SHELL, response.clone());
      return response;
    }
  } catch {
    // offline or slow: the cached shell below
  }
  return (await cache.match(SHELL)) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (event.request.mode === "navigate" && url.pathname === SHELL) {
    event.respondWith(shell(event.request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname, { cacheName: CACHE })
      .then((cached) => cached || fetch(event.request)));
  }
});
