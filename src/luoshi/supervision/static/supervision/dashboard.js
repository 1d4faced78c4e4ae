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
  var charts = {byUnit: byUnit, trend: trend};
  (d.rates || []).forEach(function (k) {  // 诉求案件/信访事项办理情况: one grouped bar per rate, units on the axis
    var el = document.getElementById('rates-chart-' + k.name);
    if (!el || k.error || !k.rows.length) { return; }
    var rows = k.rows.slice(0, 20);
    el.style.height = Math.max(300, 80 + rows.length * 36) + 'px';
    var c = echarts.init(el);
    c.setOption({
      tooltip: {trigger: 'axis', valueFormatter: function (v) { return v == null ? '—' : v + '%'; }},
      legend: {top: 4, right: 0}, grid: {left: 8, right: 24, top: 48, containLabel: true},
      xAxis: {type: 'value', min: 0, max: 100, axisLabel: {formatter: '{value}%'}},
      yAxis: {type: 'category', data: rows.map(function (r) { return r.unit; }), inverse: true, axisLabel: {interval: 0}},
      series: k.columns.map(function (col) {
        return {name: col.label, type: 'bar', data: rows.map(function (r) { return r[col.key]; })};
      })
    });
    charts['rates_' + k.name] = c;
  });
  window.luoshiCharts = charts;
})();
