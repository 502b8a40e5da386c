// Desk behaviour that needs script. No inline scripts (CSP): everything here.
// - the CSRF token header on htmx requests;
// - a warning before leaving a page with unsaved edits (a form is dirty after
//   input, clean again after a successful save);
// - unsaved text in other forms of a block survives that block's re-render;
// - the live character count of the Quick summary;
// - checklist links focus their field.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');

  document.addEventListener("htmx:configRequest", function (event) {
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });

  // --- unsaved changes ---------------------------------------------------------
  var dirty = new Set();

  function guardedForm(el) {
    return el && el.closest ? el.closest("form[data-guard]") : null;
  }

  document.addEventListener("input", function (event) {
    var form = guardedForm(event.target);
    if (form && form.id) { dirty.add(form.id); }
  });

  // A plain (non-htmx) submit leaves the page on purpose.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id && !form.hasAttribute("hx-post")) { dirty.delete(form.id); }
  });

  // Before a block is swapped, remember unsaved text in its *other* forms, then
  // put it back into the new markup: saving one takeaway must not wipe the
  // half-typed text of the next one.
  var kept = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    var source = guardedForm(elt);
    // "Use theirs" throws the unsaved text of that block away, on purpose.
    var discard = elt && elt.hasAttribute && elt.hasAttribute("data-discard");
    var ok = event.detail.xhr && event.detail.xhr.status < 300;
    kept = [];
    if (!target || !target.querySelectorAll) { return; }
    target.querySelectorAll("form[data-guard]").forEach(function (form) {
      if (!form.id || !dirty.has(form.id)) { return; }
      if (discard) { dirty.delete(form.id); return; }
      if (source && form.id === source.id) {
        // Saved: clean. Refused (422/409): the server echoes the text back.
        if (ok) { dirty.delete(form.id); }
        return;
      }
      var values = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.type !== "hidden" && el.type !== "submit") {
          values[el.name] = el.value;
        }
      });
      kept.push({ id: form.id, values: values });
    });
  });

  document.addEventListener("htmx:afterSwap", function () {
    (kept || []).forEach(function (entry) {
      var form = document.getElementById(entry.id);
      if (!form) { return; }
      Object.keys(entry.values).forEach(function (name) {
        var el = form.elements.namedItem(name);
        if (el && "value" in el) { el.value = entry.values[name]; }
      });
    });
    kept = null;
    updateCounts(document);
  });

  window.addEventListener("beforeunload", function (event) {
    // Only forms still on the page count (a removed item is not unsaved work).
    var pending = Array.from(dirty).filter(function (id) {
      return document.getElementById(id);
    });
    if (pending.length > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- character counts --------------------------------------------------------
  function updateCount(field) {
    var out = document.getElementById(field.getAttribute("data-count"));
    if (!out) { return; }
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    var value = out.querySelector(".count-value");
    if (value) { value.textContent = String(field.value.length); }
    out.classList.toggle("over", field.value.length > limit);
  }

  function updateCounts(root) {
    root.querySelectorAll("[data-count][data-limit]").forEach(updateCount);
  }

  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-count")) {
      updateCount(event.target);
    }
  });

  // --- checklist links focus their field ---------------------------------------
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-focus]");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("data-focus"));
    if (field) {
      event.preventDefault();
      if (!field.matches("input, textarea, select, button, a, [tabindex]")) {
        field.setAttribute("tabindex", "-1");
      }
      field.scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
      history.replaceState(null, "", "#" + field.id);
    }
  });

  document.addEventListener("DOMContentLoaded", function () { updateCounts(document); });
})();

// --- presence ------------------------------------------------------------------
// The ping form (#presence-form) polls by itself (hx-trigger "every Ns"); here we
// tell it which block the writer is in, ping at once when that changes, and
// say goodbye when the page goes away so colleagues stop seeing us at once.
(function () {
  "use strict";
  var current = "";

  function blockKey(el) {
    var block = el && el.closest ? el.closest('[id$="-block"]') : null;
    if (!block) { return ""; }
    var section = block.id.match(/^section-(\d+)-block$/);
    return section ? "section:" + section[1] : block.id.replace(/-block$/, "");
  }

  document.addEventListener("focusin", function (event) {
    var form = document.getElementById("presence-form");
    var field = document.getElementById("presence-block");
    var key = blockKey(event.target);
    if (!form || !field || key === current) { return; }
    current = key;
    field.value = key;
    if (window.htmx) { window.htmx.trigger(form, "presence-moved"); }
  });

  window.addEventListener("pagehide", function () {
    var form = document.getElementById("presence-form");
    if (!form || !navigator.sendBeacon) { return; }
    var data = new FormData();
    var token = form.querySelector('input[name="csrf_token"]');
    if (token) { data.append("csrf_token", token.value); }
    navigator.sendBeacon(form.getAttribute("data-leave"), data);
  });
})();
