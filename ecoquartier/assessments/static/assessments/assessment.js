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

  // Autosave (a change of level or text saves the commitment) swaps the commitment's block for
  // the saved one. What the person typed or picked since the request left stays in the page,
  // unsaved (the next change saves it), with the focus and caret where they were.
  var typing = {};

  function fieldsOf(block) {
    return {
      text: block.querySelector("textarea"),
      level: block.querySelector("input[type=radio]:checked"),
    };
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-eq-warn-unsaved]")) return;
    var fields = fieldsOf(form);
    form.dataset.eqSentText = fields.text ? fields.text.value : "";
    form.dataset.eqSentLevel = fields.level ? fields.level.value : "";
  });

  // A save queued while another was on its way belongs to the form that answer replaced: send
  // the current form instead (its revision is the saved one, its fields what is on screen).
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-eq-warn-unsaved]")) return;
    if (document.body.contains(form)) return;
    event.preventDefault();
    var block = document.querySelector(form.getAttribute("hx-target"));
    var fresh = block && block.querySelector("form[data-eq-warn-unsaved]");
    if (fresh && window.htmx) window.htmx.trigger(fresh, "submit");
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var block = event.detail.target;
    var form = block && block.querySelector && block.querySelector("form[data-eq-warn-unsaved]");
    if (!form || form.dataset.eqSentText === undefined) return;
    var fields = fieldsOf(form);
    var state = {};
    if (fields.text && fields.text.value !== form.dataset.eqSentText) {
      state.text = fields.text.value;
    }
    if (fields.level && fields.level.value !== form.dataset.eqSentLevel) {
      state.level = fields.level.id;
    }
    if (fields.text && document.activeElement === fields.text) {
      state.focus = [fields.text.id, fields.text.selectionStart, fields.text.selectionEnd];
    }
    typing[block.id] = state;
  });

  document.addEventListener("htmx:afterSettle", function () {
    Object.keys(typing).forEach(function (id) {
      var state = typing[id];
      delete typing[id];
      var block = document.getElementById(id);
      if (!block) return;
      var text = block.querySelector("textarea");
      if (text && state.text !== undefined) {
        text.value = state.text;
        updateCounter(text);
      }
      if (state.level) {
        var radio = document.getElementById(state.level);
        if (radio) radio.checked = true;
      }
      if (state.focus) {
        var focused = document.getElementById(state.focus[0]);
        if (focused) {
          focused.focus();
          focused.setSelectionRange(state.focus[1], state.focus[2]);
        }
      }
    });
  });

  if (window.htmx) {
    window.htmx.onLoad(initCounters);
  } else {
    document.addEventListener("DOMContentLoaded", function () { initCounters(document); });
  }
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);
})();
