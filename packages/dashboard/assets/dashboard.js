/* global vega, vegaLite, Plotly, document, window, location, EventSource */
// The dashboard page: one server-sent event stream of updates (the history first, then what is
// new, a few times a second), drawn with Vega-Lite (charts) and plotly (3D trajectories).
'use strict';

(function () {
  const CLASSES = ['divergent', 'zero', 'fixpoint', 'second-order', 'other'];
  const COLOURS = ['#d62728', '#8c8c8c', '#2ca02c', '#1f77b4', '#ff7f0e'];
  const MAX_ROWS = 600;
  const runId = new URLSearchParams(location.search).get('run') || '';
  const $ = (id) => document.getElementById(id);

  const state = {
    status: 'connecting',
    live: false,
    facts: null,
    progress: { done: 0, total: 0, ratePerSecond: 0, elapsedMs: 0 },
    census: { step: [], counts: CLASSES.map(() => []), loss: [] },
    epochs: { codes: [], step: [], counts: [], births: [], deaths: [] },
    snapshot: null,
    trajectories: [],
  };

  function decode(text, Type) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return Array.from(new Type(bytes.buffer));
  }
  const f64 = (text) => decode(text, Float64Array);
  /** Appends in a loop: a spread of a long history would overflow the call stack. */
  function append(target, values) {
    for (const value of values) target.push(value);
  }
  const f32 = (text) => decode(text, Float32Array);

  function apply(message) {
    state.status = message.status;
    state.live = message.live;
    state.progress = message.progress;
    state.error = message.error;
    if (message.facts) state.facts = message.facts;
    const c = message.census;
    if (c) {
      append(state.census.step, f64(c.step));
      c.counts.forEach((column, k) => append(state.census.counts[k], f64(column)));
      append(state.census.loss, f64(c.loss));
    }
    const e = message.epochs;
    if (e) {
      if (state.epochs.codes.length === 0) {
        state.epochs.codes = e.codes;
        state.epochs.counts = e.codes.map(() => []);
      }
      append(state.epochs.step, f64(e.step));
      e.counts.forEach((column, k) => append(state.epochs.counts[k], f64(column)));
      append(state.epochs.births, f64(e.births));
      append(state.epochs.deaths, f64(e.deaths));
    }
    if (message.snapshot) {
      const s = message.snapshot;
      state.snapshot = { step: s.step, x: f32(s.x), y: f32(s.y), classes: decode(s.classes, Uint8Array), explained: s.explained };
      state.trajectories = message.trajectories.map((t) => ({ uid: t.uid, cls: t.cls, steps: f64(t.steps), x: f32(t.x), y: f32(t.y) }));
    }
    if (message.census || message.facts) dirty.census = true;
    if (message.epochs || message.facts) dirty.epochs = true;
    if (message.snapshot || message.facts) dirty.snapshot = true;
    drawHeader();
    void redraw();
  }

  const dirty = { census: false, epochs: false, snapshot: false };
  let drawing = false;

  /** Draws what changed; updates that arrive meanwhile are drawn together afterwards, so that a slow machine is never flooded. */
  async function redraw() {
    if (drawing) return;
    drawing = true;
    try {
      while (dirty.census || dirty.epochs || dirty.snapshot) {
        const { census, epochs, snapshot } = dirty;
        dirty.census = dirty.epochs = dirty.snapshot = false;
        await Promise.all([census && drawCensus(), epochs && drawEpochs(), snapshot && drawSnapshot()]);
        if (state.status === 'running') await new Promise((resolve) => setTimeout(resolve, 400));
      }
    } finally {
      drawing = false;
    }
  }

  /** Indices of at most MAX_ROWS of n rows, evenly spaced, the last included. */
  function thinned(n) {
    if (n <= MAX_ROWS) return Array.from({ length: n }, (_, k) => k);
    const out = Array.from({ length: MAX_ROWS - 1 }, (_, k) => Math.floor((k * n) / (MAX_ROWS - 1)));
    out.push(n - 1);
    return out;
  }

  const views = {};
  const colour = { field: 'class', type: 'nominal', title: null, scale: { domain: CLASSES, range: COLOURS }, sort: CLASSES };

  /** A Vega-Lite chart in element `id` whose data set `rows` is replaced at each update. */
  /** `shown`: how many data points the rows stand for (data-points, read by the tests), before thinning. */
  async function chart(id, spec, rows, shown = rows.length) {
    const element = $(id);
    element.dataset.points = String(shown);
    if (!views[id]) {
      element.textContent = '';
      const width = Math.max(200, element.clientWidth - 150);
      const compiled = vegaLite.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width, height: 200, data: { name: 'rows' }, ...spec }).spec;
      views[id] = new vega.View(vega.parse(compiled), { renderer: 'canvas', container: element });
    }
    await views[id].data('rows', rows).runAsync();
  }

  function empty(id, text) {
    const element = $(id);
    if (views[id]) {
      views[id].finalize();
      delete views[id];
    }
    element.dataset.points = '0';
    element.innerHTML = '';
    const note = document.createElement('div');
    note.className = 'empty';
    note.textContent = text;
    element.appendChild(note);
  }

  const stepTitle = () => (state.facts && state.facts.experiment === 'soup' ? 'epoch' : 'step');

  function drawCensus() {
    const { step, counts, loss } = state.census;
    if (step.length === 0) return empty('census', 'no census yet');
    const rows = [];
    const lossRows = [];
    for (const k of thinned(step.length)) {
      CLASSES.forEach((name, c) => rows.push({ step: step[k], class: name, order: c, count: counts[c][k] }));
      if (Number.isFinite(loss[k]) && loss[k] > 0) lossRows.push({ step: step[k], loss: loss[k] });
    }
    const drawn = chart(
      'census',
      {
        mark: { type: 'area', interpolate: 'step-after' },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: stepTitle() },
          y: { field: 'count', type: 'quantitative', stack: 'zero', title: 'particles' },
          color: colour,
          order: { field: 'order' },
        },
      },
      rows,
      step.length,
    );
    if (lossRows.length === 0) return Promise.all([drawn, empty('loss', 'no loss reported')]);
    const lossDrawn = chart(
      'loss',
      {
        mark: { type: 'line', color: '#333' },
        encoding: { x: { field: 'step', type: 'quantitative', title: stepTitle() }, y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'mean loss' } },
      },
      lossRows,
    );
    return Promise.all([drawn, lossDrawn]);
  }

  function drawEpochs() {
    const { codes, step, counts, births, deaths } = state.epochs;
    const soup = state.facts && state.facts.experiment === 'soup';
    for (const element of document.querySelectorAll('.soup')) element.hidden = !soup;
    if (!soup) return;
    if (step.length === 0) {
      const note = state.live ? 'recorded while a page is connected' : 'not recorded in a results directory';
      empty('interactions', note);
      return empty('births', note);
    }
    const rows = [];
    const lives = [];
    for (const k of thinned(step.length)) {
      codes.forEach((code, c) => {
        if (!code.startsWith('respawn')) rows.push({ epoch: step[k], kind: code, count: counts[c][k] });
      });
      lives.push({ epoch: step[k], what: 'births', count: births[k] }, { epoch: step[k], what: 'deaths', count: deaths[k] });
    }
    const line = (field, title) => ({
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1 },
      encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { field: 'count', type: 'quantitative', title }, color: { field, type: 'nominal', title: null } },
    });
    return Promise.all([chart('interactions', line('kind', 'interactions'), rows), chart('births', line('what', 'particles'), lives)]);
  }

  let lastTrajectories = 0;

  function drawSnapshot() {
    const s = state.snapshot;
    if (!s) {
      empty('pca', state.facts && state.facts.experiment === 'soup' ? 'no snapshots (snapshotEvery)' : 'at the end of the run');
      return empty('trajectories', 'no snapshots');
    }
    const pct = (k) => (s.explained[k] === undefined ? '' : ` (${(100 * s.explained[k]).toFixed(1)} %)`);
    $('pca-title').textContent = `Population in weight space (PCA, ${stepTitle()} ${s.step})`;
    const rows = [];
    s.x.forEach((x, k) => {
      if (Number.isFinite(x) && Number.isFinite(s.y[k])) rows.push({ x, y: s.y[k], class: CLASSES[s.classes[k]] });
    });
    const drawn = chart(
      'pca',
      {
        mark: { type: 'circle', size: 14, opacity: 0.7 },
        encoding: { x: { field: 'x', type: 'quantitative', title: `PC1${pct(0)}` }, y: { field: 'y', type: 'quantitative', title: `PC2${pct(1)}` }, color: colour },
      },
      rows,
    );
    // one trace per class (paths separated by gaps): far cheaper to draw in WebGL than one per path
    const traces = CLASSES.map((name, c) => {
      const trace = { type: 'scatter3d', mode: 'lines', name, x: [], y: [], z: [], line: { color: COLOURS[c], width: 3 }, connectgaps: false };
      for (const t of state.trajectories) {
        if (t.cls !== c) continue;
        append(trace.x, t.x);
        append(trace.y, t.y);
        append(trace.z, t.steps);
        trace.x.push(null);
        trace.y.push(null);
        trace.z.push(null);
      }
      return trace;
    }).filter((trace) => trace.x.length > 0);
    $('trajectories').dataset.points = String(state.trajectories.length);
    // WebGL redraws are costly: at most every 5 s while the run goes on
    const now = Date.now();
    if (state.status === 'running' && now - lastTrajectories < 5000) return drawn;
    lastTrajectories = now;
    const layout = {
      margin: { l: 0, r: 0, b: 0, t: 0 },
      scene: { xaxis: { title: { text: 'PC1' } }, yaxis: { title: { text: 'PC2' } }, zaxis: { title: { text: stepTitle() } }, camera: { eye: { x: 1.6, y: 1.6, z: 0.9 } } },
    };
    return Promise.all([drawn, Plotly.react('trajectories', traces, layout, { displaylogo: false, responsive: true })]);
  }

  function drawHeader() {
    const { facts, progress, status } = state;
    const unit = facts && facts.experiment === 'soup' ? 'epochs' : 'steps';
    $('status').textContent = state.error ? `${status}: ${state.error}` : status;
    $('status').className = `status ${status}`;
    $('done').textContent = String(progress.done);
    $('total').textContent = String(progress.total);
    $('unit').textContent = unit;
    $('rate').textContent = status === 'running' ? `${progress.ratePerSecond.toFixed(1)} ${unit}/s` : '–';
    $('elapsed').textContent = `${(progress.elapsedMs / 1000).toFixed(1)} s`;
    $('bar').style.width = `${progress.total > 0 ? (100 * progress.done) / progress.total : 0}%`;
    const live = state.live && (status === 'running' || status === 'paused');
    $('controls').hidden = !state.live;
    $('pause').disabled = !live || status === 'paused';
    $('resume').disabled = !live || status !== 'paused';
    $('stop').disabled = !live;
    if (facts) {
      $('title').textContent = `srnn · ${facts.name || `${facts.architecture} ${facts.experiment}`}`;
      const rows = [
        ['scenario', facts.name || '–'],
        ['architecture', facts.architecture],
        ['experiment', facts.experiment],
        ['population', facts.populationSize],
        ['weights per network', facts.weightCount],
        ['seed', facts.seed],
        ['backend', facts.backend],
        ['srnn', facts.srnnVersion],
      ];
      $('facts').innerHTML = '';
      for (const [key, value] of rows) {
        const tr = $('facts').insertRow();
        tr.insertCell().textContent = key;
        tr.insertCell().textContent = String(value);
      }
      $('scenario').textContent = facts.scenarioYaml;
    }
  }

  function control(action) {
    fetch(`/control?action=${action}`, { method: 'POST' });
  }
  $('pause').onclick = () => control('pause');
  $('resume').onclick = () => control('resume');
  $('stop').onclick = () => control('stop');

  function table(element, columns, rows, cell) {
    element.innerHTML = '';
    const head = element.createTHead().insertRow();
    for (const column of columns) head.appendChild(document.createElement('th')).textContent = column;
    const body = element.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const column of columns) cell(tr.insertCell(), column, row);
    }
  }

  function showSweep(sweep) {
    $('run-view').hidden = true;
    $('sweep-view').hidden = false;
    $('controls').hidden = true;
    $('status').textContent = 'finished';
    $('status').className = 'status finished';
    $('title').textContent = `srnn · sweep${sweep.name ? ` ${sweep.name}` : ''}`;
    const fraction = (v) => (typeof v === 'number' ? v.toFixed(3) : '');
    table($('summary'), [...sweep.keys, 'n', ...CLASSES], sweep.summary, (td, column, row) => {
      td.textContent = CLASSES.includes(column) ? `${fraction(row[`mean.${column}`])} ± ${fraction(row[`std.${column}`])}` : String(row[column]);
    });
    table($('runs'), ['run', ...sweep.keys, 'replicate', 'seed', ...CLASSES], sweep.runs, (td, column, row) => {
      if (column !== 'run') return (td.textContent = String(row[column]));
      const a = td.appendChild(document.createElement('a'));
      a.href = `?run=${encodeURIComponent(row.run)}`;
      a.textContent = row.run;
    });
  }

  function connect() {
    const source = new EventSource(`/events?run=${encodeURIComponent(runId)}`);
    source.onmessage = (event) => apply(JSON.parse(event.data));
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED || state.status === 'finished' || state.status === 'stopped') {
        source.close();
        $('status').textContent = `${state.status} (server gone)`;
      }
    };
    window.dashboard = { state, source };
  }

  fetch('/sweep')
    .then((response) => response.json())
    .then((sweep) => (sweep && !runId ? showSweep(sweep) : connect()));
})();
