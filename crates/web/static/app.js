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

// A "print" button ([data-print]) opens the browser's print dialog (certificates).
document.addEventListener("click", (e) => {
  if (e.target.closest && e.target.closest("[data-print]")) window.print();
});
