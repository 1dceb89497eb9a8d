/* Site-wide behaviour loaded by base.html.
 *
 * htmx drops 4xx answers by default, so a form that answers 422 (invalid input), 409
 * (conflict) or 400 showed nothing at all. Our pages answer a refused htmx request with a
 * partial that says why (the form's errors, or the error message), meant to be shown in
 * place: swap every 4xx answer like a 200. 5xx answers stay unswapped (htmx logs them).
 */
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status >= 400 && status < 500) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Tables become cards on narrow screens (site.css, table.stack): every body cell gets its
// column's name as data-label, unless the template wrote one. Tables whose header spans
// columns (colspan) keep their layout and scroll sideways instead.
(function () {
  "use strict";
  document.querySelectorAll("main table").forEach(function (table) {
    var head = table.tHead && table.tHead.rows.length === 1 ? table.tHead.rows[0] : null;
    if (!head || head.querySelector("[colspan]")) return;
    var names = Array.prototype.map.call(head.cells, function (cell) { return cell.textContent.trim(); });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        if (row.querySelector("[colspan]")) return;
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          if (!cell.hasAttribute("data-label") && names[index]) cell.setAttribute("data-label", names[index]);
        });
      });
    });
    table.classList.add("stack");
  });
})();

// On a phone the header menu (some twenty links for a signed-in citizen) would come before
// the page: fold it behind the "Menu" button base.html draws hidden. Without JavaScript
// the button stays hidden and the menu open. The button says whether the menu is open
// (aria-expanded); Escape closes it and gives the focus back to the button.
(function () {
  "use strict";
  var nav = document.querySelector("nav.site-nav");
  var button = nav && nav.querySelector(".menu-toggle");
  if (!button) return;
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  }
  button.hidden = false;
  nav.classList.add("collapsible");
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" && getComputedStyle(button).display !== "none") {
      setOpen(false);
      button.focus();
    }
  });
})();
