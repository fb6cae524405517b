// The local queue: sealed finished records waiting for the server, and sealed drafts of open interviews.
import { done, transaction } from "./db.js";

const all = (store) => done(store.getAll());

/** Queue a sealed record; its draft goes in the same transaction, so one of the two always exists. */
export const enqueue = (envelope) => transaction(["records", "drafts"], "readwrite", async ({ records, drafts }) => {
  await done(records.put({ uuid: envelope.uuid, envelope, status: "waiting", error: null }));
  await done(drafts.delete(envelope.uuid));
});

export const saveDraft = (envelope) =>
  transaction(["drafts"], "readwrite", ({ drafts }) => done(drafts.put({ uuid: envelope.uuid, envelope })));

export const dropDraft = (uuid) => transaction(["drafts"], "readwrite", ({ drafts }) => done(drafts.delete(uuid)));

export const waiting = () => transaction(["records"], "readonly", async ({ records }) =>
  (await all(records)).filter((record) => record.status === "waiting"));

/** Results after which the tablet is done with a record: the server holds it, or she withdrew. */
const SETTLED = new Set(["stored", "duplicate", "withdrawn"]);

/**
 * Apply the server's results: stored, duplicate and withdrawn leave the tablet; conflict and invalid
 * stay, flagged for the interviewer and not sent again; anything else (retry) waits for the next sync.
 */
export const settle = (results) => transaction(["records"], "readwrite", async ({ records }) => {
  for (const result of results) {
    if (typeof result.uuid !== "string") continue;
    if (SETTLED.has(result.status)) {
      await done(records.delete(result.uuid));
    } else if (result.status === "conflict" || result.status === "invalid") {
      const record = await done(records.get(result.uuid));
      if (record) await done(records.put({ ...record, status: result.status, error: result.error ?? null }));
    }
  }
});

export const contents = () => transaction(["records", "drafts"], "readonly", async ({ records, drafts }) => ({
  records: await all(records),
  drafts: await all(drafts),
}));

/** Forget the settings (last sent, the key); sealed records, drafts and unsent refusals stay. */
export const wipeSettings = () => transaction(["meta"], "readwrite", async ({ meta }) => {
  for (const key of await done(meta.getAllKeys())) {
    if (key !== REFUSALS) await done(meta.delete(key));
  }
});

/** A refusal is only counted: a random receipt and the form, nothing about her. */
const REFUSALS = "refusals";

export const countRefusal = (formId) => transaction(["meta"], "readwrite", async ({ meta }) => {
  const pending = (await done(meta.get(REFUSALS)))?.items ?? [];
  await done(meta.put({ name: REFUSALS, items: [...pending, { uuid: crypto.randomUUID(), form_id: formId }] }));
});

export const pendingRefusals = () => transaction(["meta"], "readonly", async ({ meta }) =>
  (await done(meta.get(REFUSALS)))?.items ?? []);

export const refusalsCounted = (uuids) => transaction(["meta"], "readwrite", async ({ meta }) => {
  const counted = new Set(uuids);
  const pending = (await done(meta.get(REFUSALS)))?.items ?? [];
  await done(meta.put({ name: REFUSALS, items: pending.filter((item) => !counted.has(item.uuid)) }));
});
