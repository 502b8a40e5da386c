// Desk behaviour that needs script. No inline scripts (CSP): everything here.
// - the CSRF token header on htmx requests;
// - autosave of each block, One Save for all, retries, the "All changes saved"
//   summary, and a warning before leaving while something is really unsaved;
// - unsaved text in other parts of a block survives that block's re-render;
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

  // --- autosave, one Save for all, unsaved changes ------------------------------
  // Each block's fields live in an element marked data-autosave="<form>" that
  // posts itself with htmx ("input delay:1s, focusout, autosave-retry") and
  // swaps only its status line. Here: whether there is anything to save, one
  // request per block at a time, retries with backoff after a failure, the
  // header's summary and the leave-page prompt. Small forms of their own (Add
  // takeaway, the comment forms) are "dirty" after input, clean after a save.
  var blocks = {};  // form -> {edits, saved, sent, sentAll, inflight, failed, stuck, delay}
  var dirty = new Set();
  var saveAllInFlight = false;
  var lastSave = null;

  function entry(key) {
    if (!blocks[key]) {
      blocks[key] = { edits: 0, saved: 0, sent: 0, sentAll: 0, inflight: false,
                      failed: false, stuck: false, again: false, delay: 2000, timer: null };
    }
    return blocks[key];
  }

  function autosaving(el) {
    return el && el.closest ? el.closest("[data-autosave]") : null;
  }

  function guardedForm(el) {
    return el && el.closest ? el.closest("form[data-guard]") : null;
  }

  function unsaved(key) {
    var b = blocks[key];
    return !!b && (b.edits !== b.saved || b.inflight || b.stuck);
  }

  function summarize() {
    var out = document.getElementById("save-summary");
    if (!out) { return; }
    var keys = Object.keys(blocks).filter(function (key) {
      return document.querySelector('[data-autosave="' + key + '"]');
    });
    var text = "All changes saved";
    if (saveAllInFlight || keys.some(function (k) { return blocks[k].inflight; })) {
      text = "Saving…";
    } else if (keys.some(function (k) { return blocks[k].failed || blocks[k].stuck; })) {
      text = "Not saved";
    } else if (keys.some(unsaved)) {
      text = "Unsaved changes";
    }
    if (out.textContent !== text) { out.textContent = text; }
  }

  function statusOf(el) {
    var target = el.getAttribute("hx-target");
    return target ? document.querySelector(target) : null;
  }

  function showStatus(el, html) {
    var status = statusOf(el);
    if (status) { status.innerHTML = html; }
  }

  function later(key, delay) {
    var b = entry(key);
    clearTimeout(b.timer);
    b.timer = setTimeout(function () {
      var el = document.querySelector('[data-autosave="' + key + '"]');
      if (el && window.htmx) { window.htmx.trigger(el, "autosave-retry"); }
    }, delay);
  }

  document.addEventListener("input", function (event) {
    var block = autosaving(event.target);
    if (block) {
      var b = entry(block.getAttribute("data-autosave"));
      b.edits += 1;
      summarize();
      return;
    }
    var form = guardedForm(event.target);
    if (form && form.id) { dirty.add(form.id); }
  });

  // A plain (non-htmx) submit leaves the page on purpose.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id && !form.hasAttribute("hx-post")) { dirty.delete(form.id); }
    if (form.id === "editor-form") {
      lastSave = event.submitter ? event.submitter.id : null;
      if (!window.htmx) {  // a plain post: the page is left on purpose
        Object.keys(blocks).forEach(function (k) { blocks[k].saved = blocks[k].edits; });
      }
    }
  });

  // An autosave goes out only when its block has unsaved edits, no request of
  // its own is out, no Save of every block is out, and no conflict waits for
  // the writer's choice.
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-autosave")) { return; }
    var b = entry(elt.getAttribute("data-autosave"));
    if (b.inflight || saveAllInFlight) { b.again = true; event.preventDefault(); return; }
    if (b.stuck || b.edits === b.saved) { event.preventDefault(); }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.id === "editor-form") {
      saveAllInFlight = true;
      Object.keys(blocks).forEach(function (k) { blocks[k].sentAll = blocks[k].edits; });
      summarize();
      return;
    }
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-autosave")) { return; }
    var b = entry(elt.getAttribute("data-autosave"));
    clearTimeout(b.timer);
    b.inflight = true;
    b.again = false;
    b.sent = b.edits;
    showStatus(elt, '<span class="status-text status-saving">Saving…</span>');
    summarize();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    var code = event.detail.xhr ? event.detail.xhr.status : 0;
    if (elt && elt.id === "editor-form") {
      saveAllInFlight = false;
      if (code === 200 || code === 409 || code === 422) {
        Object.keys(blocks).forEach(function (key) {
          var b = blocks[key];
          var el = document.querySelector('[data-autosave="' + key + '"]');
          var refused = el && el.closest("[id$='-block']") &&
            el.closest("[id$='-block']").querySelector(".conflict, [aria-invalid='true']");
          b.stuck = !!refused;
          b.failed = false;
          if (!refused) { b.saved = Math.max(b.saved, b.sentAll); }
          if (!refused && b.edits !== b.saved) { later(key, 1000); }
        });
      } else {
        Object.keys(blocks).forEach(function (key) { if (unsaved(key)) { later(key, 2000); } });
      }
      summarize();
      return;
    }
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-autosave")) { return; }
    var key = elt.getAttribute("data-autosave");
    var b = entry(key);
    b.inflight = false;
    if (code === 200) {
      b.saved = b.sent;
      b.failed = false;
      b.stuck = false;
      b.delay = 2000;
      if (b.again || b.edits !== b.saved) { later(key, 1000); }
    } else if (code === 409 || code === 422) {
      // A conflict (the block now shows both versions) or a refused value
      // (the status says why): retrying would not help; the writer decides.
      b.failed = false;
      b.stuck = true;
    } else {
      // The server or the network failed: the text stays, and is retried.
      b.failed = true;
      showStatus(elt, '<span class="status-text status-failed">Not saved</span> ' +
        '<button type="button" class="retry" data-retry="' + key + '">Retry</button>');
      later(key, b.delay);
      b.delay = Math.min(b.delay * 2, 30000);
    }
    summarize();
  });

  // A block whose value was refused may autosave again once it is edited.
  document.addEventListener("input", function (event) {
    var block = autosaving(event.target);
    if (!block) { return; }
    var b = entry(block.getAttribute("data-autosave"));
    var status = statusOf(block);
    if (b.stuck && !(block.closest("[id$='-block']") || block).querySelector(".conflict")) {
      b.stuck = false;
    }
    if (status && status.querySelector(".status-error")) { status.innerHTML = ""; }
  });

  document.addEventListener("click", function (event) {
    var retry = event.target.closest && event.target.closest("button[data-retry]");
    if (!retry) { return; }
    Object.keys(blocks).forEach(function (key) {
      if (blocks[key].failed) { blocks[key].delay = 2000; later(key, 0); }
    });
  });

  // New version and digest of a block just autosaved, into its hidden fields
  // (and the small forms of its list), without touching what is being typed.
  document.addEventListener("block-saved", onBlockSaved);
  function onBlockSaved(event) {
    var d = event.detail || {};
    document.querySelectorAll('[data-version-of="' + d.block + '"]').forEach(function (el) {
      el.value = String(d.version);
    });
    var digest = document.querySelector('[data-digest-of="' + d.form + '"]');
    if (digest) { digest.value = d.digest; }
  }

  // Before a block is swapped, remember unsaved text in its other parts, then
  // put it back into the new markup: saving one takeaway must not wipe the
  // half-typed text of the next one.
  var kept = [];
  function keepUnsaved(target, source, discard, ok, typedSince) {
    if (!target || !target.querySelectorAll) { return; }
    target.querySelectorAll("form[data-guard], [data-autosave]").forEach(function (part) {
      var key = part.getAttribute("data-autosave");
      var pending = key ? (typedSince ? blocks[key] && blocks[key].edits !== blocks[key].sentAll : unsaved(key))
                        : dirty.has(part.id);
      if (!part.id || !pending) { return; }
      if (discard) {
        if (key) { blocks[key].saved = blocks[key].edits; blocks[key].stuck = false; }
        dirty.delete(part.id);
        return;
      }
      if (source && part.id === source.id) {
        // Saved: clean. Refused (422/409): the server echoes the text back.
        if (ok) { dirty.delete(part.id); }
        if (key) { blocks[key].saved = blocks[key].edits; }
        return;
      }
      var values = {};
      part.querySelectorAll("input[name], textarea[name], select[name]").forEach(function (el) {
        if (el.type !== "hidden" && el.type !== "submit") { values[el.name] = el.value; }
      });
      kept.push({ id: part.id, values: values });
    });
  }

  function restoreKept() {
    kept.forEach(function (entry) {
      var part = document.getElementById(entry.id);
      if (!part) { return; }
      Object.keys(entry.values).forEach(function (name) {
        var el = part.querySelector('[name="' + name + '"]');
        if (el && "value" in el) { el.value = entry.values[name]; }
      });
    });
    kept = [];
    updateCounts(document);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    var discard = elt && elt.hasAttribute && elt.hasAttribute("data-discard");
    var ok = event.detail.xhr && event.detail.xhr.status < 300;
    var target = event.detail.target;
    kept = [];
    // The block answering its own autosave (merged with a colleague's text,
    // or the conflict view) shows what the server holds: never put the
    // older text back over it.
    var source = guardedForm(elt) || autosaving(elt);
    keepUnsaved(target, source, discard, ok, false);
  });
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    // A Save of every block re-renders the blocks it saved: keep what was
    // typed into them while it was on its way.
    keepUnsaved(event.detail.target, null, false, true, true);
  });
  document.addEventListener("htmx:oobAfterSwap", restoreKept);
  document.addEventListener("htmx:afterSwap", restoreKept);

  document.addEventListener("htmx:afterSettle", function () {
    if (lastSave && !saveAllInFlight) {
      var button = document.getElementById(lastSave);
      if (button && document.activeElement === document.body) { button.focus(); }
      lastSave = null;
    }
    summarize();
  });

  window.addEventListener("beforeunload", function (event) {
    // Only what is still on the page counts (a removed item is not unsaved work).
    var forms = Array.from(dirty).filter(function (id) {
      return document.getElementById(id);
    });
    var parts = Object.keys(blocks).filter(function (key) {
      return unsaved(key) && document.querySelector('[data-autosave="' + key + '"]');
    });
    if (forms.length > 0 || parts.length > 0 || saveAllInFlight) {
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
