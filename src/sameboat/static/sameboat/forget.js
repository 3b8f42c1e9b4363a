/* On the login page, where nobody is signed in: forget what the check-in service worker
   (health/sw.js) kept on this phone for the last login, so that the next person on the
   phone, or anyone who picks it up, finds no check-in pages in its caches.

   The offline queue (checkin.js, one list per login in localStorage) keeps only answers
   still waiting to be sent: they are a check-in not yet filed, sent when that login signs
   in again, and the next login never sees or sends them (its list has another key).
   Sent and refused answers are dropped. */
(function () {
  "use strict";

  var CACHE_PREFIX = "sameboat-checkin-";
  var QUEUE_PREFIX = "sameboat.checkin.queue.";
  var root = document.documentElement;

  function pruneQueues() {
    try {
      var storage = window.localStorage;
      var keys = [];
      for (var i = 0; i < storage.length; i += 1) { keys.push(storage.key(i)); }
      keys.filter(function (key) { return key && key.indexOf(QUEUE_PREFIX) === 0; }).forEach(function (key) {
        var items;
        try { items = JSON.parse(storage.getItem(key) || "[]"); } catch (e) { items = []; }
        var waiting = (Array.isArray(items) ? items : []).filter(function (item) {
          return item && (!item.state || item.state === "waiting" || item.state === "sending");
        });
        if (waiting.length) { storage.setItem(key, JSON.stringify(waiting)); } else { storage.removeItem(key); }
      });
    } catch (e) {
      // No storage (private mode, disabled): nothing was kept either.
    }
  }

  function dropCaches() {
    // Cache storage exists only in a secure context, as service workers do.
    if (!window.caches || typeof window.caches.keys !== "function") { return Promise.resolve(); }
    return window.caches.keys().then(function (keys) {
      return Promise.all(keys
        .filter(function (key) { return key.indexOf(CACHE_PREFIX) === 0; })
        .map(function (key) { return window.caches.delete(key); }));
    });
  }

  pruneQueues();
  dropCaches()
    .catch(function () { return undefined; })
    .then(function () { root.setAttribute("data-offline-forgotten", "true"); });
})();
