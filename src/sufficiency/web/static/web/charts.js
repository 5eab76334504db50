// Draws every chart whose Plotly spec sits in a <script type="application/json" class="app-chart-data">.
// No inline script and no eval: works under the strict Content-Security-Policy.
const FONT = { family: '"GDS Transport", arial, sans-serif', size: 14, color: "#0b0c0c" };
document.querySelectorAll("script.app-chart-data").forEach((node) => {
  const spec = JSON.parse(node.textContent);
  const target = document.getElementById(node.dataset.target);
  if (!target || !window.Plotly) {
    return;
  }
  const layout = Object.assign({ font: FONT, paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff" }, spec.layout);
  window.Plotly.newPlot(target, spec.data, layout, {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
  }).then(() => target.setAttribute("data-rendered", "true"));
});
