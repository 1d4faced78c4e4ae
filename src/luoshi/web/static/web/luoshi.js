/* Small progressive enhancements; every page works without JavaScript. */
(function () {
  "use strict";
  function syncModes(group) {
    var name = group.getAttribute("data-mode-group");
    var checked = group.querySelector('input[name="' + name + '"]:checked');
    var mode = checked ? checked.value : "";
    group.querySelectorAll("[class*='mode-']").forEach(function (el) {
      var m = (el.className.match(/mode-([a-z]+)/) || [])[1];
      el.style.display = (m === mode) ? "" : "none";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-mode-group]").forEach(function (group) {
      syncModes(group);
      group.addEventListener("change", function () { syncModes(group); });
    });
    document.querySelectorAll("[data-confirm]").forEach(function (btn) {
      btn.addEventListener("click", function (ev) {
        if (!window.confirm(btn.getAttribute("data-confirm"))) { ev.preventDefault(); }
      });
    });
  });
})();
