/* Sameboat's service worker (served as /health/sw.js with Service-Worker-Allowed: /health/).

   It keeps the check-in page and its static files on the phone so that the page opens
   without a connection. It never touches POSTs: answers given offline are queued by
   checkin.js and sent to the API when the connection returns.

   - Navigations to /health/checkin/ (the person's own page): network first (always fresh
     online), the last copy when offline. A page about someone else (an officer's
     ?employee=, or anything the server marks no-store) is never stored: it would stay on
     the phone after the officer logs out. The login page (forget.js) drops these caches.
   - /static/: cache first for fingerprinted names (name.0123456789ab.css, immutable),
     network first otherwise (a development server's unhashed names change in place).
   - Bump VERSION whenever this file's caching changes: old caches are dropped on activate. */
"use strict";

const VERSION = "v3";  // v3: earlier versions may hold pages about other people
const PREFIX = "sameboat-checkin-";
const CACHE = PREFIX + VERSION;
const SHELL = "/health/checkin/";
const STATIC = "/static/";
const USER_KEY = "/health/__sameboat_user__";
const HASHED = /\.[0-9a-f]{12}\.[A-Za-z0-9]+$/;

function usable(response) {
  // A redirect (to the login page, say) must never be stored as the check-in page, nor
  // anything the server says is not to be kept (pages about another person).
  return Boolean(response) && response.ok && !response.redirected && response.type === "basic"
    && !/no-store/i.test(response.headers.get("Cache-Control") || "");
}

function store(request, response) {
  if (usable(response)) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(request, copy)).catch(() => undefined);
  }
  return response;
}

function precacheShell() {
  return fetch(SHELL, { credentials: "same-origin", cache: "no-store" })
    .then((response) => (usable(response) ? caches.open(CACHE).then((cache) => cache.put(SHELL, response)) : undefined))
    .catch(() => undefined);
}

function isOwnCheckinPage(url) {
  return url.pathname === SHELL && !url.search;
}

self.addEventListener("install", (event) => {
  event.waitUntil(precacheShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

// Messages from checkin.js: the static files the page uses (fetched before this worker
// controlled it), and who is logged in (another person on the same phone must not get the
// previous person's page from the cache).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "precache" && Array.isArray(data.urls)) {
    event.waitUntil(
      caches.open(CACHE).then((cache) => Promise.all(
        data.urls
          .map((raw) => new URL(raw, self.location.origin))
          .filter((url) => url.origin === self.location.origin && url.pathname.startsWith(STATIC))
          .map((url) => cache.match(url.href).then((hit) => hit || fetch(url.href).then((response) => {
            if (usable(response)) { return cache.put(url.href, response); }
            return undefined;
          })).catch(() => undefined))
      ))
    );
  } else if (data.type === "user") {
    const user = String(data.user || "");
    event.waitUntil(
      caches.open(CACHE).then((cache) => cache.match(USER_KEY)
        .then((hit) => (hit ? hit.text() : null))
        .then((previous) => {
          if (previous === null || previous === user) { return cache.put(USER_KEY, new Response(user)); }
          return cache.keys()
            .then((requests) => Promise.all(requests
              .filter((request) => new URL(request.url).pathname.startsWith("/health/"))
              .map((request) => cache.delete(request))))
            .then(() => cache.put(USER_KEY, new Response(user)))
            .then(precacheShell);
        }))
    );
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }

  // An officer's page for someone else (?employee=) is left to the network alone: never
  // stored, and never answered with one's own page.
  if (request.mode === "navigate" && isOwnCheckinPage(url)) {
    event.respondWith(
      fetch(request)
        .then((response) => store(request, response))
        .catch(() => caches.match(request, { ignoreVary: true })
          .then((hit) => hit || caches.match(SHELL, { ignoreVary: true }))
          .then((hit) => hit || Response.error()))
    );
    return;
  }

  if (url.pathname.startsWith(STATIC)) {
    if (HASHED.test(url.pathname)) {
      event.respondWith(
        caches.match(request, { ignoreVary: true }).then((hit) => hit || fetch(request).then((response) => store(request, response)))
      );
    } else {
      event.respondWith(
        fetch(request)
          .then((response) => store(request, response))
          .catch(() => caches.match(request, { ignoreVary: true }).then((hit) => hit || Response.error()))
      );
    }
  }
});
