// Display conditions of the application form: a field shows only when an earlier answer
// equals / includes / is greater than a value. The server applies the same rule (formspec.py)
// to decide what is required, so this script only spares people irrelevant questions.
(() => {
  const form = document.querySelector(".eq-answers-form");
  if (!form) return;

  const answer = (key) => {
    const inputs = form.querySelectorAll(`[name="${key}"]`);
    const values = [];
    inputs.forEach((input) => {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.value !== "") values.push(input.value);
    });
    return values;
  };

  const holds = (element) => {
    const values = answer(element.dataset.conditionKey);
    const expected = element.dataset.conditionValue;
    if (!values.length) return false;
    switch (element.dataset.conditionOperator) {
      case "equals": return values[0] === expected;
      case "includes": return values.some((v) => v.toLowerCase().includes(expected.toLowerCase()));
      case "greater": return parseFloat(values[0].replace(",", ".")) > parseFloat(expected.replace(",", "."));
      default: return true;
    }
  };

  const refresh = () => {
    form.querySelectorAll("[data-condition-key]").forEach((element) => {
      element.hidden = !holds(element);
    });
  };
  form.addEventListener("change", refresh);
  // An autosave may swap a field back in (a conflicting edit): keep conditions applied.
  document.body.addEventListener("htmx:oobAfterSwap", refresh);
  refresh();
})();
