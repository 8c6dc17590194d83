/* Profile: the radius of the neighbourhood redraws the picture in its frame without
   reloading the page (the form's button does the same without JavaScript). */
(function () {
  "use strict";
  var form = document.getElementById("ego-form");
  var frame = document.getElementById("ego-grafo");
  var select = document.getElementById("ego-raggio");
  if (!form || !frame || !select) { return; }
  function update(event) {
    if (event) { event.preventDefault(); }
    var src = new URL(frame.getAttribute("data-base"), window.location.href);
    src.searchParams.set("raggio", select.value);
    frame.src = src.pathname + src.search;
    var page = new URL(window.location.href);
    page.searchParams.set("raggio", select.value);
    window.history.replaceState(null, "", page.pathname + page.search + page.hash);
  }
  select.addEventListener("change", update);
  form.addEventListener("submit", update);
})();
