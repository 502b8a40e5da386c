// Lead image uploads with htmx: show the progress of the upload in the form's
// <progress> element, and hide it again when the answer arrives. Without
// JavaScript the same form posts as multipart and the page reloads.
(function () {
  "use strict";

  function bar(form) {
    return form && form.hasAttribute && form.hasAttribute("data-upload")
      ? form.querySelector("progress.upload-progress")
      : null;
  }

  document.addEventListener("htmx:xhr:loadstart", function (event) {
    var progress = bar(event.target);
    if (progress) { progress.value = 0; progress.hidden = false; }
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var progress = bar(event.target);
    if (progress && event.detail.lengthComputable && event.detail.total) {
      progress.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var progress = bar(event.target);
    if (progress) { progress.hidden = true; }
  });
})();
