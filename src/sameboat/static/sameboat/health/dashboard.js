// Draws the dashboard's trend charts from the JSON data block the page carries
// (no inline script: the Content-Security-Policy allows only files from this site).
(function () {
  "use strict";
  function draw() {
    var block = document.getElementById("health-chart-data");
    if (!block || !window.echarts) { return; }
    var data = JSON.parse(block.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var trend = data[box.getAttribute("data-chart")];
      if (!trend) { return; }
      var chart = window.echarts.init(box, null, { renderer: "svg" });
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", bottom: 0 },
        grid: { left: 40, right: 12, top: 16, bottom: 48 },
        xAxis: { type: "category", data: trend.days, axisLabel: { hideOverlap: true } },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (key) {
          return { name: data.labels[key], type: "line", smooth: true, showSymbol: false, data: trend[key] };
        })
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  // The live figures refresh themselves (htmx, hx-select="#health-live"). An answer that
  // is not the dashboard (the login page after the session ended, say) must not blank
  // them: keep the figures on screen and mark them as stale instead.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "health-live") { return; }
    var text = (event.detail.xhr && event.detail.xhr.responseText) || "";
    if (text.indexOf('id="health-live"') === -1) {
      event.detail.shouldSwap = false;
      target.classList.add("stale");
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
