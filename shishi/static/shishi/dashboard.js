// Draws the dashboard's charts (ECharts) from the JSON the page carries; a click on a bar,
// slice or point opens the list behind it. Without JavaScript the tables under each chart
// hold the same numbers and links.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof echarts === "undefined") return;
  var charts = JSON.parse(source.textContent);
  var palette = ["#b4232a", "#1f6fb2", "#e3a21a", "#2e8b57", "#6f42c1", "#20a4a4", "#d9534f", "#7a7a7a"];

  function itemOption(chart, element) {
    var items = chart.items.map(function (item) {
      return { name: item.name, value: item.value === null ? null : item.value, url: item.url };
    });
    if (chart.kind === "pie") {
      return {
        tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}：{c}" + chart.unit + "（{d}%）" },
        legend: { type: "scroll", bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: items,
                   label: { show: element.clientWidth > 480, formatter: "{b}\n{c}" } }],
      };
    }
    var horizontal = chart.kind === "barh";
    var names = items.map(function (i) { return i.name; });
    var category = { type: "category", data: horizontal ? names.slice().reverse() : names,
                     axisLabel: { interval: 0, width: 110, overflow: "truncate" } };
    var value = { type: "value", name: chart.unit };
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: horizontal ? 120 : 50, right: 30, top: 20, bottom: horizontal ? 30 : 60 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [{ type: "bar", data: horizontal ? items.slice().reverse() : items,
                 label: { show: true, position: horizontal ? "right" : "top" } }],
    };
  }

  function lineOption(chart) {
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 20, bottom: 60 },
      xAxis: { type: "category", data: chart.labels },
      yAxis: { type: "value" },
      series: chart.series.map(function (s) {
        return { type: "line", name: s.name, data: s.values, connectNulls: false };
      }),
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var chart = charts[element.dataset.chart];
    if (!chart) return;
    var rows = chart.kind === "barh" ? Math.max(chart.items.length, 4) : 0;
    element.style.height = (rows ? Math.min(rows * 26 + 60, 900) : 300) + "px";
    var instance = echarts.init(element, null, { renderer: "canvas" });
    var option = chart.kind === "line" ? lineOption(chart) : itemOption(chart, element);
    option.color = palette;
    option.animation = false;
    instance.setOption(option);
    element.dataset.drawn = "1";
    instance.on("click", function (params) {
      var url = chart.kind === "line" ? chart.urls[params.dataIndex] : params.data && params.data.url;
      if (url) window.location.href = url;
    });
    window.addEventListener("resize", function () { instance.resize(); });
  });
})();
