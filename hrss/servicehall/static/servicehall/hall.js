// Service hall behaviour: register the service worker (installable app). The kiosk's
// inactivity sign-out is site-wide: identity/kiosk.js, included by base.html in kiosk mode.
(function () {
  "use strict";
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
})();
