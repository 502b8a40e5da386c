// Desk behaviour that needs script: CSRF header on htmx requests, and a warning
// before leaving a page with unsaved edits. No inline scripts (CSP).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');

  document.addEventListener("htmx:configRequest", function (event) {
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });

  // A form is dirty once a field in it changes, and clean again once it saved.
  var dirty = new Set();
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-guard]");
    if (form) { dirty.add(form.id || form); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    dirty.delete(form.id || form);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form");
    if (form) { dirty.delete(form.id || form); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
