// The check-in page, enhanced: codes typed, sent by a handheld scanner or read by the camera go through one local
// queue (check-in-queue.js), so the door keeps working when the connection drops; a service worker keeps the page.
// Without this file the page's form posts each code and the server answers with a page.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("check-in-client");
  if (!root || !window.fetch || !window.crypto || !crypto.randomUUID) return; // the form alone, as without script
  const queue = window.CheckInQueue;
  const camera = window.CheckInCamera;
  const text = JSON.parse(document.getElementById("check-in-strings").textContent);
  const lang = document.documentElement.lang || "en";
  const activity = Number(root.dataset.activity);
  const scansUrl = root.dataset.scansUrl;

  const $ = (id) => document.getElementById(id);
  const answer = $("check-in-answer");
  const connection = $("check-in-connection");
  const pendingLine = $("check-in-pending");
  const sendButton = $("check-in-send");
  const list = $("check-in-scans");
  const form = document.querySelector("form[data-check-in-form]");

  const ICONS = { recorded: "✓", already: "!", refused: "✕", waiting: "…", sending: "…" };
  let latest = null; // the scan id whose answer the big panel shows

  function words(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
  }

  function time(iso) {
    return new Date(iso).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function element(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function stateOf(scan) {
    return scan.state === "done" ? scan.result.outcome : "waiting";
  }

  // Names, parliaments and codes in their own direction: a Latin name in an Arabic page, and the reverse.
  function isolated(className, content, dir) {
    const node = element("bdi", className, content);
    if (dir) node.dir = dir;
    return node;
  }

  function codeLine(code) {
    const [before, after] = text.code.split("{code}");
    const line = element("p", "scan-code", before);
    line.append(isolated("", code, "ltr"), after || "");
    return line;
  }

  function outcomeLabel(tag, state, said) {
    const label = element(tag, "scan-outcome");
    const icon = element("span", "scan-icon", ICONS[state]);
    icon.setAttribute("aria-hidden", "true");
    label.append(icon, " ", said);
    return label;
  }

  function showAnswer(scan, state) {
    answer.replaceChildren();
    answer.className = `scan-answer check-in-result check-in-${state}`;
    answer.append(outcomeLabel("p", state, text.labels[state]));
    const result = scan.result || {};
    for (const [className, value] of [["check-in-name", result.name], ["check-in-parliament", result.parliament]]) {
      if (!value) continue;
      const line = element("p", className);
      line.append(isolated("", value));
      answer.append(line);
    }
    const message = result.message || (state === "waiting" ? text.saved_offline : "");
    if (message) answer.append(element("p", "scan-message", message));
    if (!result.name) answer.append(codeLine(scan.code));
  }

  function listItem(scan) {
    const state = stateOf(scan);
    const result = scan.result || {};
    const item = element("li", `scan-item scan-${state}`);
    item.dataset.scanId = scan.scan_id;
    const said = state === "refused" ? text.reasons[result.reason] || text.labels.refused : text.labels[state];
    const when = element("time", "scan-time", time(scan.scanned_at));
    when.dateTime = scan.scanned_at;
    item.append(outcomeLabel("span", state, said), " ", when);
    const who = result.name ? [result.name, result.parliament].filter(Boolean).join(", ") : "";
    item.append(who ? isolated("scan-who", who) : isolated("scan-who", scan.code, "ltr"));
    // A recorded scan's sentence repeats its name; the others say what happened.
    if (result.message && state !== "recorded") item.append(element("span", "scan-message", result.message));
    return item;
  }

  async function render() {
    const scans = await queue.recent(activity);
    const waiting = scans.filter((scan) => scan.state === "waiting").length;
    if (waiting) {
      const forms = text.pending;
      pendingLine.textContent = words(forms[new Intl.PluralRules(lang).select(waiting)] || forms.other,
        { count: waiting.toLocaleString(lang) });
    } else {
      pendingLine.textContent = text.none_pending;
    }
    pendingLine.dataset.waiting = String(waiting);
    sendButton.hidden = waiting === 0;
    list.replaceChildren(...scans.map(listItem));
  }

  function showConnection(message, link) {
    connection.replaceChildren();
    connection.hidden = !message;
    if (!message) return;
    connection.append(element("span", "", message));
    if (link) {
      const anchor = element("a", "", link.label);
      anchor.href = link.href;
      connection.append(" ", anchor);
    }
  }

  // The token may be hours old after a long time offline: read a fresh one from the page itself.
  async function freshToken() {
    try {
      const response = await fetch(root.dataset.pageUrl, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok || response.redirected) return null;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("check-in-client");
      return fresh ? fresh.dataset.csrfToken : null;
    } catch {
      return null;
    }
  }

  let sending = false;
  let again = false;
  let retryTimer = null;
  let failures = 0;

  function retryLater() {
    clearTimeout(retryTimer);
    const delay = Math.min(60000, 2000 * 2 ** failures); // 2 s, 4 s, … a minute at most
    failures += 1;
    retryTimer = setTimeout(send, delay);
  }

  async function postWaiting(waiting) {
    try {
      return await queue.post(scansUrl, waiting, root.dataset.csrfToken);
    } catch (problem) {
      if (problem.kind !== "csrf") throw problem;
      const token = await freshToken();
      if (!token) throw { kind: "signed-out" };
      root.dataset.csrfToken = token;
      return queue.post(scansUrl, waiting, token);
    }
  }

  // The server's count of people checked in (every scanner's), as the page would show it after a reload.
  function showCount(count) {
    const line = document.getElementById("check-in-count");
    if (line && count && typeof count.text === "string") line.textContent = count.text;
  }

  async function send() {
    if (sending) { again = true; return; }
    sending = true;
    clearTimeout(retryTimer);
    try {
      for (;;) {
        const waiting = await queue.waiting(activity);
        if (!waiting.length) break;
        const answer = await postWaiting(waiting);
        const settled = await queue.settle(answer.results);
        failures = 0;
        showCount(answer.count);
        showConnection("");
        const mine = settled.find((scan) => scan.scan_id === latest);
        if (mine) showAnswer(mine, mine.result.outcome);
        await render();
        if (!settled.length) break; // answers that match nothing we sent: do not loop on them
      }
      await queue.prune(activity);
    } catch (problem) {
      if (problem.kind === "signed-out") {
        showConnection(text.signed_out, { label: text.sign_in, href: root.dataset.loginUrl });
      } else {
        showConnection(problem.kind === "network" ? text.offline : text.server_error);
        retryLater();
      }
      const shown = latest && (await queue.recent(activity)).find((scan) => scan.scan_id === latest);
      if (shown && shown.state === "waiting") showAnswer(shown, "waiting");
    } finally {
      sending = false;
      await render();
      if (again) { again = false; send(); }
    }
  }

  async function scan(code) {
    const added = await queue.add(activity, scansUrl, code);
    latest = added.scan_id;
    showAnswer(added, "sending");
    await render();
    send();
  }

  if (form) {
    form.addEventListener("submit", (event) => {
      const input = form.querySelector("input[name=code]");
      if (!input || !input.value.trim()) return; // the browser's own check (required) speaks
      event.preventDefault();
      const code = input.value.trim();
      input.value = "";
      input.focus();
      // Should the queue fail, the form posts the code as it would without the script.
      scan(code).catch(() => { input.value = code; form.submit(); });
    });
  }

  // The camera -----------------------------------------------------------------------------
  const startButton = $("camera-start");
  const stopButton = $("camera-stop");
  const panel = $("camera-panel");
  const cameraStatus = $("camera-status");
  let stopCamera = null;
  let lastCode = "";
  let lastAt = 0;

  function onCode(read) {
    const same = read.toUpperCase().replace(/[^0-9A-Z]/g, "");
    const now = Date.now();
    const seenJustNow = same === lastCode && now - lastAt < 3000;
    lastCode = same;
    lastAt = now;
    if (seenJustNow) return; // the same ticket still in front of the lens: read once until 3 s out of sight
    camera.signal();
    scan(read);
  }

  function closeCamera(message) {
    if (stopCamera) stopCamera();
    stopCamera = null;
    panel.hidden = true;
    startButton.hidden = false;
    cameraStatus.textContent = message || "";
  }

  startButton.addEventListener("click", async () => {
    camera.unlockSound();
    startButton.hidden = true;
    panel.hidden = false;
    cameraStatus.textContent = text.camera_starting;
    try {
      stopCamera = await camera.start($("camera-video"), {
        decoderUrl: root.dataset.decoderUrl, wasmUrl: root.dataset.wasmUrl, onCode,
      });
      cameraStatus.textContent = text.camera_ready;
      stopButton.focus();
    } catch (problem) {
      closeCamera(text[`camera_${problem.kind}`] || text.camera_unavailable);
      startButton.focus();
    }
  });
  stopButton.addEventListener("click", () => { closeCamera(""); startButton.focus(); });
  document.addEventListener("visibilitychange", () => { if (document.hidden && stopCamera) closeCamera(""); });

  // Sending, and keeping the page for offline use ---------------------------------------------
  sendButton.addEventListener("click", () => { failures = 0; send(); });
  window.addEventListener("online", () => { failures = 0; send(); });
  window.addEventListener("offline", () => showConnection(text.offline));

  async function keepForOffline() {
    if (!("serviceWorker" in navigator)) return;
    try {
      await navigator.serviceWorker.register(root.dataset.swUrl); // its scope: its folder, /check-in/
      const ready = await navigator.serviceWorker.ready;
      // The page's own (fingerprinted) addresses; the decoder's too, and its .wasm where it would be needed.
      const assets = new Set([...document.querySelectorAll("link[rel~=stylesheet][href], link[rel~=icon][href], script[src]")]
        .map((node) => node.href || node.src));
      assets.add(new URL(root.dataset.decoderUrl, location.href).href);
      if (!("BarcodeDetector" in window)) assets.add(new URL(root.dataset.wasmUrl, location.href).href);
      ready.active.postMessage({ type: "keep", page: new URL(root.dataset.pageUrl, location.href).href,
        assets: [...assets] });
    } catch {
      // No service worker (a private window, an old browser): the page works while online.
    }
  }

  // Signing out clears what the site keeps on the device (Clear-Site-Data), the queue included: not unasked.
  document.querySelectorAll("form[data-sign-out]").forEach((signOut) => {
    signOut.addEventListener("submit", (event) => {
      if (Number(pendingLine.dataset.waiting || 0) > 0 && !window.confirm(text.unsent_on_sign_out)) event.preventDefault();
    });
  });

  root.hidden = false;
  if (!navigator.onLine) showConnection(text.offline);
  render().then(send);
  keepForOffline();
});
