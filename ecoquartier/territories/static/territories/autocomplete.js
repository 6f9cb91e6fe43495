// Territory picker: turns the no-JS codes input of TerritoryWidget into an accessible combobox
// (ARIA 1.2 combobox + listbox pattern) whose choices become removable DSFR tags.
// The listbox options come from the htmx partial /territoires/autocomplete/.
(() => {
  "use strict";

  const MIN_LENGTH = 2;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
  }

  function enhance(picker) {
    if (picker.dataset.eqPickerReady) return;
    picker.dataset.eqPickerReady = "true";

    const fallback = picker.querySelector("[data-eq-picker-fallback]");
    const enhanced = picker.querySelector("[data-eq-picker-enhanced]");
    const search = picker.querySelector("[data-eq-picker-search]");
    const listbox = picker.querySelector("[role=listbox]");
    const tags = picker.querySelector("[data-eq-picker-tags]");
    const status = picker.querySelector("[data-eq-picker-status]");
    const multiple = picker.dataset.multiple === "true";
    const messages = picker.dataset;
    let active = -1;

    // The label and the hints now describe the combobox; the codes input leaves the form.
    for (const attribute of ["id", "aria-describedby", "aria-invalid"]) {
      if (fallback.hasAttribute(attribute)) {
        search.setAttribute(attribute, fallback.getAttribute(attribute));
      }
    }
    fallback.remove();
    enhanced.hidden = false;
    for (const input of tags.querySelectorAll("input[type=hidden]")) input.disabled = false;
    const group = picker.closest("[data-eq-picker-group]");
    if (group) {
      for (const hint of group.querySelectorAll("[data-eq-picker-hint]")) {
        hint.hidden = hint.dataset.eqPickerHint !== "js";
      }
    }

    const options = () => Array.from(listbox.querySelectorAll("[role=option]"));
    const isOpen = () => search.getAttribute("aria-expanded") === "true";

    function announce(text) {
      status.textContent = text;
    }

    function open() {
      listbox.hidden = false;
      search.setAttribute("aria-expanded", "true");
    }

    function close() {
      listbox.hidden = true;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function activate(index) {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((option, i) => {
        const selected = i === active;
        option.setAttribute("aria-selected", String(selected));
        option.classList.toggle("eq-picker__option--active", selected);
      });
      search.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function selectedValues() {
      return Array.from(tags.querySelectorAll("input[type=hidden]"), (input) => input.value);
    }

    function choose(option) {
      const { value, label } = option.dataset;
      if (!multiple) tags.replaceChildren();
      if (!selectedValues().includes(value)) tags.append(tag(value, label));
      search.value = "";
      close();
      announce(format(messages.msgAdded, { label }));
      search.focus();
    }

    function tag(value, label) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "fr-tag fr-tag--dismiss";
      button.dataset.eqPickerRemove = "";
      button.setAttribute("aria-label", format(messages.msgRemove, { label }));
      button.textContent = label;
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = picker.dataset.name;
      input.value = value;
      item.append(button, input);
      return item;
    }

    function remove(button) {
      const item = button.closest("li");
      const next = item.nextElementSibling || item.previousElementSibling;
      const label = button.textContent.trim();
      item.remove();
      announce(format(messages.msgRemoved, { label }));
      (next ? next.querySelector("button") : search).focus();
    }

    // htmx sends the query as `q`; the combobox has no name so it never reaches the form.
    search.addEventListener("htmx:configRequest", (event) => {
      event.detail.parameters.q = search.value;
    });
    search.addEventListener("htmx:beforeRequest", (event) => {
      if (search.value.trim().length < MIN_LENGTH) {
        event.preventDefault();
        close();
      }
    });
    listbox.addEventListener("htmx:afterSwap", () => {
      if (search.value.trim().length < MIN_LENGTH) {
        close(); // an answer that arrived after a choice emptied the combobox
        return;
      }
      const all = options();
      all.forEach((option, i) => {
        option.id = `${listbox.id}-option-${i}`;
      });
      active = -1;
      if (all.length) {
        open();
        announce(format(messages.msgSome, { n: all.length }));
      } else {
        close();
        announce(messages.msgNone);
      }
    });

    search.addEventListener("keydown", (event) => {
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp":
          if (!options().length) return;
          event.preventDefault();
          if (!isOpen()) open();
          if (event.key === "ArrowDown") activate(active + 1);
          else activate(active === -1 ? -1 : active - 1); // from the input, Up goes to the last

          break;
        case "Enter":
          // Never submit the form while the list is open: Enter picks the active option.
          if (isOpen()) {
            event.preventDefault();
            if (active >= 0) choose(options()[active]);
          }
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            close();
          } else {
            search.value = "";
          }
          break;
      }
    });
    search.addEventListener("input", () => {
      if (search.value.trim().length < MIN_LENGTH) close();
    });
    search.addEventListener("blur", () => close());

    // Keep the focus in the combobox while clicking an option.
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) choose(option);
    });

    // Capture phase: the DSFR's own dismissible-tag handler would remove the button alone and
    // leave its hidden input behind, so handle the click here and stop it.
    tags.addEventListener(
      "click",
      (event) => {
        const button = event.target.closest("[data-eq-picker-remove]");
        if (!button) return;
        event.preventDefault();
        event.stopPropagation();
        remove(button);
      },
      true,
    );
  }

  function enhanceAll(root) {
    for (const picker of root.querySelectorAll("[data-eq-picker]")) enhance(picker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  } else {
    enhanceAll(document);
  }
  // Pickers inside content swapped in by htmx.
  document.addEventListener("htmx:load", (event) => enhanceAll(event.target));
})();
