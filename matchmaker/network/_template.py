"""The HTML page of the interactive network (Jinja2, autoescaped).

pyvis' own template loads Bootstrap from a CDN in every mode and vis-network from a CDN in
its "local" mode, so the page is ours: it loads vis-network either inline (standalone
file) or from the application's ``/static/vendor/`` folder, and nothing else. The data
sit in a ``<script type="application/json">`` element whose ``<``, ``>`` and ``&`` are
escaped, and are parsed with ``JSON.parse``: no value from the data is ever interpreted
as HTML or script (vis-network draws labels on a canvas and shows string tooltips with
``innerText``).
"""

from __future__ import annotations

__all__ = ["PAGE"]

PAGE = """<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
{%- if csp %}
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
{%- endif %}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
{%- if inline %}
<style>{{ vis_css|safe }}</style>
<script>{{ vis_js|safe }}</script>
{%- else %}
<link rel="stylesheet" href="{{ static_url }}/vis-network.css">
<script src="{{ static_url }}/vis-network.min.js"></script>
{%- endif %}
<style>
body { font-family: system-ui, sans-serif; margin: 0; color: #222; }
header { padding: .5rem 1rem; }
h1 { font-size: 1.2rem; margin: 0 0 .25rem 0; }
#network { width: 100%; height: {{ height }}; border-top: 1px solid #ddd; background: #fff; }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0;
  margin: .25rem 0; font-size: .85rem; }
.legend li { display: flex; align-items: center; gap: .35rem; }
.swatch { width: .9rem; height: .9rem; border-radius: 50%; display: inline-block;
  border: 1px solid #0003; }
.meta { font-size: .8rem; color: #555; }
div.vis-tooltip { white-space: pre-line; font-size: .8rem; max-width: 28rem; }
</style>
</head>
<body data-stabilized="false">
<header>
<h1>{{ title }}</h1>
<p class="meta">{{ description }} <span id="network-status" role="status"></span></p>
<ul class="legend" aria-label="Legenda: {{ legend_title }}">
{%- for item in legend %}
<li><span class="swatch" style="background: {{ item.color }}"></span>{{ item.label }}
 ({{ item.count }})</li>
{%- endfor %}
</ul>
</header>
<div id="network" role="img" aria-label="{{ title }}"></div>
<script type="application/json" id="network-data">{{ payload|safe }}</script>
<script>
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("network-data").textContent);
  var status = document.getElementById("network-status");
  var network = new vis.Network(
    document.getElementById("network"),
    {nodes: new vis.DataSet(payload.nodes), edges: new vis.DataSet(payload.edges)},
    payload.options
  );
  function done() {
    network.setOptions({physics: {enabled: false}});
    status.textContent = "";
    document.body.setAttribute("data-stabilized", "true");
  }
  if (payload.options.physics && payload.options.physics.enabled) {
    status.textContent = "Calcolo della disposizione…";
    network.on("stabilizationProgress", function (p) {
      status.textContent = "Calcolo della disposizione: " +
        Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", done);
  } else {
    done();
  }
  window.matchmakerNetwork = network;
})();
</script>
</body>
</html>
"""
