// Sending the queue: one sync at a time across every tab, retried with backoff, on a timer and on reconnect.
import { getJSON, postJSON } from "./api.js";
import { done, putMeta, transaction } from "./db.js";
import { refreshForms } from "./forms.js";
import { pendingRefusals, refusalsCounted, settle, waiting } from "./queue.js";
import { storeServerKey } from "./seal.js";

const SIZE_MARGIN = 0.9;
const PERIOD_MS = 3 * 60 * 1000;
const FIRST_RETRY_MS = 5000;
const LEASE_MS = 2 * 60 * 1000;
export const changes = new BroadcastChannel("survey-queue");

// Browsers without the Web Locks API take a lease in IndexedDB instead.
async function withLease(work) {
  const owner = crypto.randomUUID();
  const take = ({ meta }) => done(meta.get("lease")).then(async (lease) => {
    if (lease && lease.owner !== owner && lease.expires > Date.now()) return false;
    await done(meta.put({ name: "lease", owner, expires: Date.now() + LEASE_MS }));
    return true;
  });
  if (!(await transaction(["meta"], "readwrite", take))) return false;
  try {
    await work();
  } finally {
    await transaction(["meta"], "readwrite", async ({ meta }) => {
      if ((await done(meta.get("lease")))?.owner === owner) await done(meta.delete("lease"));
    });
  }
  return true;
}

/** Run ``work`` unless a sync is running in any tab; false when it did not run. */
function exclusively(work) {
  if (!navigator.locks) return withLease(work);
  return navigator.locks.request("sync", { ifAvailable: true }, async (lock) => {
    if (!lock) return false;
    await work();
    return true;
  });
}

// Uploads within the server's limits, by count and by bytes.
function batches(envelopes, { max_batch: maxCount, max_bytes: maxBytes }) {
  const result = [];
  let batch = [];
  let bytes = 0;
  for (const envelope of envelopes) {
    const size = JSON.stringify(envelope).length + 1;
    if (batch.length && (batch.length >= maxCount || bytes + size > maxBytes * SIZE_MARGIN)) {
      result.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(envelope);
    bytes += size;
  }
  return batch.length ? [...result, batch] : result;
}

// A record the server refuses even when sent alone (too large, not JSON it can read) is flagged
// invalid on the tablet like any other invalid record: kept and shown, not sent again and again.
const REFUSED_ALONE = new Set([400, 413]);

const refusedAlone = (envelope, error) => ({
  uuid: envelope.uuid, status: "invalid", error: { field: error.field ?? "records", message: error.message },
});

async function upload(envelopes, session) {
  try {
    return await postJSON("/api/v1/submissions", { records: envelopes }, session.csrf_token);
  } catch (error) {
    if (error.code === "csrf_failed") {
      return postJSON("/api/v1/submissions", { records: envelopes }, (await getJSON("/api/v1/session")).csrf_token);
    }
    if (error.status === 413 && envelopes.length > 1) {
      const half = Math.ceil(envelopes.length / 2);
      const first = await upload(envelopes.slice(0, half), session);
      return { results: [...first.results, ...(await upload(envelopes.slice(half), session)).results] };
    }
    if (envelopes.length === 1 && REFUSED_ALONE.has(error.status) && error.code !== "csrf_failed") {
      return { results: [refusedAlone(envelopes[0], error)] };
    }
    throw error;
  }
}

async function syncOnce() {
  const session = await getJSON("/api/v1/session");
  await putMeta({ name: "collector", username: session.user.username });
  const envelopes = (await waiting()).map((record) => record.envelope);
  for (const batch of batches(envelopes, session.limits ?? { max_batch: 100, max_bytes: 1e6 })) {
    await settle((await upload(batch, session)).results);
    await putMeta({ name: "last_sent", at: Date.now() });
    changes.postMessage("sent");
  }
  const refusals = await pendingRefusals();
  if (refusals.length) {
    const { counted } = await postJSON("/api/v1/refusals", { refusals }, session.csrf_token);
    await refusalsCounted(counted);
  }
  await storeServerKey(await getJSON("/api/v1/key"));
  await refreshForms();
}

/**
 * Keep syncing while the app is open. ``report(state)`` hears "syncing", "done", "busy" (another
 * tab is at it), "offline", "login" (after a 401), "password" (she must choose a new one), or "failed".
 */
export function startSync(report) {
  let failures = 0;
  let timer = null;
  let running = false;

  const later = (delay) => {
    clearTimeout(timer);
    timer = setTimeout(run, delay);
  };

  async function run() {
    if (running) return;
    clearTimeout(timer);
    if (!navigator.onLine) {
      report("offline");
      return;
    }
    running = true;
    report("syncing");
    try {
      report((await exclusively(syncOnce)) ? "done" : "busy");
      failures = 0;
      later(PERIOD_MS);
    } catch (error) {
      if (error.status === 401 || error.code === "password_change_required") {
        report(error.status === 401 ? "login" : "password");
      } else {
        failures += 1;
        report("failed");
        later(Math.min(PERIOD_MS, FIRST_RETRY_MS * 2 ** (failures - 1)) * (0.75 + Math.random() / 2));
      }
    } finally {
      running = false;
    }
  }

  window.addEventListener("online", run);
  window.addEventListener("offline", () => report("offline"));
  run();
  return run;
}
