// Assessment form enhancements: live character counters and a visible message when a save
// fails (the typed text stays in the form). Everything works without JavaScript.
(function () {
  "use strict";

  function updateCounter(textarea) {
    var counter = document.getElementById(textarea.dataset.eqCounter);
    if (!counter) return;
    var max = textarea.maxLength;
    // Line breaks count as one character, as on the server.
    var count = textarea.value.replace(/\r\n/g, "\n").length;
    counter.textContent = counter.dataset.template
      .replace("{count}", count)
      .replace("{max}", max);
    counter.classList.toggle("eq-counter--near", max > 0 && count >= max * 0.9);
  }

  function initCounters(root) {
    root.querySelectorAll("textarea[data-eq-counter]").forEach(function (textarea) {
      if (textarea.dataset.eqCounterReady) return;
      textarea.dataset.eqCounterReady = "1";
      updateCounter(textarea);
      textarea.addEventListener("input", function () { updateCounter(textarea); });
    });
  }

  function showFailure(event) {
    var form = event.detail.elt.closest("form");
    var status = form && form.querySelector("[role=status]");
    if (!status) return;
    // Messages come translated from the page (#eq-messages), not from this file.
    var messages = document.getElementById("eq-messages");
    if (!messages) return;
    var code = event.detail.xhr ? event.detail.xhr.status : 0;
    status.textContent = code === 403 ? messages.dataset.forbidden : messages.dataset.failed;
    status.classList.add("fr-error-text");
  }

  if (window.htmx) {
    window.htmx.onLoad(initCounters);
  } else {
    document.addEventListener("DOMContentLoaded", function () { initCounters(document); });
  }
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);
})();
