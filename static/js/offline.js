// Reading courses offline (docs/ARCHITECTURE.md): the button that saves a course on this device, the lessons
// marked done offline (kept by the service worker until they are sent), the quiz's notice that scoring needs the
// connection, and the offline page's list of saved courses. Every page works without this file.
(() => {
  "use strict";
  const PREFIX = "hemicycle-course:"; // the service worker's caches (templates/learning/offline/sw.js)
  const workers = "serviceWorker" in navigator && "caches" in window;

  async function courseCopies(course) {
    const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX));
    return course ? names.filter((name) => name.startsWith(`${PREFIX}${course}:`)) : names;
  }

  async function metaOf(name) {
    // Saved last, with the course's title and who saved it: a copy without it is not finished.
    const cache = await caches.open(name);
    const key = (await cache.keys()).find((request) => new URL(request.url).pathname.endsWith("/offline.json"));
    const found = key && (await cache.match(key));
    return found ? found.json() : null;
  }

  // The offline page: the courses this browser can show.
  const list = document.getElementById("offline-courses");
  if (list && workers) {
    courseCopies().then(async (names) => {
      for (const name of names) {
        const meta = await metaOf(name);
        if (!meta) continue;
        const item = document.createElement("li"), link = document.createElement("a");
        link.href = meta.url;
        link.textContent = meta.title;
        item.append(link);
        list.querySelector("ul").append(item);
        list.hidden = false;
      }
    });
  }

  const stringsElement = document.getElementById("offline-strings");
  if (!stringsElement) return;
  const t = JSON.parse(stringsElement.textContent);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  const say = (element, text) => { if (element) element.textContent = text; };

  // The quiz: scoring needs the connection, so offline the answers are not sent (nor kept for later).
  const quiz = document.querySelector("form.quiz");
  const quizNotice = document.getElementById("offline-quiz-notice");
  if (quiz && quizNotice) {
    const update = () => say(quizNotice, navigator.onLine ? "" : t.quiz_offline);
    quiz.addEventListener("submit", (event) => {
      if (navigator.onLine) return;
      event.preventDefault();
      update();
    });
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    update();
  }

  const panel = document.getElementById("offline-panel");
  if (!panel || !workers) return;
  const { course, lesson, manifest, worker, scope, owner, timezone } = panel.dataset;
  const status = panel.querySelector(".offline-status");
  const countLine = panel.querySelector(".offline-count-line");
  const bar = panel.querySelector(".offline-progress");
  const count = panel.querySelector(".offline-count");
  const hint = panel.querySelector(".offline-hint");
  const saveButton = panel.querySelector("[data-action=save]");
  const removeButton = panel.querySelector("[data-action=remove]");
  const doneForm = document.querySelector(".lesson-actions form");
  const doneStatus = document.getElementById("offline-done-status");

  function when(iso) {
    const options = { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang, { ...options, timeZone: timezone }).format(new Date(iso));
    } catch {
      return new Intl.DateTimeFormat(document.documentElement.lang, options).format(new Date(iso));
    }
  }

  function ask(message) {
    // A question to the service worker, answered through a channel of its own; an error if it is not
    // running within 5 s (a save may take longer than that: its answer is awaited as long as it takes).
    const worker = Promise.race([navigator.serviceWorker.ready,
                                 new Promise((resolve) => { setTimeout(() => resolve(null), 5000); })]);
    return worker.then((registration) => new Promise((resolve) => {
      if (!registration || !registration.active) { resolve({ error: true }); return; }
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data || {});
      registration.active.postMessage(message, [channel.port2]);
    }));
  }

  async function copy() {
    // This course's finished copy; copies saved for someone else who used this browser are deleted.
    let found = null;
    for (const name of await courseCopies()) {
      const meta = await metaOf(name);
      if (meta && meta.owner !== owner) await caches.delete(name);
      else if (meta && meta.course === course) found = meta;
    }
    return found;
  }

  function showButtons(meta) {
    saveButton.hidden = Boolean(meta);
    removeButton.hidden = !meta;
    hint.hidden = Boolean(meta);
    countLine.hidden = true;
    saveButton.disabled = false;
  }

  function show(meta, message) {
    showButtons(meta);
    say(status, message || (meta ? fill(t.saved, { when: when(meta.saved_at) }) : ""));
  }

  async function save(message) {
    saveButton.disabled = true;
    say(status, message);
    // Asked, not promised: a browser short of space may still evict the copy.
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    // The first course saved installs the worker (ask() says if it failed); later ones use it as it is.
    if (!(await navigator.serviceWorker.getRegistration(scope))) await start().catch(() => null);
    const answer = await ask({ type: "save", manifest, course });
    if (answer.error) show(await copy(), t.failed); // no worker running: the course was not saved
  }

  function markedDone(message, focus = false) {
    if (doneForm) doneForm.hidden = true;
    say(doneStatus, message);
    if (focus && doneStatus) { // the button pressed is gone: keyboard focus goes to what replaced it
      doneStatus.tabIndex = -1;
      doneStatus.focus();
    }
  }

  navigator.serviceWorker.addEventListener("message", async (event) => {
    const message = event.data || {};
    if (message.course !== course) return;
    if (message.type === "progress") {
      countLine.hidden = false;
      bar.max = message.total;
      bar.value = message.done;
      say(count, fill(t.count, { done: message.done, total: message.total }));
    } else if (message.type === "saved") {
      show(await copy());
    } else if (message.type === "failed") {
      show(await copy(), t.failed);
    } else if (message.type === "sent") {
      if (lesson && message.lessons.includes(lesson)) markedDone(t.lesson_done);
      say(status, message.completed ? t.completed : t.sent);
      if (message.completed && message.certificate_url) {
        const link = document.createElement("a");
        link.href = message.certificate_url;
        link.textContent = t.certificate;
        status.append(" ", link);
      }
    }
  });
  navigator.serviceWorker.startMessages();

  if (doneForm && doneStatus) {
    doneForm.addEventListener("submit", async (event) => {
      if (navigator.onLine) return;
      event.preventDefault();
      const id = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const entry = { id, course, lesson, owner, manifest, done_at: new Date().toISOString() };
      const answer = await ask({ type: "queue", entry });
      if (answer.error) say(doneStatus, t.not_queued);
      else markedDone(t.queued, true);
    });
  }

  saveButton.addEventListener("click", () => save(t.saving));
  removeButton.addEventListener("click", async () => {
    for (const name of await courseCopies(course)) await caches.delete(name);
    show(null, t.removed);
  });

  async function send(retries = [2, 5, 15, 30, 60]) {
    // The `online` event may come before the network carries anything (a waking radio, a captive portal):
    // a failed sending is tried again a few times, then left to Background Sync or the next page.
    const answer = await ask({ type: "send" });
    if (answer.error && retries.length && navigator.onLine) setTimeout(() => send(retries.slice(1)), retries[0] * 1000);
  }
  window.addEventListener("online", () => send());

  function start() {
    return navigator.serviceWorker.register(worker, { scope });
  }

  // The worker is installed by the first course saved, not on every visit: a learner who saves nothing keeps
  // the browser's own cache of the versioned files (a page a worker controls asks the server for them again).
  navigator.serviceWorker.getRegistration(scope).then(async (existing) => {
    if (!existing) {
      show(null);
      panel.hidden = false;
      return;
    }
    // Not registered again: that job would queue behind the browser's own update check of the worker, which
    // on a bad connection can wait a long time, and the panel would stay hidden meanwhile.
    const meta = await copy();
    if (status.textContent) showButtons(meta); // the lessons sent when the connection came back: that news stays
    else show(meta);
    panel.hidden = false;
    if (lesson && doneForm) {
      const waiting = await ask({ type: "queued", course, owner });
      if ((waiting.lessons || []).includes(lesson)) markedDone(t.queued);
    }
    if (!navigator.onLine) return;
    send();
    if (meta) {
      // A copy of an older version of the course (or of another language) is saved again.
      const answer = await fetch(manifest, { cache: "no-store" }).catch(() => null);
      const current = answer && answer.ok && !answer.redirected ? await answer.json() : null;
      if (current && current.version !== meta.version) save(t.updating);
    }
  }).catch(() => {}); // no service worker (a private window, a browser setting): the page stays as it is
})();
