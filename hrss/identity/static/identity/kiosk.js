// Self-service kiosk (自助一体机): after a spell without a touch or key press, a signed-in
// person is signed out and the kiosk returns to its start; a warning counts down first.
// The limit comes from HRSS_KIOSK_IDLE_SECONDS (data-kiosk-timeout); the server ends the
// session on its own as well (KioskSessionMiddleware).
(function () {
  "use strict";
  // The kiosk camera's capture agent hands over the reference of its stored liveness capture.
  window.hrssFaceCaptured = function (reference) {
    var field = document.getElementById("id_face_reference");
    if (field) { field.value = reference; }
  };
  var banner = document.querySelector("[data-kiosk-timeout]");
  if (!banner) return;
  var limit = parseInt(banner.getAttribute("data-kiosk-timeout"), 10) || 120;
  var warnAt = Math.max(limit - 30, Math.ceil(limit / 2));
  var home = banner.getAttribute("data-home-url") || "/";
  var countdown = banner.querySelector("[data-countdown]");
  var idle = 0;
  var leaving = false;
  function reset() { idle = 0; banner.hidden = true; }
  ["pointerdown", "keydown", "touchstart", "scroll", "input"].forEach(function (name) {
    document.addEventListener(name, reset, { passive: true, capture: true });
  });
  function leave() {
    if (leaving) return;
    var form = banner.querySelector("form[data-kiosk-signout]");
    if (form) { leaving = true; form.submit(); return; }
    if (window.location.pathname !== home) { leaving = true; window.location.assign(home); return; }
    reset();  // already at the start and nobody signed in: stay
  }
  setInterval(function () {
    idle += 1;
    if (idle >= warnAt) {
      banner.hidden = false;
      if (countdown) { countdown.textContent = String(Math.max(limit - idle, 0)); }
    }
    if (idle >= limit) { leave(); }
  }, 1000);
})();
