// 督办态势 charts; data from the page's json_script "dash-data" (no inline script: CSP).
(function () {
  var d = JSON.parse(document.getElementById('dash-data').textContent);
  var colors = {green: '#2a8a3a', blue: '#1f5fbf', yellow: '#e0b000', red: '#c00000'};
  var names = {green: '绿灯', blue: '蓝灯', yellow: '黄灯', red: '红灯'};
  var box = document.getElementById('by-unit');
  box.style.height = Math.max(320, 80 + d.units.length * 24) + 'px';  // one readable row per unit
  var byUnit = echarts.init(box);
  byUnit.setOption({
    title: {text: '各单位亮灯情况', left: 0}, tooltip: {trigger: 'axis'}, legend: {top: 4, right: 0},
    grid: {left: 8, right: 24, top: 48, containLabel: true}, xAxis: {type: 'value', minInterval: 1},
    yAxis: {type: 'category', data: d.units, inverse: true, axisLabel: {interval: 0}},
    series: ['red', 'yellow', 'blue', 'green'].map(function (c) {
      return {name: names[c], type: 'bar', stack: 'all', data: d.lights[c], itemStyle: {color: colors[c]}};
    })
  });
  var trend = echarts.init(document.getElementById('trend'));
  trend.setOption({
    title: {text: '每周签发督办单', left: 0}, tooltip: {trigger: 'axis'}, legend: {top: 4, right: 0},
    grid: {left: 8, right: 24, top: 48, containLabel: true},
    xAxis: {type: 'category', data: d.trend.weeks}, yAxis: {type: 'value', minInterval: 1},
    series: ['red', 'yellow', 'blue'].map(function (c) {
      return {name: names[c], type: 'line', data: d.trend.series[c], itemStyle: {color: colors[c]}};
    })
  });
  window.luoshiCharts = {byUnit: byUnit, trend: trend};
})();
