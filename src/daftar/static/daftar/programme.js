// The programme dashboard's two charts, drawn by the locally served Chart.js from the data
// the page carries in a json_script element (the CSP forbids inline code).
(function () {
  "use strict";

  var LEVEL_COLOURS = ["#dee2e6", "#c3e6d4", "#8fd1ae", "#479f76", "#146c43"];

  function draw() {
    var source = document.getElementById("programme-charts");
    if (!source || !window.Chart) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var rtl = document.documentElement.dir === "rtl";
    var common = {
      animation: false, // painted at once: nothing to wait for, nothing moving
      maintainAspectRatio: false,
      locale: document.documentElement.lang || "en",
      plugins: { legend: { position: "bottom", rtl: rtl } }
    };

    var levels = document.getElementById("chart-levels");
    if (levels) {
      new window.Chart(levels, {
        type: "bar",
        data: {
          labels: data.months,
          datasets: data.levels.map(function (level, n) {
            return { label: level.label, data: level.counts, backgroundColor: LEVEL_COLOURS[n] };
          })
        },
        options: Object.assign({}, common, {
          scales: {
            x: { stacked: true, reverse: rtl },
            y: {
              stacked: true,
              beginAtZero: true,
              ticks: { precision: 0 },
              title: { display: true, text: data.axes.organisations }
            }
          }
        })
      });
    }

    var usage = document.getElementById("chart-usage");
    if (usage) {
      new window.Chart(usage, {
        type: "line",
        data: {
          labels: data.months,
          datasets: [{
            label: data.usage.label,
            data: data.usage.values,
            borderColor: "#146c43",
            backgroundColor: "#479f76",
            spanGaps: false,
            tension: 0.2
          }]
        },
        options: Object.assign({}, common, {
          scales: {
            x: { reverse: rtl },
            y: { min: 0, max: 100, title: { display: true, text: data.axes.percent } }
          }
        })
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
