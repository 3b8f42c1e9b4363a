/* The check-in page (health/checkin.html).

   - Registers the service worker (sw.js, scope /health/) that keeps this page and its
     static files on the phone, and tells it which files the page needs.
   - Online, the form is sent as the same POST a browser would make, through fetch: the
     server's answer (its validation messages, or the saved check-in) replaces the page.
     If the network fails on the way, nothing is lost: the answers are queued instead.
   - Offline, the answers are queued in localStorage as {key, body, queuedAt} with a
     fresh idempotency key, shown under "Waiting to send", and sent to the check-in API
     (POST /api/v1/checkins/) on the 'online' event, on page load and every 30 s while
     any wait; a retry of the same key gets the first answer back, never a second row.

   Every text a person sees comes from data-msg-* attributes that the server rendered in
   their language. No inline script anywhere: the CSP allows script files from 'self'. */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var POST_TIMEOUT_MS = 20000;
  var RETRY_MS = 30000;
  var KEEP_SENT_MS = 10 * 60 * 1000;
  var KEEP_REFUSED_MS = 3 * DAY_MS;

  function theForm() { return document.querySelector("form[data-offline-form]"); }

  var first = theForm();
  if (!first) { return; }
  var storeKey = "sameboat.checkin.queue." + (first.getAttribute("data-user") || "anonymous");
  var noteText = "";
  var sending = false;
  var sentThisVisit = false;

  function msg(name) {
    var form = theForm();
    return (form && form.getAttribute("data-msg-" + name)) || "";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  /* ---- The service worker ------------------------------------------------------------ */

  function assetUrls() {
    var urls = [];
    document.querySelectorAll("link[rel='stylesheet'][href], script[src]").forEach(function (el) {
      urls.push(el.href || el.src);
    });
    return urls;
  }

  if ("serviceWorker" in navigator && first.getAttribute("data-sw")) {
    navigator.serviceWorker
      .register(first.getAttribute("data-sw"), { scope: first.getAttribute("data-sw-scope") || "/health/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        if (!registration.active) { return; }
        // Only a page fresh from the network names its user: a cached copy may be older.
        if (navigator.onLine) {
          registration.active.postMessage({ type: "user", user: first.getAttribute("data-user") || "" });
        }
        // The first visit's files were fetched before the worker existed: cache them now.
        registration.active.postMessage({ type: "precache", urls: assetUrls() });
      })
      .catch(function () { return undefined; });
  }

  /* ---- The queue (localStorage, one list per login) ---------------------------------- */

  function load() {
    try {
      var items = JSON.parse(window.localStorage.getItem(storeKey) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) {
      return [];
    }
  }

  function save(items) {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(items));
      return true;
    } catch (e) {
      return false;
    }
  }

  function update(key, changes) {
    var items = load();
    items.forEach(function (item) {
      if (item.key === key) { Object.keys(changes).forEach(function (name) { item[name] = changes[name]; }); }
    });
    save(items);
  }

  function prune() {
    var now = Date.now();
    save(load().filter(function (item) {
      if (item.state === "sent") { return now - (item.sentAt || 0) < KEEP_SENT_MS; }
      if (item.state === "refused") { return now - (item.refusedAt || 0) < KEEP_REFUSED_MS; }
      return true;
    }));
  }

  function waiting(item) { return !item.state || item.state === "waiting"; }

  /* A queued day as the rest of the site writes it in the page's language ("2026年12月2日");
     the queue itself keeps the ISO day the API takes. */
  function dayLabel(iso) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "long", timeZone: "UTC" })
        .format(new Date(iso + "T00:00:00Z"));
    } catch (e) {
      return iso;
    }
  }

  function render() {
    var box = document.querySelector("[data-queue]");
    if (!box) { return; }
    var list = box.querySelector("[data-queue-list]");
    var note = box.querySelector("[data-queue-note]");
    var items = load();
    if (list) {
      list.textContent = "";
      items.forEach(function (item) {
        var state = item.state || "waiting";
        var label = state === "sent" ? msg("sent")
          : state === "refused" ? msg("refused") + " " + (item.message || "")
          : state === "sending" ? msg("sending")
          : item.needsLogin ? msg("waiting") + " — " + msg("login")
          : msg("waiting");
        var li = document.createElement("li");
        li.setAttribute("data-state", state);
        li.textContent = fill(msg("item"), {
          person: item.person || "", day: dayLabel(item.body.day), temperature: item.body.temperature
        }) + " — " + label;
        list.appendChild(li);
      });
    }
    if (note) { note.textContent = noteText; }
    var title = box.querySelector("[data-queue-title]");
    if (title) {
      var pending = items.some(function (item) { return waiting(item) || item.state === "sending"; });
      var refused = items.some(function (item) { return item.state === "refused"; });
      title.textContent = pending ? msg("waiting") : refused ? msg("title-refused") : msg("title-done");
    }
    box.hidden = items.length === 0;
  }

  /* ---- Today's date, also on a copy of the page saved on an earlier day ---------------- */

  function currentDay(form) {
    var day = form.getAttribute("data-day");
    var start = Number(form.getAttribute("data-day-start"));
    if (!day || !start) { return day; }
    var elapsed = Math.floor((Date.now() - start) / DAY_MS);
    if (elapsed <= 0) { return day; }
    var date = new Date(day + "T00:00:00Z");
    date.setUTCDate(date.getUTCDate() + elapsed);
    return date.toISOString().slice(0, 10);
  }

  /* Parts of the page that describe the day it was rendered (the saved answers, "same as
     yesterday") are hidden on a stale copy; "same as yesterday" needs the server. */
  function refresh() {
    var form = theForm();
    if (!form) { return; }
    var stale = currentDay(form) !== form.getAttribute("data-day");
    document.querySelectorAll("[data-stale-note]").forEach(function (el) { el.hidden = !stale; });
    document.querySelectorAll("[data-day-bound], [data-online-only]").forEach(function (el) {
      var offlineHidden = el.hasAttribute("data-online-only") && !navigator.onLine;
      var staleHidden = el.hasAttribute("data-day-bound") && stale;
      el.hidden = offlineHidden || staleHidden;
    });
    render();
  }

  /* ---- Building the API body from the form --------------------------------------------- */

  function picked(form, name) {
    var checked = form.querySelector("input[name='" + name + "']:checked");
    if (checked) { return checked.value; }
    var field = form.querySelector("select[name='" + name + "'], input[name='" + name + "']:not([type='radio'])");
    return field ? field.value : "";
  }

  function body(form) {
    var symptoms = [];
    form.querySelectorAll("input[name='symptoms']:checked").forEach(function (el) {
      if (el.value !== "none") { symptoms.push(el.value); }
    });
    var region = form.querySelector("select[name='region']");
    var option = region && region.selectedIndex >= 0 ? region.options[region.selectedIndex] : null;
    var data = {
      // The employee is always named: a queue left by someone else on this phone can then
      // only ever be filed for that person, whoever is logged in when it is sent.
      employee: Number(form.getAttribute("data-employee")),
      day: currentDay(form),
      temperature: picked(form, "temperature").trim().replace(",", "."),
      symptoms: symptoms,
      region: (option && option.getAttribute("data-code")) || "",
      travelled: picked(form, "travelled") === "yes",
      contact: picked(form, "contact") === "yes",
      work_status: picked(form, "work_status"),
      commute_mode: picked(form, "commute_mode")
    };
    var temperature = Number(data.temperature);
    if (data.temperature !== "" && isFinite(temperature)) { data.temperature = temperature.toFixed(1); }
    return data;
  }

  /* The server checks everything when it is online; offline, catch what would certainly be
     refused later, while the person still has the form in front of them. */
  function problem(form, data) {
    var temperature = Number(data.temperature);
    var low = Number(form.getAttribute("data-temp-min"));
    var high = Number(form.getAttribute("data-temp-max"));
    if (data.temperature === "" || !isFinite(temperature) || temperature < low || temperature > high) {
      return { message: msg("temperature"), field: "temperature" };
    }
    var none = form.querySelector("input[name='symptoms'][value='none']:checked");
    if (none && data.symptoms.length) { return { message: msg("symptoms"), field: "symptoms" }; }
    if (!data.region || !data.work_status || !data.commute_mode || !picked(form, "travelled") || !picked(form, "contact")) {
      return { message: msg("required"), field: null };
    }
    return null;
  }

  function showProblem(form, found) {
    var box = form.querySelector("[data-client-error]");
    if (box) {
      box.textContent = found ? found.message : "";
      box.hidden = !found;
    }
    if (found) {
      var field = found.field ? form.querySelector("[name='" + found.field + "']") : null;
      if (field && field.focus) { field.focus(); }
      if (box && box.scrollIntoView) { box.scrollIntoView({ block: "center" }); }
    }
  }

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") { return window.crypto.randomUUID(); }
    // randomUUID needs a secure context; a plain-HTTP intranet still has getRandomValues.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function queue(form) {
    var data = body(form);
    var found = problem(form, data);
    showProblem(form, found);
    if (found) { return; }
    // Newer answers for the same person and day replace ones not sent yet, and a new
    // attempt clears old refusals.
    var items = load().filter(function (item) {
      if (item.state === "refused") { return false; }
      return !(waiting(item) && item.body.day === data.day && item.body.employee === data.employee);
    });
    items.push({
      key: uuid(), body: data, queuedAt: new Date().toISOString(), state: "waiting",
      person: form.getAttribute("data-person") || ""
    });
    noteText = save(items) ? msg("queued") : msg("unsaved");
    render();
    var box = document.querySelector("[data-queue]");
    if (box && box.scrollIntoView) { box.scrollIntoView({ block: "start" }); }
    flush();
  }

  /* ---- Sending the queue to the API ---------------------------------------------------- */

  function refusal(payload, status) {
    var error = payload && payload.error;
    if (!error) { return String(status); }
    var parts = [error.message || ""];
    if (error.fields && typeof error.fields === "object") {
      Object.keys(error.fields).forEach(function (name) {
        var value = error.fields[name];
        parts.push(Array.isArray(value) ? value.join(" ") : String(value));
      });
    }
    // A domain error repeats its message under its field: say it once.
    return parts.filter(function (part, index) { return part && parts.indexOf(part) === index; }).join(" ");
  }

  function flush() {
    var form = theForm();
    if (!form || sending) { render(); return; }
    var item = load().filter(waiting)[0];
    if (!item || !navigator.onLine) {
      render();
      if (!item && sentThisVisit) {
        noteText = msg("all-sent");
        render();
        // Show the check-in as the server now has it (the confirmation panel).
        window.setTimeout(function () { window.location.reload(); }, 1000);
      }
      return;
    }
    sending = true;
    update(item.key, { state: "sending" });
    render();
    var outcome = "stop";
    fetch(form.getAttribute("data-api"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Idempotency-Key": item.key,
        "X-CSRFToken": form.getAttribute("data-csrf") || ""
      },
      body: JSON.stringify(item.body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (payload) {
        if (response.ok) {
          update(item.key, { state: "sent", sentAt: Date.now(), needsLogin: false });
          sentThisVisit = true;
          outcome = "next";
        } else if (response.status === 401 || response.status === 403) {
          // Logged out, or a CSRF token older than the session: a fresh page sends it.
          update(item.key, { state: "waiting", needsLogin: true });
        } else if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          update(item.key, { state: "refused", refusedAt: Date.now(), message: refusal(payload, response.status) });
          outcome = "next";
        } else {
          update(item.key, { state: "waiting" });  // the server is unwell: try again later
        }
      });
    }, function () {
      update(item.key, { state: "waiting" });  // still no network
    }).then(function () {
      sending = false;
      render();
      if (outcome === "next") { flush(); }
    });
  }

  /* ---- Sending the form online --------------------------------------------------------- */

  function swapMain(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var incoming = doc.querySelector("main");
    var current = document.querySelector("main");
    if (!incoming || !current || !incoming.querySelector("form[data-offline-form]")) { return false; }
    current.innerHTML = incoming.innerHTML;
    refresh();
    var error = current.querySelector(".has-error input, .has-error select, .form-errors:not([hidden])");
    if (error && error.focus) { error.focus(); }
    if (error && error.scrollIntoView) { error.scrollIntoView({ block: "center" }); } else { window.scrollTo(0, 0); }
    return true;
  }

  function post(form, button) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, POST_TIMEOUT_MS) : null;
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      body: new URLSearchParams(new FormData(form)),
      // Saved, the server redirects to this same page; following it here would use up the
      // "thank you" message, so the browser loads it instead.
      redirect: "manual",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      window.clearTimeout(timer);
      if (response.type === "opaqueredirect") {
        window.location.assign(form.action);
        return;
      }
      return response.text().then(function (html) {
        // Anything but our own page (an error page, say): let the browser post and show it.
        if (!swapMain(html)) { HTMLFormElement.prototype.submit.call(form); }
      });
    }, function () {
      window.clearTimeout(timer);
      if (button) { button.disabled = false; }
      queue(form);  // the network failed on the way: keep the answers on the phone
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.matches || !form.matches("form[data-offline-form]")) { return; }
    if (!navigator.onLine) {
      event.preventDefault();
      queue(form);
      return;
    }
    if (!window.fetch || !window.FormData || !window.URLSearchParams || !window.DOMParser) { return; }
    event.preventDefault();
    showProblem(form, null);
    post(form, form.querySelector("[data-testid='checkin-submit']"));
  });

  // "None" and the symptoms exclude each other: ticking one side unticks the other.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.name !== "symptoms" || !box.checked || !box.form || !box.form.matches("[data-offline-form]")) { return; }
    box.form.querySelectorAll("input[name='symptoms']").forEach(function (other) {
      if (other !== box && (box.value === "none" || other.value === "none")) { other.checked = false; }
    });
  });

  window.addEventListener("online", function () { refresh(); flush(); });
  window.addEventListener("offline", refresh);
  window.setInterval(function () {
    // Items refused for the login wait for a fresh page rather than retry every 30 s.
    if (load().some(function (item) { return waiting(item) && !item.needsLogin; })) { flush(); }
  }, RETRY_MS);

  // An item left "sending" by a page closed mid-request goes back to waiting (its key
  // makes the retry safe); a page fresh from the network may retry those that needed a login.
  load().forEach(function (item) {
    if (item.state === "sending" || (item.needsLogin && navigator.onLine)) {
      update(item.key, { state: "waiting", needsLogin: false });
    }
  });
  prune();
  refresh();
  flush();
})();
