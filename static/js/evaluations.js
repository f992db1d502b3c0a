// The round page's breakdown: party scores and dimension scores as one bar chart (Chart.js from npm).
(function () {
  const data = document.getElementById("breakdown-data");
  const canvas = document.getElementById("breakdown-chart");
  if (!data || !canvas || typeof Chart === "undefined") { return; }
  const chart = JSON.parse(data.textContent);
  const labels = chart.parties.labels.concat(chart.dimensions.labels);
  const partyScores = chart.parties.scores.concat(chart.dimensions.labels.map(function () { return null; }));
  const dimensionScores = chart.parties.labels.map(function () { return null; }).concat(chart.dimensions.scores);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: labels,
      datasets: [
        { label: canvas.dataset.partyLabel || "", data: partyScores, backgroundColor: "rgba(13,110,253,0.7)" },
        { label: canvas.dataset.dimensionLabel || "", data: dimensionScores, backgroundColor: "rgba(25,135,84,0.7)" }
      ]
    },
    options: { indexAxis: "y", scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } },
               animation: false, maintainAspectRatio: true }
  });
})();
