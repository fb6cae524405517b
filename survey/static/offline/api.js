// The server's sync API (survey/sync/CONTRACT.md). Every failure, no answer included, is a thrown ApiError.
const TIMEOUT_MS = 60000;

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? null;
    this.field = body?.error?.field ?? null;
  }
}

async function call(path, options = {}) {
  let response;
  try {
    response = await fetch(path, {
      credentials: "same-origin", cache: "no-store", signal: AbortSignal.timeout(TIMEOUT_MS), ...options,
    });
  } catch {
    throw new ApiError(0, null);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export const getJSON = (path) => call(path);

export const postJSON = (path, data, csrfToken) => call(path, {
  method: "POST",
  headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
  body: JSON.stringify(data),
});
