// Draws the dashboard's trend charts from the JSON data block the page carries
// (no inline script: the Content-Security-Policy allows only files from this site): one
// chart of the reporting figures, and a small chart with its own scale per rare event.
(function () {
  "use strict";
  // The Content-Security-Policy forbids inline styles (style-src 'self'). ECharts' default
  // tooltip writes its content as HTML strings with style="" attributes, which the browser
  // refuses (one CSP error per attribute, and an unstyled tooltip). So the tooltip's content
  // is built here as DOM nodes carrying classes that health.css styles; ECharts itself only
  // places the tooltip box, through the CSS object model, which the policy allows.
  var lang = document.documentElement.lang || "en";
  var chinese = /^zh/i.test(lang);
  // The days are calendar days: format them in UTC so no time zone shifts them.
  var dayShort = new Intl.DateTimeFormat(lang, { month: "short", day: "numeric", timeZone: "UTC" });
  var dayLong = new Intl.DateTimeFormat(lang, {
    year: "numeric", month: "long", day: "numeric", weekday: "short", timeZone: "UTC"
  });
  var number = new Intl.NumberFormat(lang);

  function asDate(iso) { return new Date(iso + "T00:00:00Z"); }

  function node(tag, className, text) {
    var el = document.createElement(tag);
    el.className = className;
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  // The series' colours are custom properties of health.css, so the tooltip's dots (classes)
  // and the lines (ECharts options) cannot disagree.
  function colour(key) {
    var root = document.querySelector(".trends") || document.documentElement;
    return window.getComputedStyle(root).getPropertyValue("--chart-" + key).trim() || undefined;
  }

  function tooltip(data, keys) {
    return function (params) {
      var items = Array.isArray(params) ? params : [params];
      if (!items.length) { return ""; }
      var box = node("div", "chart-tip");
      box.appendChild(node("div", "chart-tip-day", dayLong.format(asDate(items[0].axisValue))));
      items.forEach(function (item) {
        var key = keys[item.seriesIndex];
        var row = node("div", "chart-tip-row");
        row.appendChild(node("span", "chart-dot chart-dot-" + key));
        row.appendChild(node("span", "chart-tip-name", data.labels[key]));
        row.appendChild(node("span", "chart-tip-value", number.format(item.value)));
        box.appendChild(row);
      });
      return box;
    };
  }

  function options(data, key, period) {
    var keys = data.charts[key];
    var rare = data.rare.indexOf(key) !== -1;
    var days = data.days.slice(-period);
    var highest = 0;
    var series = keys.map(function (k) {
      var values = data.values[k].slice(-period);
      highest = Math.max.apply(null, [highest].concat(values));
      return {
        name: data.labels[k],
        // A fever is an event of the day (bars); the others are states that last (lines).
        type: k === "fever" ? "bar" : "line",
        step: rare && k !== "fever" ? "end" : false,
        areaStyle: rare && k !== "fever" ? { opacity: 0.15 } : undefined,
        showSymbol: false,
        barMaxWidth: 12,
        color: colour(k),
        data: values
      };
    });
    return {
      animation: false,
      tooltip: {
        trigger: "axis",
        confine: true, // inside the chart: never wider than a phone's screen
        className: "chart-tooltip",
        formatter: tooltip(data, keys)
      },
      legend: rare ? { show: false } : { type: "scroll", bottom: 0 },
      grid: { left: 8, right: 12, top: 28, bottom: rare ? 8 : 36, containLabel: true },
      xAxis: {
        type: "category",
        data: days,
        axisLabel: { hideOverlap: true, formatter: function (iso) { return dayShort.format(asDate(iso)); } }
      },
      yAxis: {
        type: "value",
        name: data.axis,
        nameTextStyle: { align: "left" },
        minInterval: 1,
        // Nothing to show is a flat line at 0 on a scale of 0 to 1, not a blank box.
        max: highest ? null : 1,
        axisLabel: { formatter: function (v) { return number.format(v); } }
      },
      series: series
    };
  }

  function draw() {
    var block = document.getElementById("health-chart-data");
    if (!block || !window.echarts) { return; }
    var data = JSON.parse(block.textContent);
    var period = data.periods[0];
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var key = box.getAttribute("data-chart");
      if (!data.charts[key]) { return; }
      var chart = window.echarts.init(box, null, { renderer: "svg", locale: chinese ? "ZH" : "EN" });
      chart.setOption(options(data, key, period));
      charts.push({ key: key, chart: chart });
      if (window.ResizeObserver) {
        new ResizeObserver(function () { chart.resize(); }).observe(box);
      } else {
        window.addEventListener("resize", function () { chart.resize(); });
      }
    });
    document.querySelectorAll("[data-period]").forEach(function (button) {
      button.addEventListener("click", function () {
        period = parseInt(button.getAttribute("data-period"), 10);
        document.querySelectorAll("[data-period]").forEach(function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
        charts.forEach(function (c) { c.chart.setOption(options(data, c.key, period), { replaceMerge: ["series"] }); });
      });
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
