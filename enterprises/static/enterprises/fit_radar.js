// The student's radar over a posting's requirement polygon (Chart.js, from npm).
// Each <canvas class="fit-radar" data-source="ID"> reads the JSON in <script id="ID">.
(function () {
  function draw(canvas) {
    if (canvas.dataset.drawn || typeof Chart === "undefined") { return; }
    const data = JSON.parse(document.getElementById(canvas.dataset.source).textContent);
    canvas.dataset.drawn = "1";
    new Chart(canvas, {
      type: "radar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.required_label, data: data.required, borderColor: "#e8590c", backgroundColor: "rgba(232,89,12,.08)",
            borderDash: [5, 4], pointRadius: 2, borderWidth: 2 },
          { label: data.student_label, data: data.student, borderColor: "#3b7ddd", backgroundColor: "rgba(59,125,221,.3)",
            pointRadius: 3, borderWidth: 2 },
        ],
      },
      options: {
        animation: false,
        scales: { r: { min: 0, max: 1, ticks: { stepSize: 0.25, callback: (v) => Math.round(v * 100) + "%" } } },
        plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + Math.round(c.raw * 100) + "%" } } },
      },
    });
  }
  function drawAll() { document.querySelectorAll("canvas.fit-radar").forEach(draw); }
  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSwap", drawAll);
})();
