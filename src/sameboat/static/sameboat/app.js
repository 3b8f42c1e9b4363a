// Sameboat page behaviour. No inline scripts anywhere (the CSP forbids them): pages
// declare behaviour with data- attributes and this file wires it up. Every page also
// works without JavaScript: these are conveniences on top of real links and forms.
(function () {
  "use strict";

  // <select data-autosubmit>: submit the form as soon as the choice changes.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (typeof el.form.requestSubmit === "function") {
        el.form.requestSubmit();
      } else {
        el.form.submit();
      }
    }
  });

  // data-confirm="message" on a form (or on its submit button): ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message =
      (submitter && submitter.getAttribute("data-confirm")) ||
      (form && form.getAttribute && form.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Links with data-confirm (rare: most destructive actions are forms).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-confirm]");
    if (link && !window.confirm(link.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Organisation tree: [data-tree-toggle] links load the children once (htmx GET of the
  // tree_children partial) and then just show or hide them. Without JS the link opens
  // a page listing the children.
  function setExpanded(toggle, box, open) {
    box.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.classList.toggle("open", open);
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-tree-toggle]");
    if (!toggle || !window.htmx) {
      return;
    }
    var box = document.getElementById(toggle.getAttribute("data-target"));
    if (!box) {
      return;
    }
    event.preventDefault();
    if (toggle.getAttribute("data-loaded") === "1") {
      setExpanded(toggle, box, box.hidden);
      return;
    }
    if (toggle.getAttribute("data-loading") === "1") {
      return;
    }
    toggle.setAttribute("data-loading", "1");
    toggle.classList.add("loading");
    window.htmx.ajax("GET", toggle.getAttribute("href"), { target: box, swap: "innerHTML" })
      .then(function () {
        toggle.setAttribute("data-loaded", "1");
        setExpanded(toggle, box, true);
      })
      .finally(function () {
        toggle.removeAttribute("data-loading");
        toggle.classList.remove("loading");
      });
  });

  // Buttons with data-disable-on-submit stop a double submission (a slow upload, say).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.querySelectorAll) {
      return;
    }
    form.querySelectorAll("[data-disable-on-submit]").forEach(function (button) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();
