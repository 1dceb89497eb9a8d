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
