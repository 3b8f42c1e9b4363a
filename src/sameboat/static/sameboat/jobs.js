// Import page: hide "keep the valid rows" for the kinds that are always all or nothing
// (the server ignores it for them anyway). No inline script: the CSP forbids it.
(function () {
  "use strict";
  function setUp(select) {
    var noKeep = (select.getAttribute("data-no-keep-valid") || "").split(" ").filter(Boolean);
    var box = select.form && select.form.querySelector('input[name="keep_valid"]');
    if (!box) return;
    var field = box.closest(".field") || box.parentElement;
    function update() {
      var off = noKeep.indexOf(select.value) !== -1;
      field.hidden = off;
      if (off) box.checked = false;
    }
    select.addEventListener("change", update);
    update();
  }
  function init() {
    document.querySelectorAll("select[data-no-keep-valid]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
