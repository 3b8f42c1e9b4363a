/* Sameboat's service worker: keeps the check-in page and its static files available
   offline. Submissions made offline are queued by checkin.js, not here. */
"use strict";
const CACHE = "sameboat-checkin-v1";
const SHELL = ["/health/checkin/"];

self.addEventListener("install", (event) => {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).catch(() => undefined));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function remember(request, response) {
  if (response && response.ok) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname.startsWith("/health/checkin")) {
    // Network first, so the page is fresh when online; the last copy when offline.
    event.respondWith(
      fetch(request).then((response) => remember(request, response))
        .catch(() => caches.match(request).then((hit) => hit || caches.match("/health/checkin/")))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    // Static files have content hashes in their names: cache first is safe.
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((r) => remember(request, r))));
  }
});
