/// The pages' JavaScript: plain ES2017 on Debian's dygraphs, no build step, no CDN. State
/// lives in the URL (history.replaceState), so every view is a link; every 2 s the page asks
/// /api/generation and redraws in place when the results folder changed.
enum ClientScript {
    static let source = #"""
'use strict';
const query = () => new URLSearchParams(location.search);
function setQuery(changes) {
  const params = query();
  for (const [key, value] of Object.entries(changes)) {
    if (value === '' || value === null || value === undefined || value === false) params.delete(key); else params.set(key, value);
  }
  const text = params.toString();
  history.replaceState(null, '', location.pathname + (text ? '?' + text : ''));
}
async function getJSON(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error((await response.text()).trim());
  return response.json();
}
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value); else if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}
function number(value) {
  if (value === null || value === undefined) return '—';
  const size = Math.abs(value);
  return size !== 0 && (size >= 1e5 || size < 1e-3) ? value.toExponential(3) : String(+value.toPrecision(4));
}
function age(seconds) {
  if (seconds === null || seconds === undefined) return '?';
  const elapsed = Math.max(0, Date.now() / 1000 - seconds);
  if (elapsed < 90) return Math.round(elapsed) + 's ago';
  if (elapsed < 5400) return Math.round(elapsed / 60) + 'm ago';
  if (elapsed < 129600) return Math.round(elapsed / 3600) + 'h ago';
  return Math.round(elapsed / 86400) + 'd ago';
}
const list = text => (text || '').split(',').filter(part => part !== '');
function showError(error) {
  document.getElementById('main').replaceChildren(el('p', {class: 'error'}, String(error.message || error)));
}
// Asks every 2 s whether the results folder changed; calls redraw when it did.
function watch(redraw) {
  let seen = null;
  setInterval(async () => {
    try {
      const {generation} = await getJSON('/api/generation');
      if (seen !== null && generation !== seen) { document.getElementById('live').classList.add('changed'); await redraw(); }
      seen = generation;
    } catch (error) { /* the server restarts: try again next time */ }
  }, 2000);
}

// ---- The runs table: filtered, sorted and paged by the server.
const runsPage = {
  selected: new Set(list(query().get('sel'))),
  async draw() {
    const params = query();
    const api = new URLSearchParams();
    for (const key of ['q', 'sort', 'order', 'page', 'size', 'cols', 'metrics']) if (params.get(key)) api.set(key, params.get(key));
    const data = await getJSON('/api/runs?' + api);
    const main = document.getElementById('main'), controls = main.querySelector('.controls');
    // A live redraw while the user types in a control leaves the controls alone.
    if (controls && controls.contains(document.activeElement)) main.replaceChildren(controls, this.table(data, params), this.pager(data, params));
    else main.replaceChildren(this.controls(data, params), this.table(data, params), this.pager(data, params));
  },
  controls(data, params) {
    const input = (name, label, placeholder, options) => el('label', {}, label + ' ',
      el('input', {type: 'text', name, value: params.get(name) || '', placeholder, list: options ? name + '-options' : null,
        onchange: event => { setQuery({[name]: event.target.value, page: ''}); this.draw().catch(showError); }}),
      options ? el('datalist', {id: name + '-options'}, options.map(option => el('option', {value: option}))) : null);
    const compare = el('button', {onclick: () => { location.href = '/compare?ids=' + encodeURIComponent([...this.selected].join(',')); }},
      `compare selected (${this.selected.size})`);
    return el('div', {class: 'controls'},
      input('q', 'filter', 'words or key=value', null),
      input('metrics', 'metrics', 'test_accuracy,train_loss', data.metricNames),
      input('cols', 'config columns', 'epochs,optimizer.lr', data.configKeys),
      compare, el('span', {}, `${data.total} runs`));
  },
  header(label, sortKey, params) {
    if (!sortKey) return el('th', {}, label);
    const current = (params.get('sort') || 'created') === sortKey;
    const descending = (params.get('order') || 'desc') === 'desc';
    return el('th', {class: 'sortable', title: 'sort', onclick: () => {
      setQuery({sort: sortKey, order: current && descending ? 'asc' : 'desc', page: ''});
      this.draw().catch(showError);
    }}, label + (current ? (descending ? ' ▼' : ' ▲') : ''));
  },
  table(data, params) {
    const columns = list(params.get('cols'));
    const metrics = list(params.get('metrics') || 'test_accuracy');
    const stats = ['last', 'best', 'min', 'max'];
    const head = el('tr', {}, el('th', {}, ''), this.header('study', 'study', params), this.header('step', 'step', params),
      this.header('status', 'status', params), this.header('age', 'created', params), this.header('CPU', 'cpu', params),
      el('th', {}, 'isa'), el('th', {}, 'reports'),
      columns.map(key => this.header(key, 'config:' + key, params)),
      metrics.map(metric => stats.map(stat => this.header(`${metric} ${stat}`, `metric:${metric}:${stat}`, params))));
    const rows = data.rows.map(row => el('tr', {},
      el('td', {}, el('input', {type: 'checkbox', checked: this.selected.has(row.id) ? '' : null, onchange: event => {
        if (event.target.checked) this.selected.add(row.id); else this.selected.delete(row.id);
        setQuery({sel: [...this.selected].join(',')});
        document.querySelector('.controls button').textContent = `compare selected (${this.selected.size})`;
      }})),
      el('td', {}, row.study), el('td', {}, el('a', {href: '/run?id=' + encodeURIComponent(row.id)}, row.step || row.id)),
      el('td', {class: 'state-' + row.state}, row.status), el('td', {}, age(row.time)), el('td', {class: 'cpu', title: row.cpu}, row.cpu), el('td', {}, row.isa),
      el('td', {}, row.reports.map(report => el('a', {href: '/files/' + report.id + '/report.html'}, report.variant + ' '))),
      columns.map(key => el('td', {}, row.config[key] ?? '—')),
      metrics.map(metric => stats.map(stat => el('td', {class: 'num'}, number((row.metrics[metric] || {})[stat]))))));
    return el('table', {id: 'runs'}, el('thead', {}, head), el('tbody', {}, rows));
  },
  pager(data, params) {
    const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
    const go = page => () => { setQuery({page: page === 1 ? '' : page}); this.draw().catch(showError); };
    return el('div', {class: 'pager'},
      el('button', {onclick: go(data.page - 1), disabled: data.page <= 1 ? '' : null}, '‹ previous'),
      el('span', {}, `page ${data.page} of ${pages}`),
      el('button', {onclick: go(data.page + 1), disabled: data.page >= pages ? '' : null}, 'next ›'));
  },
};

// ---- Compare: curves of one metric, the config diff, CSV export.
const comparePage = {
  chart: null, mode: null,
  async draw() {
    const params = query();
    const ids = params.get('ids') || '';
    if (!ids) throw new Error('no runs selected: pick some on the runs table, or add ?ids=run1,run2 to the URL');
    const diff = await getJSON('/api/diff?ids=' + encodeURIComponent(ids));
    const metric = params.get('metric') || this.defaultMetric(diff.metricNames);
    const api = new URLSearchParams({ids, metric, x: params.get('x') || 'epoch', smooth: params.get('smooth') || '0'});
    if (params.get('group')) api.set('group', params.get('group'));
    const series = await getJSON('/api/series?' + api);
    if (!this.chart) this.layout();
    this.fillControls(series, diff, params);
    this.drawChart(series, params);
    this.drawDiff(diff, series);
  },
  defaultMetric(names) {
    return ['test_accuracy', 'accuracy', 'train_loss'].find(name => names.includes(name)) || names[0] || '';
  },
  layout() {
    const control = (name, label, node) => el('label', {}, label + ' ', node);
    const update = (name, value) => { setQuery({[name]: value}); this.draw().catch(showError); };
    document.getElementById('main').replaceChildren(
      el('div', {class: 'controls'},
        control('metric', 'metric', el('select', {id: 'metric', onchange: event => update('metric', event.target.value)})),
        control('x', 'x', el('select', {id: 'x', onchange: event => update('x', event.target.value === 'epoch' ? '' : event.target.value)},
          el('option', {value: 'epoch'}, 'epoch'), el('option', {value: 'wall'}, 'wall time (s)'))),
        control('smooth', 'smoothing', el('input', {id: 'smooth', type: 'range', min: '0', max: '0.99', step: '0.01',
          onchange: event => update('smooth', event.target.value === '0' ? '' : event.target.value)})),
        control('log', 'log scale', el('input', {id: 'log', type: 'checkbox', onchange: event => update('log', event.target.checked ? '1' : '')})),
        control('group', 'group by', el('select', {id: 'group', onchange: event => update('group', event.target.value)})),
        el('a', {id: 'csv'}, 'CSV of the selection')),
      el('div', {id: 'chart'}), el('div', {id: 'legend'}), el('p', {id: 'notes'}), el('h3', {}, 'Config keys that differ'), el('div', {id: 'diff'}));
  },
  fillControls(series, diff, params) {
    const options = (select, values, chosen) => {
      select.replaceChildren(...values.map(value => el('option', {value: value[0], selected: value[0] === chosen ? '' : null}, value[1])));
    };
    options(document.getElementById('metric'), series.metricNames.map(name => [name, name]), series.metric);
    const groupKeys = diff.keys.concat(params.get('group') && !diff.keys.includes(params.get('group')) ? [params.get('group')] : []);
    options(document.getElementById('group'), [['', 'none']].concat(groupKeys.map(key => [key, key])), params.get('group') || '');
    document.getElementById('x').value = series.x;
    document.getElementById('smooth').value = params.get('smooth') || '0';
    document.getElementById('log').checked = params.get('log') === '1';
    document.getElementById('csv').href = '/api/csv?' + new URLSearchParams({ids: params.get('ids'), metric: series.metric, x: series.x});
    const notes = [];
    if (series.missing.length) notes.push(`without ${series.metric}: ${series.missing.join(', ')}`);
    if (series.unknown.length) notes.push(`not runs of this results folder, or unreadable: ${series.unknown.join(', ')}`);
    document.getElementById('notes').textContent = notes.join('; ');
  },
  // One column per curve (the raw curve faint behind the smoothed one), rows merged on x.
  chartData(series, smoothing) {
    if (series.groups) {
      const columns = series.groups.map(group => ({id: group.label, raw: false, label: group.label, colour: group.colour, width: 2,
        points: group.band.map(([x, low, mean, high]) => [x, [low, mean, high]])}));
      return {columns, bars: true};
    }
    const columns = [], seen = new Set();
    for (const {run, raw, smoothed} of series.curves) {
      const label = seen.has(run.label) ? `${run.label} (${run.id})` : run.label;
      seen.add(label);
      if (smoothing > 0) columns.push({id: run.id, raw: true, label: label + ' · raw', colour: run.faintColour, width: 1, points: raw});
      columns.push({id: run.id, raw: false, label, colour: run.colour, width: 2, points: smoothed});
    }
    return {columns, bars: false};
  },
  drawChart(series, params) {
    const {columns, bars} = this.chartData(series, +(params.get('smooth') || 0));
    const byX = new Map();
    columns.forEach((column, index) => {
      for (const [x, y] of column.points) {
        if (!byX.has(x)) byX.set(x, new Array(columns.length).fill(null));
        byX.get(x)[index] = y;
      }
    });
    const rows = [...byX.keys()].sort((a, b) => a - b).map(x => [x, ...byX.get(x)]);
    const options = {
      file: rows.length ? rows : [[0, ...columns.map(() => null)]], labels: [series.x === 'wall' ? 'seconds' : 'epoch', ...columns.map(column => column.label)],
      colors: columns.map(column => column.colour), customBars: bars, logscale: params.get('log') === '1',
      series: Object.fromEntries(columns.map(column => [column.label, {strokeWidth: column.width}])),
      connectSeparatedPoints: true, drawPoints: rows.length < 60, ylabel: series.metric, xlabel: series.x === 'wall' ? 'wall time (s)' : 'epoch',
      labelsDiv: document.getElementById('legend'), legend: 'always', labelsSeparateLines: true,
    };
    // For tests and scripts: what was handed to the chart, column by column (a canvas cannot be read back).
    window.serveChartData = {labels: options.labels, rows, metric: series.metric,
      columns: columns.map(column => ({id: column.id, raw: column.raw, label: column.label}))};
    // Same mode: update in place, so zoom and selection stay; bars on or off needs a new chart.
    if (this.chart && this.mode === bars) this.chart.updateOptions(options);
    else { if (this.chart) this.chart.destroy(); this.chart = new Dygraph(document.getElementById('chart'), options.file, options); }
    this.mode = bars;
    window.serveChart = this.chart;
  },
  drawDiff(diff, series) {
    const target = document.getElementById('diff');
    const head = el('tr', {}, el('th', {}, 'run'), el('th', {}, 'status'), diff.keys.map(key => el('th', {}, key)));
    const rows = diff.runs.map(({run, values}) => el('tr', {},
      el('td', {}, el('span', {class: 'swatch', style: `background:${run.colour}`}), el('a', {href: '/run?id=' + encodeURIComponent(run.id)}, run.id)),
      el('td', {}, run.status), diff.keys.map(key => el('td', {}, values[key] ?? '—'))));
    target.replaceChildren(diff.keys.length ? '' : el('p', {}, 'The selected runs have the same config.'),
      el('table', {id: 'diff-table'}, el('thead', {}, head), el('tbody', {}, rows)));
  },
};

// ---- One run: config, attributes, metrics, tensors, its reports and figures.
const runPage = {
  async draw() {
    const id = query().get('id');
    if (!id) throw new Error('no run named: add ?id=<run> to the URL');
    const run = await getJSON('/api/run?id=' + encodeURIComponent(id));
    const pairs = (rows, names) => el('table', {class: 'pairs'}, el('tr', {}, names.map(name => el('th', {}, name))),
      rows.map(row => el('tr', {}, row.map(cell => el('td', {}, cell)))));
    const metrics = el('table', {}, el('tr', {}, ['metric', 'unit', 'points', 'last', 'best', 'min', 'max'].map(name => el('th', {}, name))),
      run.metrics.map(metric => el('tr', {},
        el('td', {}, el('a', {href: '/compare?' + new URLSearchParams({ids: run.id, metric: metric.name})}, metric.name)),
        el('td', {}, metric.unit), el('td', {class: 'num'}, metric.points),
        ['last', 'best', 'min', 'max'].map(stat => el('td', {class: 'num'}, number(metric.summary[stat]))))));
    const reports = run.reports.map(report => el('div', {},
      el('h3', {}, `report: ${report.folder.variant} `, report.page ? el('a', {href: '/files/' + report.page}, 'open') : ''),
      report.figures.map(figure => el('a', {href: '/files/' + figure}, el('img', {class: 'figure', src: '/files/' + figure, alt: figure})))));
    document.getElementById('main').replaceChildren(
      el('h2', {}, run.id), el('p', {class: 'state-' + run.state}, run.status),
      el('h3', {}, 'Config'), pairs(run.config, ['key', 'value']),
      el('h3', {}, 'Metrics'), metrics,
      el('h3', {}, 'Tensors'), pairs(run.tensors, ['name', 'shape']),
      el('h3', {}, 'Attributes'), pairs(run.attributes, ['attribute', 'value']),
      reports.length ? reports : el('p', {}, 'No report names this run yet.'));
  },
};

const page = {runs: runsPage, compare: comparePage, run: runPage}[document.body.dataset.page];
page.draw().catch(showError);
watch(() => page.draw().catch(showError));
"""#
}
