// School dashboard charts: every <script type="application/json" id="dashboard-charts"> entry is
// drawn into the <canvas id="..."> of the same id (Chart.js from node_modules, no CDN).
(function () {
  "use strict";
  const source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") { return; }
  const colours = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#dc3545", "#20c997", "#ffc107", "#6c757d"];
  JSON.parse(source.textContent).forEach(function (spec) {
    const canvas = document.getElementById(spec.id);
    if (!canvas) { return; }
    const datasets = spec.datasets.map(function (d, i) {
      return {label: d.label, data: d.data, backgroundColor: colours[i % colours.length],
              borderColor: colours[i % colours.length], spanGaps: true};
    });
    const options = {animation: false, responsive: true, plugins: {legend: {display: datasets.length > 1}}};
    if (spec.percent) {
      options.scales = {y: {min: 0, max: 1, ticks: {callback: function (v) { return Math.round(v * 100) + "%"; }}}};
    } else {
      options.scales = {y: {beginAtZero: true}};
    }
    new Chart(canvas, {type: spec.type, data: {labels: spec.labels, datasets: datasets}, options: options});
    canvas.dataset.drawn = "1";
  });
})();
(function () {
  "use strict";
  if (typeof bootstrap === "undefined") { return; }
  document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (el) { new bootstrap.Tooltip(el); });
})();
