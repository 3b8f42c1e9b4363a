/* The check-in page: registers the service worker and, when the phone is offline, keeps
   the submission in localStorage with an idempotency key and sends it when the connection
   returns (POST /api/v1/checkins/). Online, the plain form post is used. All texts come
   from data- attributes the server rendered in the reader's language. */
(function () {
  "use strict";
  var KEY = "sameboat.checkin.queue";
  var form = document.querySelector("[data-offline-form]");
  if (!form) { return; }
  var box = document.querySelector("[data-testid='offline-queue']");
  var list = box ? box.querySelector("ul") : null;
  var codes = {};
  try { codes = JSON.parse(document.getElementById("region-codes").textContent); } catch (e) { codes = {}; }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(form.dataset.sw, { scope: "/health/" }).catch(function () { return undefined; });
  }

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(items) { window.localStorage.setItem(KEY, JSON.stringify(items)); }

  function render(items) {
    if (!box || !list) { return; }
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = item.state || "waiting";
      var label = item.state === "sent" ? form.dataset.msgSent
        : item.state === "refused" ? form.dataset.msgRefused + " " + (item.message || "")
        : form.dataset.msgWaiting;
      li.textContent = item.body.day + " · " + item.body.temperature + " °C — " + label;
      li.setAttribute("data-state", item.state || "waiting");
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
  }

  function value(name) {
    var checked = form.querySelector("[name='" + name + "']:checked");
    if (checked) { return checked.value; }
    var field = form.querySelector("[name='" + name + "']");
    return field ? field.value : "";
  }

  function body() {
    var symptoms = Array.prototype.slice.call(form.querySelectorAll("[name='symptoms']:checked"))
      .map(function (el) { return el.value; }).filter(function (v) { return v !== "none"; });
    var data = {
      day: form.dataset.day, temperature: value("temperature").replace(",", "."), symptoms: symptoms,
      region: codes[value("region")] || "", travelled: value("travelled") === "yes",
      contact: value("contact") === "yes", work_status: value("work_status"), commute_mode: value("commute_mode")
    };
    if (form.dataset.employee) { data.employee = Number(form.dataset.employee); }
    return data;
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }

  var sending = false;
  function flush() {
    var items = load();
    var pending = items.filter(function (item) { return !item.state || item.state === "waiting"; });
    if (sending || pending.length === 0 || !navigator.onLine) { render(items); return; }
    sending = true;
    var item = pending[0];
    fetch(form.dataset.api, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Idempotency-Key": item.key, "X-CSRFToken": form.dataset.csrf },
      body: JSON.stringify(item.body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (payload) {
        if (response.ok) {
          item.state = "sent";
        } else if (response.status >= 400 && response.status < 500) {
          item.state = "refused";
          item.message = payload && payload.error ? payload.error.message : String(response.status);
        }
      });
    }).catch(function () { return undefined; }).then(function () {
      sending = false;
      save(items);
      render(items);
      if (item.state === "sent" && load().every(function (i) { return i.state; })) {
        window.setTimeout(function () { window.location.reload(); }, 800);
      } else if (item.state) {
        flush();
      }
    });
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) { return; }  // online: the normal post, with the server's own messages
    event.preventDefault();
    var items = load().filter(function (i) { return i.state !== "sent"; });
    items.push({ key: uuid(), body: body(), queuedAt: new Date().toISOString() });
    save(items);
    render(items);
    var note = box ? box.querySelector("p") : null;
    if (note) { note.textContent = form.dataset.msgQueued; }
    window.scrollTo(0, 0);
  });

  // "None" and the symptoms exclude each other: ticking one unticks the other side.
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.name !== "symptoms" || !box.checked) { return; }
    form.querySelectorAll("input[name='symptoms']").forEach(function (other) {
      if (other !== box && (box.value === "none" || other.value === "none")) { other.checked = false; }
    });
  });

  window.addEventListener("online", flush);
  flush();
})();
