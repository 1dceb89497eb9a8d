/* The analysts' employment map and trend (hrss.analytics, E3): ECharts over the city's
   district geometry. The page carries the figures as JSON (json_script "map-data") and
   the same figures as tables, so it reads without this script too. */
(function () {
  "use strict";

  function start() {
    var source = document.getElementById("map-data");
    if (!source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var mapElement = document.getElementById("district-map");
    if (mapElement && data.districts.length) {
      fetch(data.geo)
        .then(function (answer) { return answer.json(); })
        .then(function (geo) { drawMap(mapElement, data, geo); });
    }
    var trendElement = document.getElementById("trend-chart");
    if (trendElement && data.trend.length) {
      drawTrend(trendElement, data);
    }
  }

  function drawMap(element, data, geo) {
    window.echarts.registerMap("city", geo);
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    var values = data.districts
      .map(function (row) { return row.value; })
      .filter(function (value) { return value !== null; });
    chart.setOption({
      aria: { enabled: true },
      tooltip: {
        trigger: "item",
        formatter: function (item) {
          var value = item.value === undefined || isNaN(item.value) ? "—" : item.value;
          return item.name + "<br>" + data.label + " " + value;
        }
      },
      visualMap: {
        min: Math.min.apply(null, values.concat([0])),
        max: Math.max.apply(null, values.concat([1])),
        calculable: true,
        text: [data.high, data.low],
        inRange: { color: ["#e3eef9", "#0b4a8b"] }
      },
      series: [{
        type: "map",
        map: "city",
        name: data.label,
        emphasis: { label: { show: true } },
        data: data.districts.map(function (row) {
          return { name: row.name, value: row.value === null ? NaN : row.value, link: row.link };
        })
      }]
    });
    chart.on("click", function (item) {
      if (item.data && item.data.link) {
        window.location.href = item.data.link;
      }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.drawn = "true";
  }

  function drawTrend(element, data) {
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.trend.map(function (row) { return row.period; }) },
      yAxis: { type: "value" },
      series: [{
        type: "line",
        name: data.label,
        data: data.trend.map(function (row) { return row.value; })
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.drawn = "true";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
