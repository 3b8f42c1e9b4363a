// The searchable picker (core.widgets.PickerInput): <input data-picker="search-url">.
// Without this script the input is a plain text box and the server resolves what was typed.
// With it, a visible box searches as the person types and a listbox (ARIA 1.2 combobox)
// offers the matches: arrows move, Enter or a tap chooses, Escape closes. The original input
// becomes hidden and carries the chosen code (or, until something is chosen, the typed
// text, which the server resolves as without the script). No inline script or style.
(function () {
  "use strict";

  var DELAY = 150; // ms after the last keystroke before searching
  var counter = 0;

  function enhance(field) {
    if (field.getAttribute("data-picker-ready")) {
      return;
    }
    field.setAttribute("data-picker-ready", "1");
    counter += 1;
    var url = field.getAttribute("data-picker");
    var listId = (field.id || "picker" + counter) + "-options";
    var wrap = document.createElement("div");
    wrap.className = "picker";
    var box = document.createElement("input");
    box.type = "text";
    box.className = field.className;
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", listId);
    box.setAttribute("autocomplete", "off");
    box.setAttribute("spellcheck", "false");
    ["aria-describedby", "aria-invalid", "placeholder", "required"].forEach(function (name) {
      if (field.hasAttribute(name)) {
        box.setAttribute(name, field.getAttribute(name));
      }
    });
    box.value = field.getAttribute("data-picker-label") || field.value;
    // The label keeps pointing at what the person types in.
    if (field.id) {
      box.id = field.id;
      field.id = field.id + "-value";
    }
    box.setAttribute("data-testid", "picker-" + field.name);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    field.parentNode.insertBefore(wrap, field);
    wrap.appendChild(box);
    wrap.appendChild(list);
    wrap.appendChild(field);
    field.type = "hidden";

    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      options.forEach(function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        box.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }

    function choose(li) {
      field.value = li.getAttribute("data-value");
      box.value = li.getAttribute("data-label");
      close();
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(results) {
      list.textContent = "";
      options = results.map(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-value", item.value);
        li.setAttribute("data-label", item.label);
        li.setAttribute("data-testid", "picker-option-" + item.value);
        var name = document.createElement("span");
        name.className = "picker-name";
        name.textContent = item.label;
        var detail = document.createElement("span");
        detail.className = "picker-detail";
        detail.textContent = item.detail;
        li.appendChild(name);
        li.appendChild(detail);
        list.appendChild(li);
        return li;
      });
      if (!options.length) {
        var none = document.createElement("li");
        none.className = "picker-none";
        none.textContent = field.getAttribute("data-picker-none") || "—";
        list.appendChild(none);
      }
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      mark(-1);
    }

    function search() {
      var text = box.value.trim();
      if (!text) {
        close();
        return;
      }
      asked += 1;
      var ticket = asked;
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          // Only the answer to the latest keystroke is shown.
          if (ticket === asked && document.activeElement === box) {
            show(data.results || []);
          }
        })
        .catch(close);
    }

    box.addEventListener("input", function () {
      // Until something is chosen, the typed text goes to the server as it is.
      field.value = box.value;
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });

    box.addEventListener("keydown", function (event) {
      var open = !list.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) {
          search();
        } else if (open) {
          mark(active < options.length - 1 ? active + 1 : 0);
        }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        mark(active > 0 ? active - 1 : options.length - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        // Enter chooses the highlighted organisation rather than submitting the form.
        event.preventDefault();
        choose(options[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    // mousedown, not click: choosing must happen before the box loses focus and closes.
    list.addEventListener("mousedown", function (event) {
      var li = event.target.closest("[role=option]");
      event.preventDefault();
      if (li) {
        choose(li);
      }
    });

    box.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
  }

  function enhanceAll(root) {
    var fields = (root || document).querySelectorAll("input[data-picker]");
    Array.prototype.forEach.call(fields, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll(document);
    });
  } else {
    enhanceAll(document);
  }
  // Partials that htmx swaps in may carry pickers too.
  document.addEventListener("htmx:afterSwap", function (event) {
    enhanceAll(event.target);
  });
})();
