// Draws every chart of a page from the JSON the server put in data- attributes.
// No labels ever go through innerHTML: Chart.js paints text on the canvas, so a user agent such as
// <img src=x onerror=alert(1)> is drawn as text.
(function () {
  'use strict';

  var PALETTE = ['#e4572e', '#4c9be8', '#76b041', '#ffc914', '#a259c4', '#17becf', '#f28e2b', '#8c564b', '#9aa0a6'];
  var BAND_COLORS = { OK: '#76b041', ELEVATED: '#ffc914', HIGH: '#f28e2b', CRITICAL: '#e4572e' };

  function parse(el, name) {
    try {
      return JSON.parse(el.getAttribute('data-' + name));
    } catch (e) {
      el.insertAdjacentText('afterend', 'Chart data could not be read: ' + e.message);
      return null;
    }
  }

  function pad(n) { return n < 10 ? '0' + n : '' + n; }

  function timeLabel(ms, withDate) {
    var d = new Date(ms);
    var hm = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
    return withDate ? (d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' + hm : hm;
  }

  function dayLabel(ms) {
    var d = new Date(ms);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
  }

  function gib(bytes) { return bytes / 1073741824; }

  // Round tick steps for a time axis in epoch ms: at most ~10 ticks on whole minutes, hours or days.
  var STEPS = [5, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map(function (m) { return m * 60000; });

  function timeAxis(first, last, format) {
    if (first === null || last === null) {
      return { type: 'linear', ticks: { callback: format } };
    }
    var span = Math.max(last - first, 60000);
    var step = STEPS[STEPS.length - 1];
    for (var i = 0; i < STEPS.length; i++) {
      if (span / STEPS[i] <= 10) { step = STEPS[i]; break; }
    }
    return {
      type: 'linear',
      min: first,
      max: last,
      afterBuildTicks: function (axis) {
        var ticks = [];
        for (var t = Math.ceil(first / step) * step; t <= last; t += step) { ticks.push({ value: t }); }
        axis.ticks = ticks;
      },
      ticks: { callback: format, autoSkip: false, maxRotation: 0 }
    };
  }

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1) + '\u2026' : text;
  }

  function gauge(canvas) {
    var data = parse(canvas, 'gauge');
    if (!data) { return; }
    var used = Math.min(data.used, data.quota);
    new Chart(canvas, {
      type: 'doughnut',
      data: {
        labels: ['used', 'free'],
        datasets: [{
          data: [used, Math.max(data.quota - used, 0)],
          backgroundColor: [BAND_COLORS[data.band] || '#4c9be8', '#2b3038'],
          borderWidth: 0
        }]
      },
      options: {
        responsive: false,
        rotation: -90,
        circumference: 180,
        cutout: '68%',
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (c) { return c.label + ': ' + gib(c.raw).toFixed(2) + ' GiB'; } } }
        }
      }
    });
  }

  function latency(canvas) {
    var data = parse(canvas, 'latency');
    if (!data) { return; }
    var first = null, last = null;
    var datasets = data.series.map(function (s, i) {
      s.points.forEach(function (p) {
        first = first === null ? p[0] : Math.min(first, p[0]);
        last = last === null ? p[0] : Math.max(last, p[0]);
      });
      var color = s.others ? '#9aa0a6' : PALETTE[i % PALETTE.length];
      return {
        label: s.label,
        data: s.points.map(function (p) { return { x: p[0], y: p[1], requests: p[2] }; }),
        borderColor: color,
        backgroundColor: color,
        pointRadius: 0,
        borderWidth: 2,
        spanGaps: false
      };
    });
    var multiDay = last !== null && last - first > 86400000;
    new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets },
      options: {
        maintainAspectRatio: false,
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: timeAxis(first, last, function (v) { return timeLabel(v, multiDay); }),
          y: { beginAtZero: true, title: { display: true, text: 'avg latency (ms)' } }
        },
        plugins: {
          legend: { position: 'bottom', labels: { generateLabels: shortLegend } },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? timeLabel(items[0].parsed.x, true) + ' UTC' : ''; },
              label: function (c) {
                return shorten(c.dataset.label, 80) + ': ' + Math.round(c.parsed.y) + ' ms (' + c.raw.requests + ' requests)';
              }
            }
          }
        }
      }
    });
  }

  function shortLegend(chart) {
    return Chart.defaults.plugins.legend.labels.generateLabels(chart).map(function (l) {
      l.text = shorten(l.text, 48);
      return l;
    });
  }

  function top(canvas) {
    var data = parse(canvas, 'top');
    if (!data) { return; }
    var selectUrl = canvas.getAttribute('data-select-url');
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: data.labels,
        datasets: [{ label: 'requests', data: data.values, backgroundColor: '#4c9be8' }]
      },
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        scales: { y: { ticks: { callback: function (v) { return shorten(this.getLabelForValue(v), 40); } } } },
        plugins: { legend: { display: false } },
        onClick: function (event, elements) {
          if (elements.length && selectUrl) {
            // A request without a user agent is selected by no-ua=1, never by an empty ua
            // (which means none selected): see ViewState.
            var ua = data.userAgents[elements[0].index];
            window.location.href = selectUrl + (ua === '' ? '&no-ua=1' : '&ua=' + encodeURIComponent(ua));
          }
        }
      }
    });
  }

  function growth(canvas) {
    var data = parse(canvas, 'growth');
    if (!data) { return; }
    var points = data.points.map(function (p) { return { x: p[0], y: gib(p[1]) }; });
    var datasets = [{ label: 'DB size (daily)', data: points, borderColor: '#4c9be8', backgroundColor: '#4c9be8', pointRadius: 2 }];
    var xs = points.map(function (p) { return p.x; });
    if (data.forecast) {
      datasets.push({
        label: 'forecast', data: data.forecast.map(function (p) { return { x: p[0], y: gib(p[1]) }; }),
        borderColor: '#f28e2b', borderDash: [6, 4], pointRadius: 0
      });
      xs.push(data.forecast[1][0]);
    }
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    datasets.push({
      label: 'quota', data: [{ x: minX, y: gib(data.quota) }, { x: maxX, y: gib(data.quota) }],
      borderColor: '#e4572e', borderWidth: 1, pointRadius: 0
    });
    new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets },
      options: {
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: timeAxis(minX, maxX, dayLabel),
          y: { beginAtZero: true, title: { display: true, text: 'GiB' } }
        },
        plugins: { legend: { position: 'bottom' } }
      }
    });
  }

  // The dashboard's own calls per bin: stacked bars of answered / HTTP error / network failure, and
  // the slowest call of each bin as a line on a second axis.
  function calls(canvas) {
    var data = parse(canvas, 'calls');
    if (!data) { return; }
    var pts = data.points;
    var first = pts.length ? pts[0][0] : null, last = pts.length ? pts[pts.length - 1][0] : null;
    var multiDay = last !== null && last - first > 86400000;
    var x = timeAxis(first, last, function (v) { return timeLabel(v, multiDay); });
    x.stacked = true;
    function series(label, color, pick, extra) {
      var ds = { label: label, backgroundColor: color, borderColor: color, data: pts.map(function (p) { return { x: p[0], y: pick(p) }; }) };
      for (var k in extra) { ds[k] = extra[k]; }
      return ds;
    }
    new Chart(canvas, {
      type: 'bar',
      data: {
        datasets: [
          series('answered', '#76b041', function (p) { return p[1] - p[2] - p[3]; }, { stack: 'calls' }),
          series('HTTP error', '#ffc914', function (p) { return p[3]; }, { stack: 'calls' }),
          series('network failure', '#e4572e', function (p) { return p[2]; }, { stack: 'calls' }),
          series('slowest (ms)', '#4c9be8', function (p) { return p[5]; },
            { type: 'line', yAxisID: 'ms', pointRadius: 0, borderWidth: 1, spanGaps: false })
        ]
      },
      options: {
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: x,
          y: { stacked: true, beginAtZero: true, title: { display: true, text: 'calls' } },
          ms: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'ms' } }
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { title: function (items) { return items.length ? timeLabel(items[0].parsed.x, true) + ' UTC' : ''; } } }
        }
      }
    });
  }

  function drawAll() {
    if (typeof Chart === 'undefined') {
      document.querySelectorAll('canvas').forEach(function (c) {
        c.insertAdjacentText('afterend', 'Chart.js did not load: charts are unavailable.');
      });
      return;
    }
    // No animation: the first frame is the final one, for people during an incident and for tests.
    Chart.defaults.animation = false;
    Chart.defaults.color = '#c9d1d9';
    Chart.defaults.borderColor = '#30363d';
    document.querySelectorAll('canvas[data-gauge]').forEach(gauge);
    document.querySelectorAll('canvas[data-latency]').forEach(latency);
    document.querySelectorAll('canvas[data-top]').forEach(top);
    document.querySelectorAll('canvas[data-growth]').forEach(growth);
    document.querySelectorAll('canvas[data-calls]').forEach(calls);
    document.body.setAttribute('data-charts-drawn', 'true');
  }

  document.addEventListener('DOMContentLoaded', drawAll);
})();
