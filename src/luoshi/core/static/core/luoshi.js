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
    // Long requests (upload and recognise, export): show that work is under way and block a double submit.
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var note = document.createElement("div");
        note.className = "busy";
        note.setAttribute("role", "status");
        note.innerHTML = '<span class="busy-bar"></span>';
        note.appendChild(document.createTextNode(form.getAttribute("data-busy")));
        form.appendChild(note);
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      });
    });
    document.querySelectorAll("[data-confirm]").forEach(function (btn) {
      btn.addEventListener("click", function (ev) {
        if (!window.confirm(btn.getAttribute("data-confirm"))) { ev.preventDefault(); }
      });
    });
  });
})();
