// Draws every chart whose Plotly spec sits in a data-spec attribute (class "app-chart"), on load
// and again after htmx swaps part of the page. No inline script and no eval: works under the
// strict Content-Security-Policy.
const FONT = { family: '"GDS Transport", arial, sans-serif', size: 14, color: "#0b0c0c" };

function drawCharts() {
  document.querySelectorAll(".app-chart[data-spec]").forEach((target) => {
    if (!window.Plotly || target.dataset.rendered) {
      return;
    }
    const spec = JSON.parse(target.dataset.spec);
    const layout = Object.assign({ font: FONT, paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff" }, spec.layout);
    window.Plotly.newPlot(target, spec.data, layout, {
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    }).then(() => target.setAttribute("data-rendered", "true"));
  });
}

drawCharts();
document.body.addEventListener("htmx:afterSettle", drawCharts);
