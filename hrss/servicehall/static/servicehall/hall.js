// Service hall behaviour: register the service worker (installable app), and the kiosk's
// inactivity sign-out (自助一体机: a walk-away user is signed out after a warning).
(function () {
  "use strict";
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
  var banner = document.querySelector("[data-kiosk-timeout]");
  if (!banner) return;
  var limit = parseInt(banner.getAttribute("data-kiosk-timeout"), 10) || 120;
  var warnAt = Math.max(limit - 30, 1);
  var idle = 0;
  var countdown = banner.querySelector("[data-countdown]");
  function reset() { idle = 0; banner.hidden = true; }
  ["pointerdown", "keydown", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, reset, { passive: true });
  });
  function signOut() {
    var form = document.querySelector("form[data-signout]");
    if (form) { form.submit(); } else { window.location.href = banner.getAttribute("data-home-url"); }
  }
  setInterval(function () {
    idle += 1;
    if (idle >= warnAt) { banner.hidden = false; countdown.textContent = String(Math.max(limit - idle, 0)); }
    if (idle >= limit) { signOut(); }
  }, 1000);
})();
