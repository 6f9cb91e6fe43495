// Forms: focus the error summary of a refused form, take the reader from a summary link to its
// field, and warn before leaving a page whose marked forms hold unsaved text. Every form works
// without this file.
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-eq-error-summary]");
    if (summary) summary.focus();
  }

  function fieldFor(anchor) {
    var id = decodeURIComponent(anchor.slice(1));
    return document.getElementById(id) || document.querySelector('[id^="' + id + '_"]');
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-eq-error-summary] a[href^='#']");
    if (!link) return;
    var field = fieldFor(link.getAttribute("href"));
    if (!field) return;
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  });

  // Unsaved text: forms marked data-eq-warn-unsaved whose text differs from what was loaded.
  function isDirty(form) {
    return Array.prototype.some.call(form.querySelectorAll("textarea, input[type=text]"),
      function (input) { return input.value !== input.defaultValue; });
  }
  var leaving = false;
  document.addEventListener("submit", function (event) {
    // A marked form sent without htmx saves what is typed: no warning for the page it leaves.
    var form = event.target;
    if (form.hasAttribute("data-eq-warn-unsaved") && !form.hasAttribute("hx-post")) leaving = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (leaving) return;
    var forms = document.querySelectorAll("form[data-eq-warn-unsaved]");
    if (Array.prototype.some.call(forms, isDirty)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
