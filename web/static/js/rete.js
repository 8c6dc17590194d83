/* Rete: colour, size and layout redraw the picture in its frame without reloading the page. */
(function () {
  "use strict";
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
})();
