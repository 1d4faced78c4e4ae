/* 讲话稿导入审核: link marks and rows, reflect the include box. The page works without it. */
(function () {
  "use strict";
  function hot(i, on) {
    ["m-" + i, "row-" + i].forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { el.classList.toggle("rv-hot", on); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("rv-form");
    if (!form) { return; }
    var count = document.getElementById("rv-count");
    form.querySelectorAll(".rv-row").forEach(function (row) {
      var i = row.getAttribute("data-row");
      row.addEventListener("mouseenter", function () { hot(i, true); });
      row.addEventListener("mouseleave", function () { hot(i, false); });
      var box = row.querySelector('input[name="t' + i + '-include"]');
      if (box) {
        box.addEventListener("change", function () {
          row.classList.toggle("rv-row-off", !box.checked);
          var mark = document.getElementById("m-" + i);
          if (mark) { mark.classList.toggle("mk-off", !box.checked); }
          if (count) {  /* rows on other pages keep their count (data-others) */
            var others = parseInt(count.getAttribute("data-others") || "0", 10);
            count.textContent = others + form.querySelectorAll('input[name$="-include"]:checked').length;
          }
        });
      }
    });
    document.querySelectorAll("#rv-doc-text .mk").forEach(function (mark) {
      var i = mark.getAttribute("data-row");
      mark.addEventListener("click", function (ev) {
        var row = document.getElementById("row-" + i);
        if (!row) { return; }
        ev.preventDefault();
        row.scrollIntoView({ behavior: "smooth", block: "center" });
        hot(i, true);
        setTimeout(function () { hot(i, false); }, 1500);
        var title = row.querySelector("textarea");
        if (title) { title.focus({ preventScroll: true }); }
      });
    });
    form.querySelectorAll(".rv-row .rv-num").forEach(function (link) {
      link.addEventListener("click", function (ev) {
        var mark = document.getElementById(link.getAttribute("href").slice(1));
        if (!mark) { return; }
        ev.preventDefault();
        mark.scrollIntoView({ behavior: "smooth", block: "center" });
        var i = link.closest(".rv-row").getAttribute("data-row");
        hot(i, true);
        setTimeout(function () { hot(i, false); }, 1500);
      });
    });
  });
})();
