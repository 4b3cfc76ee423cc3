// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("nav-toggle");
  const nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
});

// Live pages: an element with data-live="/live/…" listens to that event
// stream; on each "changed" the page fetches itself again and swaps the
// elements marked data-live-region (matched by id). A region someone is
// typing in waits until they leave it, so no input is lost.
const LIVE_DEBOUNCE_MS = 300;

function edited(field) {
  if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
  if (field.tagName === "SELECT") {
    const opts = [...field.options];
    if (field.multiple) return opts.some((o) => o.selected !== o.defaultSelected);
    const initial = opts.findIndex((o) => o.defaultSelected);
    return field.selectedIndex !== Math.max(initial, 0);
  }
  return field.value !== field.defaultValue;
}

function busy(region) {
  const active = document.activeElement;
  if (active && active !== document.body && region.contains(active)) return true;
  return [...region.querySelectorAll("input, textarea, select")].some(edited);
}

function startLive(status) {
  const [path, query] = status.dataset.live.split("?");
  let lastId = new URLSearchParams(query || "").get("since");
  let source = null, timer = null, fetching = false, again = false, stale = false, pending = null;
  let backoff = 3000;

  const show = (on) => {
    status.hidden = false;
    status.textContent = on ? status.dataset.liveOn : status.dataset.liveOff;
    status.classList.toggle("off", !on);
  };

  // Swaps every region that changed; keeps the fetched page for the ones in use.
  const apply = (doc) => {
    let deferred = false;
    for (const old of document.querySelectorAll("[data-live-region][id]")) {
      const fresh = doc.getElementById(old.id);
      if (!fresh || fresh.outerHTML === old.outerHTML) continue;
      if (busy(old)) deferred = true;
      else old.replaceWith(document.adoptNode(fresh));
    }
    pending = deferred ? doc : null;
  };

  const refresh = async () => {
    if (document.hidden) { stale = true; return; }
    if (fetching) { again = true; return; }
    fetching = true;
    try {
      const res = await fetch(location.href, { credentials: "same-origin", cache: "no-store" });
      if (res.redirected) { source.close(); status.hidden = true; return; } // signed out
      if (res.ok) apply(new DOMParser().parseFromString(await res.text(), "text/html"));
    } catch (_) {
      // Offline: the stream's own error shows it, and its reconnect catches up.
    } finally {
      fetching = false;
      if (again) { again = false; schedule(); }
    }
  };

  const schedule = () => { clearTimeout(timer); timer = setTimeout(refresh, LIVE_DEBOUNCE_MS); };

  const connect = () => {
    source = new EventSource(lastId ? `${path}?since=${encodeURIComponent(lastId)}` : path);
    source.addEventListener("ready", (e) => { lastId = e.lastEventId || lastId; backoff = 3000; show(true); });
    source.addEventListener("changed", (e) => { lastId = e.lastEventId || lastId; schedule(); });
    source.addEventListener("error", () => {
      show(false);
      // The browser retries a dropped stream itself, but not a refused one.
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 60000);
      }
    });
  };

  document.addEventListener("focusout", () => setTimeout(() => pending && apply(pending), 0));
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && stale) { stale = false; schedule(); }
  });
  connect();
}

document.addEventListener("DOMContentLoaded", () => {
  const status = document.querySelector("[data-live]");
  if (status && window.EventSource && window.DOMParser) startLive(status);
});

// QR check-in (/checkin/{token}, ui/attendance/checkin.rs). A tap becomes an
// intent (kind, idempotency key, time of the tap) kept in localStorage until
// the server answers, and is sent again with growing pauses while the network
// fails. The server answers a key it has seen with its first answer, so a
// retry never counts twice; reopening the page resumes an unanswered tap.
const CHECKIN_FIRST_WAIT_MS = 1000;
const CHECKIN_MAX_WAIT_MS = 30000;
const CHECKIN_TIMEOUT_MS = 15000;

function checkinKey() {
  const b = new Uint8Array(16);
  if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(b);
  else for (let i = 0; i < b.length; i++) b[i] = Math.floor(Math.random() * 256);
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

function startCheckin(form) {
  const storeKey = `tx-checkin:${form.dataset.token}`;
  const kindInput = form.querySelector("input[name=kind]");
  const button = form.querySelector("button[type=submit]");
  const result = document.getElementById("checkin-result");
  let timer = null, wait = CHECKIN_FIRST_WAIT_MS, stuck = 0, sending = false;

  // The unanswered tap; localStorage keeps it across a reload or a closed tab when it can.
  let current = null;
  try { current = JSON.parse(localStorage.getItem(storeKey)); } catch (_) { /* storage blocked */ }
  const save = (intent) => {
    current = intent;
    try { if (intent) localStorage.setItem(storeKey, JSON.stringify(intent)); else localStorage.removeItem(storeKey); } catch (_) { /* storage blocked */ }
  };
  const say = (text, bad) => { result.textContent = text; result.classList.toggle("bad", Boolean(bad)); };

  const answered = (data) => {
    save(null);
    say(data.message);
    wait = CHECKIN_FIRST_WAIT_MS;
    if (data.next) { // checked in: the same button now checks out
      kindInput.value = data.next;
      button.textContent = form.dataset.labelOut;
      button.disabled = false;
    } else {
      form.hidden = true;
    }
  };

  const later = () => {
    const offline = navigator.onLine === false;
    say(offline ? form.dataset.offline : form.dataset.retrying.replace("{}", String(Math.round(wait / 1000))), true);
    clearTimeout(timer);
    timer = setTimeout(send, wait);
    wait = Math.min(wait * 2, CHECKIN_MAX_WAIT_MS);
  };

  const send = async () => {
    const intent = current;
    if (!intent || sending) return;
    sending = true;
    clearTimeout(timer);
    button.disabled = true;
    say(form.dataset.sending);
    const body = new URLSearchParams(new FormData(form));
    body.set("kind", intent.kind);
    body.set("key", intent.key);
    body.set("elapsed_ms", String(Math.max(0, Date.now() - intent.tapped)));
    const abort = new AbortController();
    const deadline = setTimeout(() => abort.abort(), CHECKIN_TIMEOUT_MS);
    try {
      const res = await fetch(form.action, {
        method: "POST", body, credentials: "same-origin", redirect: "manual",
        headers: { accept: "application/json" }, signal: abort.signal,
      });
      if (res.type === "opaqueredirect") { // signed out: sign in, then this page resumes the tap
        location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
        return;
      }
      const data = (res.headers.get("content-type") || "").includes("json") ? await res.json() : null;
      if (res.ok && data) { answered(data); return; }
      const inProgress = res.status === 409 && data && data.error && data.error.code === "idempotency_in_progress";
      if (res.status >= 500 || res.status === 429 || inProgress) {
        // A key left "in progress" by a crashed server would block forever: after a few, take a new one.
        if (inProgress && ++stuck >= 5) { stuck = 0; intent.key = checkinKey(); save(intent); }
        later();
        return;
      }
      save(null); // refused (not signed up, outside the activity's time…): say why, forget the tap
      say((data && data.error && data.error.message) || form.dataset.failed, true);
      button.disabled = false;
    } catch (_) {
      later(); // offline, timed out, connection dropped
    } finally {
      clearTimeout(deadline);
      sending = false;
    }
  };

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!current) save({ kind: kindInput.value, key: checkinKey(), tapped: Date.now() });
    wait = CHECKIN_FIRST_WAIT_MS;
    send();
  });
  window.addEventListener("online", () => { wait = CHECKIN_FIRST_WAIT_MS; send(); });
  if (current && current.kind === kindInput.value) send();
  else if (current) save(null); // the page already shows that tap's result
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("checkin-form");
  if (form && window.fetch && window.URLSearchParams && window.AbortController) startCheckin(form);
});

// A "print" button ([data-print]) opens the browser's print dialog (certificates).
document.addEventListener("click", (e) => {
  if (e.target.closest && e.target.closest("[data-print]")) window.print();
});

// A list with a filter box (data-filter="#list-id"): typing keeps the items
// whose text contains what was typed — the door's "find a child" among a
// class of 130 on a phone. Without this file the whole list shows.
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("input[data-filter]")) {
    const list = document.querySelector(box.dataset.filter);
    if (!list) continue;
    box.hidden = false;
    box.addEventListener("input", () => {
      const q = box.value.trim().toLowerCase();
      for (const item of list.children) item.hidden = q !== "" && !item.textContent.toLowerCase().includes(q);
    });
  }
});
