// The course pages' service worker (docs/ARCHITECTURE.md, "Reading courses offline"), scope /courses/.
// It saves a course when a page asks (one Cache per course, named PREFIX + slug + ":" + version), serves the saved
// copies when the network fails, and keeps the lessons marked done offline in IndexedDB until they are sent.
"use strict";

const PREFIX = "hemicycle-course:";
const FALLBACK = {{ url_for("learning_offline.fallback")|tojson }};
const PAGE_TIMEOUT_MS = 4000; // a saved page is shown if the network has not answered by then
const SYNC_TAG = "hemicycle-lessons-done";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  // The page's request starts while the worker wakes up, instead of after.
  if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
  await self.clients.claim();
})()));

async function ourCaches() {
  return (await caches.keys()).filter((name) => name.startsWith(PREFIX));
}

async function cached(request) {
  // Only our own caches: another worker of this site (the check-in page's) keeps its own.
  for (const name of await ourCaches()) {
    const hit = await (await caches.open(name)).match(request, { ignoreVary: true });
    if (hit) return { name, response: hit };
  }
  return null;
}

function usable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

function page(event) {
  const request = event.request;
  const lookup = cached(request);
  const network = Promise.resolve(event.preloadResponse).then((preloaded) => preloaded || fetch(request));
  // Online, the saved copy follows the page (lessons done since, new text). This first handler of the answer
  // clones it before the browser starts reading it.
  event.waitUntil(network.then(async (response) => {
    const fresh = usable(response) ? response.clone() : null;
    const copy = await lookup;
    if (fresh && copy) await (await caches.open(copy.name)).put(request.url, fresh);
  }).catch(() => null));
  return pageAnswer(lookup, network);
}

async function pageAnswer(lookup, network) {
  const copy = await lookup;
  if (!copy) return network.catch(async () => (await cached(FALLBACK))?.response || Response.error());
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(copy.response), PAGE_TIMEOUT_MS);
    network.then((response) => { clearTimeout(timer); resolve(response); },
                 () => { clearTimeout(timer); resolve(copy.response); });
  });
}

async function file(request) {
  // Styles, scripts, images: a saved copy first. Lesson files carry their hash (?v=), static files too once
  // fingerprinted; until then a changed one changes the manifest's version, and the pages save the course again.
  const copy = await cached(request);
  return copy ? copy.response : fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.endsWith("/offline.json") || url.pathname === self.location.pathname) return;
  event.respondWith(request.mode === "navigate" ? page(event) : file(request));
});

// Saving a course ------------------------------------------------------------------------------------------

async function broadcast(message) {
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    client.postMessage(message);
  }
}

const saving = new Map();

async function save(manifestUrl) {
  const answer = await fetch(manifestUrl, { cache: "no-store" });
  if (!answer.ok || answer.redirected) throw new Error(`manifest: ${answer.status}`);
  const manifest = await answer.json();
  const course = manifest.course, name = PREFIX + course + ":" + manifest.version;
  const cache = await caches.open(name);
  const waiting = [...manifest.urls], total = waiting.length;
  let done = 0;
  await broadcast({ type: "progress", course, done, total });
  const worker = async () => {
    while (waiting.length) {
      const url = waiting.shift();
      const response = await fetch(url, { credentials: "same-origin" }).catch(() => null);
      if (!usable(response)) {
        waiting.length = 0; // the other two stop too: a copy is whole or not kept
        throw new Error(`${url}: ${response ? response.status : "no answer"}`);
      }
      await cache.put(url, response);
      done += 1;
      await broadcast({ type: "progress", course, done, total });
    }
  };
  try {
    await Promise.all([worker(), worker(), worker()]);
  } catch (error) {
    await caches.delete(name);
    throw error;
  }
  const meta = { course, title: manifest.title, url: manifest.course_url, version: manifest.version,
                 owner: manifest.owner, saved_at: new Date().toISOString() };
  await cache.put(manifestUrl, new Response(JSON.stringify(meta), { headers: { "Content-Type": "application/json" } }));
  for (const other of await ourCaches()) {
    if (other.startsWith(PREFIX + course + ":") && other !== name) await caches.delete(other);
  }
  await broadcast({ type: "saved", course, saved_at: meta.saved_at });
}

function saveOnce(manifestUrl, course) {
  if (!saving.has(course)) {
    saving.set(course, save(manifestUrl)
      .catch(() => broadcast({ type: "failed", course }))
      .finally(() => saving.delete(course)));
  }
  return saving.get(course);
}

// Lessons done offline --------------------------------------------------------------------------------------

function store(mode, use) {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open("hemicycle-offline", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("done", { keyPath: "id" });
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result, transaction = db.transaction("done", mode);
      const request = use(transaction.objectStore("done"));
      transaction.oncomplete = () => { db.close(); resolve(request && request.result); };
      transaction.onerror = () => { db.close(); reject(transaction.error); };
    };
  });
}

const queued = () => store("readonly", (done) => done.getAll());

let sending = null;

async function send() {
  const entries = await queued();
  const courses = new Map();
  for (const entry of entries) courses.set(entry.manifest, [...(courses.get(entry.manifest) || []), entry]);
  for (const [manifestUrl, waiting] of courses) {
    // A fresh token, and who is signed in now: only their own lessons are sent.
    const answer = await fetch(manifestUrl, { cache: "no-store" });
    if (answer.status === 403 || answer.status === 404) continue; // someone else, or no longer enrolled
    if (!answer.ok || answer.redirected) throw new Error(`manifest: ${answer.status}`);
    const manifest = await answer.json();
    const mine = waiting.filter((entry) => entry.owner === manifest.owner);
    if (!mine.length) continue;
    const response = await fetch(manifest.progress_url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": manifest.csrf_token },
      body: JSON.stringify({ lessons: mine.map(({ id, lesson, done_at }) => ({ id, lesson, done_at })) }),
    });
    if (!response.ok || response.redirected) throw new Error(`progress: ${response.status}`);
    const outcome = await response.json();
    // Refused ones too (a lesson withdrawn from the course since): sending them again would change nothing.
    await store("readwrite", (done) => { for (const result of outcome.results) done.delete(result.id); });
    const lessons = outcome.results.filter((r) => r.outcome !== "refused").map((r) => r.lesson);
    if (lessons.length) {
      await broadcast({ type: "sent", course: manifest.course, lessons, completed: outcome.completed,
                        certificate_url: outcome.certificate_url });
    }
  }
}

function sendOnce() {
  if (!sending) sending = send().finally(() => { sending = null; });
  return sending;
}

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(sendOnce()); // a failure makes the browser try again later
});

async function enqueue(entry) {
  await store("readwrite", (done) => done.put(entry));
  try {
    await self.registration.sync.register(SYNC_TAG);
  } catch {
    // No Background Sync (Firefox, Safari): the pages ask for the sending when they are back online.
  }
}

self.addEventListener("message", (event) => {
  const message = event.data || {}, reply = event.ports[0];
  const answer = (promise) => event.waitUntil(promise.then((value) => reply && reply.postMessage(value ?? {}),
                                                          () => reply && reply.postMessage({ error: true })));
  if (message.type === "save") answer(saveOnce(message.manifest, message.course));
  else if (message.type === "queue") answer(enqueue(message.entry));
  else if (message.type === "queued") {
    answer(queued().then((entries) => ({ lessons: entries.filter((e) => e.course === message.course
                                                                   && e.owner === message.owner).map((e) => e.lesson) })));
  } else if (message.type === "send") answer(sendOnce());
});
