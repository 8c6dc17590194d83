/* Rete: colour, size and layout redraw the picture in its frame without reloading the page;
   the tables of measures sort by a column when its header button is pressed. */
(function () {
  "use strict";

  function redrawOnViewChange() {
    var form = document.getElementById("rete-filtri");
    var frame = document.getElementById("rete-grafo");
    if (!form || !frame) { return; }
    function update() {
      var params = new URLSearchParams();
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (el) {
        if (el.value) { params.set(el.name, el.value); }
      });
      frame.src = frame.getAttribute("data-base") + "?" + params.toString();
      var page = new URL(window.location.href);
      page.search = params.toString();
      window.history.replaceState(null, "", page.toString());
    }
    Array.prototype.forEach.call(form.querySelectorAll("select[data-view]"), function (el) {
      el.addEventListener("change", update);
    });
  }

  /* A cell's text as a number when it is one, in the page's Italian format
     ("1.234" thousands, "0,125" decimals, "-0,5"); otherwise null ("n.d.", "sì", "–"). */
  function numberOf(text) {
    var t = text.trim().replace(/\u2212/g, "-");
    if (!/^[-+]?\d{1,3}(\.\d{3})*(,\d+)?$|^[-+]?\d+(,\d+)?$/.test(t)) { return null; }
    return parseFloat(t.replace(/\./g, "").replace(",", "."));
  }

  function compare(a, b) {
    var x = numberOf(a), y = numberOf(b);
    if (x !== null && y !== null) { return x - y; }
    if (x !== null) { return -1; }  // numbers before words, whatever the direction
    if (y !== null) { return 1; }
    return a.localeCompare(b, "it", {numeric: true, sensitivity: "base"});
  }

  function sortable(table) {
    var headers = table.querySelectorAll("thead th");
    var body = table.tBodies[0];
    if (!body || body.rows.length < 2) { return; }
    Array.prototype.forEach.call(body.rows, function (row, i) { row.setAttribute("data-order", i); });
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      var mark = document.createElement("span");
      mark.className = "sort-mark";
      mark.setAttribute("aria-hidden", "true");
      button.appendChild(mark);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) {
          other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var a = r1.cells[column] ? r1.cells[column].textContent : "";
          var b = r2.cells[column] ? r2.cells[column].textContent : "";
          var c = compare(a, b);
          if (!ascending && (numberOf(a) !== null) === (numberOf(b) !== null)) { c = -c; }
          return c || (+r1.getAttribute("data-order") - +r2.getAttribute("data-order"));
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    table.classList.add("sortable");
  }

  redrawOnViewChange();
  Array.prototype.forEach.call(
    document.querySelectorAll("table.measures, table.top-betweenness, table.subsidiarity, table.change"),
    sortable
  );
})();
