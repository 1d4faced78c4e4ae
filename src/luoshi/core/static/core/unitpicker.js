/* Type-ahead unit chooser (单位选择). Enhances every <select data-unit-picker> (single or multiple):
 * a text box searches full names, short names and aliases through GET /api/units/search/ (the units the
 * user may choose), and the chosen units are kept as <option selected> in the original select, so the
 * form posts exactly what it would without JavaScript. Keyboard: ↓/↑ move, Enter chooses, Esc closes,
 * Backspace in an empty box removes the last chosen unit. No inline script or style (CSP). */
(function () {
  "use strict";
  var URL = "/api/units/search/";
  var seq = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function enhance(select) {
    if (select.getAttribute("data-unit-picker-ready")) { return; }
    select.setAttribute("data-unit-picker-ready", "1");
    var multiple = select.multiple;
    var id = "up" + (++seq);
    var wrap = el("div", "unitpicker");
    var chips = el("ul", "up-chips");
    chips.setAttribute("aria-label", "已选单位");
    var input = el("input", "up-input");
    input.type = "text";
    input.autocomplete = "off";
    input.placeholder = select.getAttribute("data-placeholder") || "输入单位名称搜索";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-list");
    var list = el("ul", "up-list");
    list.id = id + "-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = el("div", "up-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    // the select's <label for=…> now names (and focuses) the text box
    if (select.id) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      if (label) { input.setAttribute("aria-label", label.textContent.replace("*", "").trim()); }
      input.id = select.id + "_search";
      if (label) { label.htmlFor = input.id; }
    }
    wrap.appendChild(chips);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    select.parentNode.insertBefore(wrap, select.nextSibling);
    // the no-JavaScript name box of a large organisation (orgs.widgets): this search box replaces it
    var key = select.id || select.name;
    Array.prototype.forEach.call(document.querySelectorAll("input[data-unit-picker-text]"), function (t) {
      if (t.getAttribute("data-unit-picker-text") === key && t.form === select.form) {
        t.disabled = true;
        t.hidden = true;
        // a label holding just that box and its caption (the ledger filter's 单位名称) goes with it
        if (t.parentNode.tagName === "LABEL" && !t.parentNode.querySelector("select")) { t.parentNode.classList.add("up-gone"); }
      }
    });
    select.classList.add("up-hidden");
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;

    var results = [];
    var active = -1;
    var timer = null;
    var lastQuery = null;
    var ctrl = null;

    function chosen() {
      return Array.prototype.filter.call(select.options, function (o) { return o.selected && o.value; });
    }

    function drawChips() {
      chips.textContent = "";
      chosen().forEach(function (o) {
        var li = el("li", "up-chip");
        li.appendChild(el("span", "up-chip-name", o.textContent));
        var x = el("button", "up-chip-x", "×");
        x.type = "button";
        x.setAttribute("aria-label", "移除 " + o.textContent);
        x.addEventListener("click", function () {
          o.selected = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          drawChips();
          input.focus();
        });
        li.appendChild(x);
        chips.appendChild(li);
      });
      if (!multiple) { input.placeholder = chosen().length ? "重新输入以更换单位" : (select.getAttribute("data-placeholder") || ""); }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(i) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (i >= 0 && items[i]) {
        input.setAttribute("aria-activedescendant", items[i].id);
        items[i].scrollIntoView({ block: "nearest" });
      }
    }

    function draw(q) {
      list.textContent = "";
      list.setAttribute("data-q", q);  // what the shown results answer (tests and assistive tools read it)
      var taken = {};
      chosen().forEach(function (o) { taken[o.value] = true; });
      results.forEach(function (u, i) {
        var li = el("li", "up-option" + (taken[String(u.id)] ? " up-taken" : ""));
        li.id = id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-id", u.id);
        li.appendChild(el("span", "up-name", u.name));
        if (u.matched) { li.appendChild(el("span", "up-matched", "(" + u.matched + ")")); }
        li.appendChild(el("span", "up-meta", [u.kind, u.parent].filter(Boolean).join(" · ")));
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      if (!results.length) {
        var none = el("li", "up-none", "没有匹配的单位");
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = results.length ? "找到" + results.length + "个单位,用上下键选择,回车确认" : "没有匹配的单位";
      mark(results.length ? 0 : -1);
    }

    function search() {
      var q = input.value.trim();
      if (q === lastQuery && !list.hidden) { return; }
      lastQuery = q;
      var params = new URLSearchParams({ q: q, limit: "20", domain: select.getAttribute("data-domain") || "ledger" });
      if (select.getAttribute("data-under")) { params.set("under", select.getAttribute("data-under")); }
      if (select.getAttribute("data-members-of")) { params.set("members_of", select.getAttribute("data-members-of")); }
      if (select.getAttribute("data-inspection-plan")) { params.set("inspection_plan", select.getAttribute("data-inspection-plan")); }
      if (ctrl) { ctrl.abort(); }
      ctrl = window.AbortController ? new AbortController() : null;
      fetch(URL + "?" + params.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" },
                                            signal: ctrl ? ctrl.signal : undefined })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          if (input.value.trim() !== q) { return; }
          results = data.results || [];
          if (document.activeElement !== input) { return; }  // the user has moved on: no list left open
          draw(q);
        })
        .catch(function () { /* aborted or offline: keep what is shown */ });
    }

    function choose(i) {
      var u = results[i];
      if (!u) { return; }
      var opt = Array.prototype.find.call(select.options, function (o) { return o.value === String(u.id); });
      if (!opt) {
        opt = new Option(u.name, String(u.id), false, false);
        select.appendChild(opt);
      }
      if (!multiple) {
        Array.prototype.forEach.call(select.options, function (o) { o.selected = false; });
      }
      opt.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      drawChips();
      input.value = "";
      lastQuery = null;
      close();
      status.textContent = "已选择 " + u.name;
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("focus", function () { if (!input.value) { search(); } });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (ev) {
      var n = results.length;
      if (ev.key === "ArrowDown") {
        ev.preventDefault();
        if (list.hidden) { search(); } else if (n) { mark((active + 1) % n); }
      } else if (ev.key === "ArrowUp") {
        ev.preventDefault();
        if (n && !list.hidden) { mark((active - 1 + n) % n); }
      } else if (ev.key === "Enter") {
        if (!list.hidden && active >= 0) { ev.preventDefault(); choose(active); }
        else if (input.value.trim()) { ev.preventDefault(); }  // never submit the form on a half-typed name
      } else if (ev.key === "Escape") {
        if (!list.hidden) { ev.preventDefault(); close(); }
      } else if (ev.key === "Backspace" && !input.value) {
        var sel = chosen();
        if (sel.length) {
          sel[sel.length - 1].selected = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          drawChips();
        }
      }
    });
    drawChips();
  }

  function all() { document.querySelectorAll("select[data-unit-picker]").forEach(enhance); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
})();
