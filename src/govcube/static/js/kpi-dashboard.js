/* GovCube: draw the KPI dashboard's charts with the vendored Apache ECharts.
 *
 * The page carries its numbers in a JSON island (<script type="application/json" id="kpi-data">)
 * and the same numbers as tables for screen readers; this file only draws. Plain ES5 so that
 * older intranet browsers run it.
 */
(function () {
  "use strict";

  var PALETTE = ["#1f4e79", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f"];
  var LEVEL_COLOURS = { 5: "#2e7d32", 4: "#66bb6a", 3: "#bdbdbd", 2: "#ef6c00", 1: "#c62828" };

  function readData() {
    var island = document.getElementById("kpi-data");
    if (!island) {
      return null;
    }
    try {
      return JSON.parse(island.textContent);
    } catch (error) {
      return null;
    }
  }

  function weekly(element, data) {
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      color: PALETTE,
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 16, right: 16, top: 48, bottom: 32, containLabel: true },
      xAxis: { type: "category", name: data.text.week, nameLocation: "middle", nameGap: 28, data: data.weeks },
      yAxis: { type: "value", minInterval: 1, name: data.text.requests },
      series: data.domains.map(function (domain) {
        return { name: domain.label, type: "bar", stack: "requests", data: domain.counts };
      })
    });
    return chart;
  }

  function satisfaction(element, data) {
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: "axis" },
      grid: { left: 16, right: 24, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: "value", minInterval: 1, name: data.text.ratings, nameLocation: "middle", nameGap: 24 },
      yAxis: {
        type: "category",
        inverse: true,
        data: data.satisfaction.map(function (level) {
          return level.score + " · " + level.label;
        })
      },
      series: [
        {
          name: data.text.ratings,
          type: "bar",
          data: data.satisfaction.map(function (level) {
            return { value: level.count, itemStyle: { color: LEVEL_COLOURS[level.score] } };
          })
        }
      ]
    });
    return chart;
  }

  function draw() {
    var data = readData();
    if (!data || !window.echarts) {
      return;
    }
    var charts = [];
    var weeklyElement = document.getElementById("chart-weekly");
    var satisfactionElement = document.getElementById("chart-satisfaction");
    if (weeklyElement) {
      charts.push(weekly(weeklyElement, data));
    }
    if (satisfactionElement) {
      charts.push(satisfaction(satisfactionElement, data));
    }
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
