/* Nastavnik: the few behaviours pages need beyond Bootstrap (CSP: scripts only from here). */
(function () {
  "use strict";

  function renumber(container) {
    container.querySelectorAll("[data-row]").forEach(function (row, i) {
      var badge = row.querySelector("[data-row-number]");
      if (badge) { badge.textContent = String(i + 1); }
    });
  }

  function nextIndex(repeat) {
    var name = repeat.getAttribute("data-repeat"), max = -1;
    repeat.querySelectorAll("[data-rows] [name^='" + name + "-']").forEach(function (el) {
      var rest = el.name.slice(name.length + 1), n = parseInt(rest, 10);
      if (!isNaN(n) && n > max) { max = n; }
    });
    return max + 1;
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var repeat = add.closest("[data-repeat]");
      var template = repeat.querySelector("template[data-template]");
      var rows = repeat.querySelector("[data-rows]");
      var html = template.innerHTML.replace(/__index__/g, String(nextIndex(repeat)));
      rows.insertAdjacentHTML("beforeend", html);
      renumber(rows);
      var first = rows.lastElementChild && rows.lastElementChild.querySelector("input, textarea, select");
      if (first) { first.focus(); }
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var list = remove.closest("[data-rows]");
      remove.closest("[data-row]").remove();
      renumber(list);
    }
  });

  // Focus the remark box when its dialog opens.
  document.addEventListener("shown.bs.modal", function (event) {
    var box = event.target.querySelector("textarea");
    if (box) { box.focus(); }
  });
})();
