// 12345 hotline screen: ask the server for possible duplicates while the operator types.
(function () {
  "use strict";
  var form = document.getElementById("hotline-form");
  if (!form) { return; }
  var list = document.getElementById("dup-list");
  var url = form.getAttribute("data-dup-url");
  var timer = null;
  function field(name) { var el = form.elements[name]; return el ? el.value : ""; }
  function show(rows) {
    list.textContent = "";
    if (!rows.length) { var li = document.createElement("li"); li.textContent = "未发现疑似重复"; list.appendChild(li); return; }
    rows.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/cases/" + r.id + "/"; a.textContent = r.number; a.target = "_blank";
      li.appendChild(a);
      li.appendChild(document.createTextNode(" 相似度" + r.score + (r.near ? "(位置相近)" : "") + " " + r.status + " " + r.address + " " + r.description));
      li.className = "dup";
      list.appendChild(li);
    });
  }
  function check() {
    var q = new URLSearchParams({description: field("description"), address: field("address"), category: field("category")});
    fetch(url + "?" + q.toString(), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : []; }).then(function (d) { show(d.results || []); }).catch(function () {});
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
})();
