// The IndexedDB database: sealed records, sealed drafts, and a few plain settings (never answers).
const NAME = "survey-offline";
const VERSION = 1;
let opened = null;

function open() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("records", { keyPath: "uuid" });
      db.createObjectStore("drafts", { keyPath: "uuid" });
      db.createObjectStore("meta", { keyPath: "name" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

export const done = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

/** Run ``work(stores)`` in one transaction; resolves with its result once committed. */
export async function transaction(names, mode, work) {
  const db = await open();
  const tx = db.transaction(names, mode);
  const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
  const committed = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  const result = await work(stores);
  await committed;
  return result;
}

export const getMeta = (name) => transaction(["meta"], "readonly", ({ meta }) => done(meta.get(name)));
export const putMeta = (value) => transaction(["meta"], "readwrite", ({ meta }) => done(meta.put(value)));
