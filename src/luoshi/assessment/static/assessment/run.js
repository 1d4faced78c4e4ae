// 得分排名 chart; data from the page's json_script "rank-data" (no inline script: CSP).
(function () {
  var d = JSON.parse(document.getElementById('rank-data').textContent);
  var box = document.getElementById('ranking-chart');
  box.style.height = Math.max(300, 80 + d.units.length * 24) + 'px';
  var colors = {'优秀': '#2a8a3a', '良好': '#1f5fbf', '一般': '#e0b000', '较差': '#c00000'};
  var chart = echarts.init(box);
  chart.setOption({
    animation: false, title: {text: '得分排名', left: 0}, tooltip: {trigger: 'axis'},
    grid: {left: 8, right: 40, top: 40, containLabel: true}, xAxis: {type: 'value', max: function (v) { return Math.max(100, Math.ceil(v.max)); }},
    yAxis: {type: 'category', data: d.units, inverse: true, axisLabel: {interval: 0}},
    series: [{type: 'bar', data: d.totals.map(function (t, i) { return {value: t, itemStyle: {color: colors[d.grades[i]] || '#888'}}; }),
              label: {show: true, position: 'right'}}]
  });
  window.luoshiCharts = {ranking: chart};
})();
