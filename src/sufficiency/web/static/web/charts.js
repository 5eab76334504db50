// Draws every chart whose Plotly spec sits in a data-spec attribute (class "app-chart"), on load
// and again after htmx swaps part of the page. No inline script and no eval: works under the
// strict Content-Security-Policy. The config (mode bar, image downloads) is the page's
// #app-chart-config (web/dashboard/chart_labels.py chart_config): the camera saves the first
// image format, and one more button saves each other format (PNG and SVG).
const FONT = { family: '"GDS Transport", arial, sans-serif', size: 14, color: "#0b0c0c" };

function pageConfig() {
  const element = document.getElementById("app-chart-config");
  return element ? JSON.parse(element.textContent) : { plotly: {}, imageFormats: ["png"] };
}

function chartConfig(target, config) {
  const filename = target.id || "chart";
  const formats = config.imageFormats || ["png"];
  const plotly = Object.assign({}, config.plotly);
  plotly.toImageButtonOptions = Object.assign({}, plotly.toImageButtonOptions, {
    format: formats[0],
    filename: filename,
  });
  plotly.modeBarButtonsToAdd = formats.slice(1).map((format) => ({
    name: "download-" + format,
    title: "Download plot as " + format.toUpperCase(),
    icon: window.Plotly.Icons.disk,
    click: (gd) =>
      window.Plotly.downloadImage(gd, Object.assign({}, plotly.toImageButtonOptions, { format: format })),
  }));
  return plotly;
}

function drawCharts() {
  const config = pageConfig();
  document.querySelectorAll(".app-chart[data-spec]").forEach((target) => {
    if (!window.Plotly || target.dataset.rendered) {
      return;
    }
    const spec = JSON.parse(target.dataset.spec);
    const layout = Object.assign({ font: FONT, paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff" }, spec.layout);
    window.Plotly.newPlot(target, spec.data, layout, chartConfig(target, config)).then(() => {
      // The chart holds its mode bar's buttons (image downloads): a figure, not an image
      // (an image's content is presentational, and buttons inside it are unreachable).
      if (target.getAttribute("role") === "img") {
        target.setAttribute("role", "figure");
      }
      target.setAttribute("data-rendered", "true");
    });
  });
}

drawCharts();
document.body.addEventListener("htmx:afterSettle", drawCharts);
