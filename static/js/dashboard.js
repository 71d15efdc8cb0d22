// The dashboard's charts: each draws the table beside it (the table is the accessible source;
// the canvas is one image with a text alternative naming that table). Horizontal bars of one
// series, each labelled with its value, so nothing depends on colour; a standard's target is
// a dashed line with its label. Chart.js (static/vendor/chartjs-*) is loaded before this
// module as a classic script (window.Chart).

const language = document.documentElement.lang || "en";
const numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
const BAR = "#3f6e9a";
const BAR_EDGE = "#1d3b57";
const INK = "#1b1b1b";
const ROW_HEIGHT = 26;

const formatted = (value, unit) =>
  value === null || value === undefined ? "—" : `${numbers.format(value)}${unit ? `\u202f${unit}` : ""}`;

/** Each bar's value written at its end (inside the chart area, in the text colour). */
const valueLabels = {
  id: "valueLabels",
  afterDatasetsDraw(chart, _args, options) {
    const { ctx, chartArea } = chart;
    const meta = chart.getDatasetMeta(0);
    ctx.save();
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillStyle = INK;
    ctx.textBaseline = "middle";
    meta.data.forEach((bar, index) => {
      const text = formatted(chart.data.datasets[0].data[index], options.unit);
      const width = ctx.measureText(text).width;
      // Past the bar's end, or (no room there) inside it at its start, in white: away from
      // the target line, which stands near the long bars' ends.
      const inside = bar.x + 4 + width > chartArea.right;
      ctx.textAlign = "left";
      ctx.fillStyle = inside ? "#ffffff" : INK;
      ctx.fillText(text, inside ? bar.base + 4 : bar.x + 4, bar.y);
    });
    ctx.restore();
  },
};

/** The standard's target as a dashed vertical line, labelled at its top. */
const targetLine = {
  id: "targetLine",
  afterDatasetsDraw(chart, _args, options) {
    if (options.value === null || options.value === undefined) return;
    const { ctx, chartArea, scales } = chart;
    const x = scales.x.getPixelForValue(options.value);
    ctx.save();
    ctx.strokeStyle = INK;
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(x, chartArea.top);
    ctx.lineTo(x, chartArea.bottom);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = "bold 12px system-ui, sans-serif";
    ctx.fillStyle = INK;
    // Above the bars (the chart keeps room for it), so that it covers none of their labels.
    ctx.textAlign = x - chartArea.left > ctx.measureText(options.label).width ? "right" : "left";
    ctx.textBaseline = "bottom";
    ctx.fillText(options.label, ctx.textAlign === "right" ? x + 4 : x - 4, chartArea.top - 4);
    ctx.restore();
  },
};

function draw(canvas) {
  const data = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
  const box = canvas.parentElement;
  box.style.height = `${data.labels.length * ROW_HEIGHT + 48}px`;
  const percent = data.unit === "%";
  const chart = new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: data.label,
          data: data.values,
          backgroundColor: BAR,
          borderColor: BAR_EDGE,
          borderWidth: 1,
        },
      ],
    },
    plugins: [valueLabels, targetLine],
    options: {
      indexAxis: "y",
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      // The canvas is an image: its figures are read from the table, not from events.
      events: [],
      layout: { padding: { top: data.target === null ? 4 : 20, right: 8 } },
      scales: {
        x: {
          beginAtZero: true,
          max: percent ? 100 : undefined,
          grace: percent ? 0 : "12%",
          ticks: { color: INK, precision: 0, callback: (value) => formatted(value, data.unit) },
          grid: { color: "#d0d0d0" },
        },
        y: { ticks: { color: INK, autoSkip: false }, grid: { display: false } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { enabled: false },
        valueLabels: { unit: data.unit },
        targetLine: { value: data.target, label: data.target_label },
      },
    },
  });
  canvas.dataset.drawn = "true";
  return chart;
}

export function drawAll(root = document) {
  if (!window.Chart) return [];
  const charts = [...root.querySelectorAll("canvas[data-chart]")].map(draw);
  document.body.dataset.chartsDrawn = String(charts.length);
  return charts;
}

drawAll();
