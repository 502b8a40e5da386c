// Comment threads (templates/desk/_comments.html). Without script every form is
// open (css/comments.css); with it, `Add comment` and `Reply` open their form, and
// `Add comment` takes the words selected in its block as the quote.
(function () {
  "use strict";

  // The words selected in a block, read when the button is pressed (before
  // the click moves focus and the selection away).
  function selectedIn(block) {
    var el = document.activeElement;
    if (el && block.contains(el) && typeof el.selectionStart === "number" &&
        (el.tagName === "TEXTAREA" || el.tagName === "INPUT") &&
        el.selectionEnd > el.selectionStart) {
      return el.value.slice(el.selectionStart, el.selectionEnd);
    }
    var sel = window.getSelection && window.getSelection();
    if (sel && sel.rangeCount && !sel.isCollapsed &&
        block.contains(sel.anchorNode) && block.contains(sel.focusNode)) {
      return sel.toString();
    }
    return "";
  }

  var lastSelection = {};

  document.addEventListener("pointerdown", function (event) {
    var button = event.target.closest && event.target.closest("[data-quote-from]");
    if (!button) { return; }
    var block = button.closest(".section-block, .block");
    lastSelection[button.getAttribute("aria-controls")] = block ? selectedIn(block) : "";
  }, true);

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-reveal]");
    if (!button) { return; }
    var form = document.getElementById(button.getAttribute("aria-controls"));
    if (!form) { return; }
    var opening = form.classList.contains("collapsed");
    form.classList.toggle("collapsed", !opening);
    button.setAttribute("aria-expanded", opening ? "true" : "false");
    if (!opening) { return; }
    var id = button.getAttribute("aria-controls");
    var words = lastSelection[id];
    if (words === undefined) {
      var block = button.closest(".section-block, .block");
      words = block && button.hasAttribute("data-quote-from") ? selectedIn(block) : "";
    }
    delete lastSelection[id];
    var quote = form.querySelector('input[name="quote"]');
    if (quote && words) { quote.value = words.replace(/\s+/g, " ").trim().slice(0, 500); }
    var text = form.querySelector("textarea");
    if (text) { text.focus(); }
  });
})();
