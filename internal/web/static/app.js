// ParkOS console behaviour that HTML cannot express. Loaded as a file because the
// Content-Security-Policy forbids inline script.
(function () {
  "use strict";
  // Ask before destructive actions: <form data-confirm="…">.
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
    }
  }, true);
  // Filter forms submit on change, so lists follow the selection without an extra click.
  document.addEventListener("change", function (ev) {
    var form = ev.target.form;
    if (form && form.classList.contains("filters") && ev.target.tagName === "SELECT") {
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });
  // Dashboard charts: the data comes as a JSON island (CSP forbids inline script); every chart
  // also has its table on the page, so nothing is lost without ECharts.
  function drawCharts() {
    var island = document.getElementById("dashboard-data");
    if (!island || !window.echarts) { return; }
    var d = JSON.parse(island.textContent);
    var L = d.labels;
    var pct = { type: "value", max: 100, axisLabel: { formatter: "{value}%" } };
    var line = window.echarts.init(document.getElementById("chart-series"));
    line.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 4 },
      grid: { left: 48, right: 24, top: 40, bottom: 32 },
      xAxis: { type: "category", data: d.months },
      yAxis: pct,
      series: [
        { name: L.occupancy, type: "line", data: d.occupancy, connectNulls: false },
        { name: L.committed, type: "line", data: d.committed, lineStyle: { type: "dotted" } },
        { name: L.absorption, type: "line", data: d.absorption },
        { name: L.forecast, type: "line", data: d.forecast, lineStyle: { type: "dashed" } },
        { name: L.target, type: "scatter", symbolSize: 14, symbol: "diamond",
          data: (d.targets || []).map(function (t) { return { value: [t[0], t[1]], name: t[2] }; }) }
      ]
    });
    var bar = function (id, labels, values, name) {
      var el = document.getElementById(id);
      if (!el) { return null; }
      var c = window.echarts.init(el);
      c.setOption({ animation: false, tooltip: {}, grid: { left: 64, right: 12, top: 12, bottom: 28 },
        xAxis: { type: "category", data: labels }, yAxis: { type: "value", name: "m²" },
        series: [{ name: name, type: "bar", data: values }] });
      return c;
    };
    var charts = [line, bar("chart-vacancy", d.vacancyLabels, d.vacancy, L.vacancy), bar("chart-expiries", d.expiryMonths, d.expiries, L.expiries)];
    window.addEventListener("resize", function () { charts.forEach(function (c) { if (c) { c.resize(); } }); });
  }
  // A goal's required path against its actuals (the table below the chart holds the same).
  function drawGoal() {
    var island = document.getElementById("goal-data");
    if (!island || !window.echarts) { return; }
    var d = JSON.parse(island.textContent);
    var c = window.echarts.init(document.getElementById("chart-goal"));
    c.setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { top: 4 },
      grid: { left: 64, right: 24, top: 40, bottom: 32 },
      xAxis: { type: "category", data: d.years }, yAxis: { type: "value" },
      series: [
        { name: d.pathLabel, type: "line", data: d.path, lineStyle: { type: "dashed" } },
        { name: d.actualLabel, type: "line", data: d.actual, connectNulls: false, symbolSize: 8 }
      ]
    });
    window.addEventListener("resize", function () { c.resize(); });
  }
  // The cockpit: five years of revenue and each park's land output.
  function drawCockpit() {
    var island = document.getElementById("cockpit-data");
    if (!island || !window.echarts) { return; }
    var d = JSON.parse(island.textContent);
    var trend = window.echarts.init(document.getElementById("chart-trend"));
    trend.setOption({ animation: false, tooltip: { trigger: "axis" }, grid: { left: 64, right: 16, top: 16, bottom: 28 },
      xAxis: { type: "category", data: d.years }, yAxis: { type: "value" },
      series: [{ name: d.labels[0], type: "line", data: d.revenue, connectNulls: false }] });
    var dist = window.echarts.init(document.getElementById("chart-distribution"));
    dist.setOption({ animation: false, tooltip: {}, grid: { left: 64, right: 16, top: 16, bottom: 80 },
      xAxis: { type: "category", data: d.parks, axisLabel: { rotate: 30 } }, yAxis: { type: "value" },
      series: [{ name: d.labels[1], type: "bar", data: d.land }] });
    window.addEventListener("resize", function () { trend.resize(); dist.resize(); });
  }
  function draw() { drawCharts(); drawGoal(); drawCockpit(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

// A print button prints the document it stands over (CSP allows no inline handlers).
document.addEventListener('click', (e) => {
  if (e.target.closest('[data-print]')) window.print();
});
