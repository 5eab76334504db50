// Draws every chart whose data sits in a <script type="application/json" class="app-chart"> block.
// No inline script and no eval: works under the strict Content-Security-Policy.
document.querySelectorAll("script.app-chart").forEach((node) => {
  const spec = JSON.parse(node.textContent);
  const target = document.getElementById(node.dataset.target);
  if (target && window.Plotly) {
    window.Plotly.newPlot(target, spec.data, spec.layout, { displaylogo: false, responsive: true });
  }
});
