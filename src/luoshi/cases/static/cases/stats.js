// Case statistics chart (vendored ECharts), data from the json_script block.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("case-chart");
    var src = document.getElementById("case-chart-data");
    if (!el || !src || !window.echarts) { return; }
    var d = JSON.parse(src.textContent);
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: {trigger: "axis"}, legend: {data: ["按期处置率", "满意率"]},
      xAxis: {type: "category", data: d.names, axisLabel: {rotate: 30}}, yAxis: {type: "value", max: 100},
      series: [{name: "按期处置率", type: "bar", data: d.on_time}, {name: "满意率", type: "bar", data: d.satisfaction}]
    });
  }
  if (document.readyState === "complete") { draw(); } else { window.addEventListener("load", draw); }
})();
