// CheckGroup's view (mixedflows.widgets.checkgroup): groups of native checkboxes in one widget.
// Each group is a <fieldset> named by its <legend>; each option a native <input type=checkbox>
// inside its <label>, so Tab, Space, touch and screen readers work as the browser makes them.
// The DOM is built with createElement (no HTML strings); nothing is loaded from elsewhere.

function build(model, el) {
  const grid = document.createElement("div");
  grid.className = "mf-grid mf-checkgroup-grid";
  const inputs = new Map();
  for (const group of model.get("groups")) {
    const box = document.createElement("fieldset");
    box.className = `mf-dim-box mf-dim-${group.key}`;
    const legend = document.createElement("legend");
    legend.textContent = group.title;
    box.appendChild(legend);
    for (const option of group.options) {
      const row = document.createElement("div");
      row.className = `mf-check mf-ind-${option.css}`;
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.value = option.id;
      const text = document.createElement("span");
      text.textContent = option.label;
      label.append(input, text);
      row.appendChild(label);
      box.appendChild(row);
      inputs.set(option.id, input);
    }
    grid.appendChild(box);
  }
  el.replaceChildren(grid);
  return inputs;
}

function render({ model, el }) {
  el.classList.add("mf-checkgroup");
  let inputs = build(model, el);
  const ticks = () => {
    const on = new Set(model.get("value"));
    for (const [id, input] of inputs) input.checked = on.has(id);
  };
  const disable = () => {
    for (const input of inputs.values()) input.disabled = model.get("disabled");
  };
  const redraw = () => {
    inputs = build(model, el);
    ticks();
    disable();
  };
  // View -> model: every ticked id, in the options' order.
  const changed = (event) => {
    if (event.target.type !== "checkbox") return;
    model.set(
      "value",
      [...inputs].filter(([, input]) => input.checked).map(([id]) => id),
    );
    model.save_changes();
  };
  el.addEventListener("change", changed);
  model.on("change:value", ticks);
  model.on("change:disabled", disable);
  model.on("change:groups", redraw);
  ticks();
  disable();
  return () => {
    el.removeEventListener("change", changed);
    model.off("change:value", ticks);
    model.off("change:disabled", disable);
    model.off("change:groups", redraw);
  };
}

export default { render };
