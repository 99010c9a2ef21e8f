// The check-in page's scans, kept in IndexedDB until the server has answered for each of them.
// A scan is "waiting" from the moment it is read until its result comes back; only then is it "done".
// The server counts a scan id once, so sending a waiting scan again (a lost answer, two tabs) is safe.
"use strict";

window.CheckInQueue = (() => {
  const DATABASE = "hemicycle-check-in";
  const STORE = "scans";
  const KEEP_DONE = 30; // answered scans kept per activity for the list on the page
  const BATCH = 50;

  let opened = null;
  let memory = null; // where IndexedDB cannot be opened (some private windows): kept while the page is open

  function request(idbRequest) {
    return new Promise((resolve, reject) => {
      idbRequest.onsuccess = () => resolve(idbRequest.result);
      idbRequest.onerror = () => reject(idbRequest.error);
    });
  }

  function database() {
    if (!opened) {
      opened = new Promise((resolve, reject) => {
        const open = indexedDB.open(DATABASE, 1);
        open.onupgradeneeded = () => {
          const store = open.result.createObjectStore(STORE, { keyPath: "scan_id" });
          store.createIndex("activity", "activity");
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      }).catch(() => {
        memory = new Map();
        return null;
      });
    }
    return opened;
  }

  async function store(mode) {
    const db = await database();
    return db ? db.transaction(STORE, mode).objectStore(STORE) : null;
  }

  async function put(scan) {
    const scans = await store("readwrite");
    if (scans) await request(scans.put(scan));
    else memory.set(scan.scan_id, structuredClone(scan));
  }

  async function get(scanId) {
    const scans = await store("readonly");
    if (scans) return request(scans.get(scanId));
    return memory.has(scanId) ? structuredClone(memory.get(scanId)) : undefined;
  }

  async function remove(scanId) {
    const scans = await store("readwrite");
    if (scans) await request(scans.delete(scanId));
    else memory.delete(scanId);
  }

  async function scansOf(activity) {
    const scans = await store("readonly");
    const all = scans ? await request(scans.index("activity").getAll(activity))
      : [...memory.values()].filter((scan) => scan.activity === activity).map((scan) => structuredClone(scan));
    return all.sort((a, b) => a.scanned_at.localeCompare(b.scanned_at));
  }

  async function add(activity, url, code) {
    const scan = {
      // The endpoint refuses a whole batch with a code over 200 characters (any QR code may be read): cut, it
      // is answered "unknown" like any other code that is no ticket's.
      scan_id: crypto.randomUUID(), activity, url, code: code.slice(0, 200),
      scanned_at: new Date().toISOString(), state: "waiting", result: null,
    };
    await put(scan);
    return scan;
  }

  async function waiting(activity) {
    return (await scansOf(activity)).filter((scan) => scan.state === "waiting");
  }

  // The newest first, for the list on the page.
  async function recent(activity) {
    return (await scansOf(activity)).reverse();
  }

  async function settle(results) {
    const settled = [];
    for (const result of results) {
      const scan = await get(result.scan_id);
      if (!scan) continue;
      scan.state = "done";
      scan.result = result;
      await put(scan);
      settled.push(scan);
    }
    return settled;
  }

  async function prune(activity) {
    const done = (await recent(activity)).filter((scan) => scan.state === "done");
    for (const scan of done.slice(KEEP_DONE)) await remove(scan.scan_id);
  }

  // One POST for up to BATCH waiting scans; resolves to the server's answer ({results, count}), or throws:
  // {kind: "network"} (no answer), {kind: "csrf"} (a stale token), {kind: "signed-out"}, {kind: "server"}.
  async function post(url, scans, token) {
    const body = JSON.stringify({
      scans: scans.slice(0, BATCH).map(({ scan_id, code, scanned_at }) => ({ scan_id, code, scanned_at })),
    });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 15000);
    let response;
    try {
      response = await fetch(url, {
        method: "POST", body, credentials: "same-origin", signal: controller.signal,
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
      });
    } catch {
      throw { kind: "network" };
    } finally {
      clearTimeout(timer);
    }
    const isJson = (response.headers.get("Content-Type") || "").includes("json");
    // A session that ended sends the sign-in page (a redirect fetch follows) or a 401.
    if (response.status === 401 || response.redirected || (response.ok && !isJson)) throw { kind: "signed-out" };
    if (response.status === 400) {
      const answer = isJson ? await response.json().catch(() => ({})) : {};
      if (!Array.isArray(answer.results)) throw { kind: "csrf" };
    }
    if (!response.ok || !isJson) throw { kind: "server", status: response.status };
    const answer = await response.json();
    if (!Array.isArray(answer.results)) throw { kind: "server", status: response.status };
    return answer;
  }

  return { add, waiting, recent, settle, prune, post, BATCH };
})();
