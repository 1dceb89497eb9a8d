// Service worker of the hall's installable web app: the hall's shell works offline,
// everything personal always comes from the network.
const CACHE = "hrss-hall-v1";
const SHELL = ["/hall/", "/static/hrss/site.css", "/static/servicehall/hall.css", "/static/servicehall/hall.js"];
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))));
});
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
  } else if (url.pathname === "/hall/") {
    event.respondWith(fetch(event.request).catch(() => caches.match("/hall/")));
  }
});
