// The status bar and the tools under it: what waits, what needs attention, sync, download, wipe.
import { getMeta } from "./db.js";
import { h, replace } from "./dom.js";
import { contents } from "./queue.js";
import { ui, uiLocale } from "./texts.js";

const bar = document.getElementById("status");
const tools = document.getElementById("tools");
const syncButton = document.getElementById("sync-now");

const NOTICES = {
  syncing: () => ui("syncing"),
  offline: () => ui("offline"),
  failed: () => ui("sync_failed"),
  login: () => [ui("login_needed"), " ", h("a", { href: "/login?next=/app", id: "log-in" }, ui("log_in"))],
  password: () => h("a", { href: "/password?next=/app", id: "log-in" }, ui("new_password")),
};

async function interrupted(drafts, ownUuid) {
  const held = navigator.locks ? (await navigator.locks.query()).held.map((lock) => lock.name) : [];
  return drafts.filter((draft) => draft.uuid !== ownUuid && !held.includes(`interview:${draft.uuid}`));
}

function lastSent(at) {
  if (!at) return ui("never");
  return new Date(at).toLocaleTimeString(uiLocale, { hour: "2-digit", minute: "2-digit" });
}

function attentionList(flagged) {
  return h("section", { class: "attention", id: "attention" }, h("h2", {}, ui("attention")),
    h("ul", {}, flagged.map((record) => h("li", { "data-uuid": record.uuid },
      h("code", {}, record.uuid.slice(0, 8)), " ",
      record.status === "conflict"
        ? ui("conflict")
        : ui("invalid", { field: record.error?.field ?? "", message: record.error?.message ?? "" })))));
}

/** Draw the status from the queue; ``state`` is the sync's last report, ``warnings`` extra lines.
 * On her screens (``participant``) there is no status, sync, download or wipe at all. */
export async function drawStatus({ state, warnings, ownUuid, participant, onSync, onDownload, onWipe }) {
  bar.hidden = participant;
  if (participant) {
    syncButton.hidden = true;
    tools.hidden = true;
    replace(bar);
    replace(tools);
    return;
  }
  const { records, drafts } = await contents();
  const flagged = records.filter((record) => record.status !== "waiting");
  const unfinished = await interrupted(drafts, ownUuid);
  const line = ui("status", {
    waiting: records.length - flagged.length,
    last: lastSent((await getMeta("last_sent"))?.at),
    attention: flagged.length,
  });
  replace(bar,
    h("span", { id: "status-line", "data-waiting": records.length - flagged.length, "data-attention": flagged.length }, line),
    NOTICES[state] && h("span", { class: `notice ${state}`, id: "sync-state" }, NOTICES[state]()),
    unfinished.length > 0 && h("span", { class: "notice" }, ui("unfinished", { count: unfinished.length })),
    warnings.map((warning) => h("span", { class: "notice" }, warning)));
  syncButton.textContent = ui("sync_now");
  syncButton.hidden = false;
  syncButton.disabled = state === "syncing";
  syncButton.onclick = onSync;
  tools.hidden = false;
  replace(tools,
    flagged.length > 0 && attentionList(flagged),
    h("div", { class: "nav" },
      h("button", { type: "button", class: "secondary", id: "download", onclick: onDownload }, ui("download")),
      h("button", { type: "button", class: "danger", id: "wipe", onclick: () => onWipe(records.length, unfinished) },
        ui("wipe"))));
}
