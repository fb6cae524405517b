// The surveys on this tablet: kept in Cache Storage, fetched again only when their content_hash changes.
import { getJSON } from "./api.js";

const CACHE = "forms";
const LIST = "/api/v1/forms";
const formUrl = (id) => `/api/v1/forms/${encodeURIComponent(id)}`;
const asResponse = (data) => new Response(JSON.stringify(data), { headers: { "Content-Type": "application/json" } });

async function cached(url) {
  const response = await (await caches.open(CACHE)).match(url);
  return response ? response.json() : null;
}

/** Bring the cached surveys in line with the server: new and changed ones fetched, others dropped. */
export async function refreshForms() {
  const cache = await caches.open(CACHE);
  const list = await getJSON(LIST);
  for (const summary of list.forms) {
    const known = await cached(formUrl(summary.id));
    if (known?.content_hash !== summary.content_hash) {
      await cache.put(formUrl(summary.id), asResponse(await getJSON(formUrl(summary.id))));
    }
  }
  await cache.put(LIST, asResponse(list));
  const kept = new Set([LIST, ...list.forms.map((summary) => formUrl(summary.id))]);
  for (const request of await cache.keys()) {
    if (!kept.has(new URL(request.url).pathname)) await cache.delete(request);
  }
}

export const formList = async () => (await cached(LIST))?.forms ?? [];
export const getForm = (id) => cached(formUrl(id));
export const forgetForms = () => caches.delete(CACHE);
