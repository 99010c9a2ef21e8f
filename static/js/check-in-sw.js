// The check-in service worker, served at /check-in/sw.js (scope /check-in/): keeps each check-in page opened on
// this device and the files it uses, so the page opens without a connection. Scans are not its business: the
// page queues them in IndexedDB and sends them itself. It knows no address of its own: the page sends the list.
"use strict";

const VERSION = "1";
const PAGES = `check-in-pages-${VERSION}`;
const ASSETS = `check-in-assets-${VERSION}`;
const PATIENCE = 6000; // ms a slow network gets before a kept page is shown instead

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("check-in-") && name !== PAGES && name !== ASSETS) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function keep({ page, assets }) {
  const pageCache = await caches.open(PAGES);
  if (page && !(await pageCache.match(page, { ignoreVary: true }))) {
    const response = await fetch(page, { credentials: "same-origin", cache: "no-store" });
    if (response.ok && !response.redirected) await pageCache.put(page, response);
  }
  const assetCache = await caches.open(ASSETS);
  const wanted = new Set(assets);
  // Files whose address changed (a new fingerprint) are dropped; the rest fetched once.
  for (const request of await assetCache.keys()) {
    if (!wanted.has(request.url)) await assetCache.delete(request);
  }
  await Promise.all([...wanted].map(async (url) => {
    if (await assetCache.match(url)) return;
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.ok) await assetCache.put(url, response);
  }));
}

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "keep") event.waitUntil(keep(event.data).catch(() => {}));
});

function pageKey(url) {
  const key = new URL(url);
  key.search = "";
  key.hash = "";
  return key.href;
}

// A check-in page: from the network (and kept again), the kept copy when there is no network or it is too slow.
// Only pages the page itself asked to keep are kept, and a page that now redirects (signed out) or is refused is
// forgotten.
async function page(event) {
  const key = pageKey(event.request.url);
  const cache = await caches.open(PAGES);
  const kept = await cache.match(key, { ignoreVary: true });
  const network = fetch(event.request).then(async (response) => {
    if (kept && response.ok && response.type === "basic") await cache.put(key, response.clone());
    else if (kept && (response.type === "opaqueredirect" || [401, 403, 404, 410].includes(response.status))) {
      await cache.delete(key);
    }
    return response;
  });
  if (!kept) return network;
  const slow = new Promise((resolve) => { setTimeout(() => resolve(kept), PATIENCE); });
  event.waitUntil(network.catch(() => {}));
  return Promise.race([network.catch(() => kept), slow]);
}

// A file the page uses: the kept copy at once, refreshed in the background (a fingerprinted file never changes,
// and its refresh comes from the browser's HTTP cache).
async function asset(event, cache, kept) {
  event.waitUntil(fetch(event.request).then((response) => {
    if (response.ok) return cache.put(event.request, response);
    return undefined;
  }).catch(() => {}));
  return kept;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
    return;
  }
  event.respondWith((async () => {
    const cache = await caches.open(ASSETS);
    const kept = await cache.match(request, { ignoreVary: true });
    return kept ? asset(event, cache, kept) : fetch(request);
  })());
});
