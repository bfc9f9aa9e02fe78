'use strict';
// LKST/J's timeline page: draws the arrays that lkst.buffers.view.Page embedded, on one canvas. No library, no
// network. Lanes: one per CPU (which task runs when; IRQs in a strip at the bottom; losses shaded), then one per task
// (running / runnable / sleeping; its events as ticks, the JVM's as triangles). Wide things are drawn one by one;
// what is narrower than a pixel is merged per pixel column, so a repaint costs at most one rectangle per pixel of
// each lane plus the wide ones.
(function () {
  const view = window.lkstView = { ready: false, firstPaintMs: null, lastRepaintMs: null, repaints: 0 };
  const errorBox = document.getElementById('error');
  function fail(message) {
    errorBox.textContent = 'LKST/J view: ' + message;
    errorBox.hidden = false;
  }
  window.addEventListener('error', e => fail(e.message));
  window.addEventListener('unhandledrejection', e => fail(String(e.reason)));

  const H = JSON.parse(document.getElementById('header').textContent);
  const LABEL = 180, AXIS = 24, CPU_LANE = 30, TASK_LANE = 16, IRQ_STRIP = 6;
  const STATE_NAMES = ['running', 'runnable', 'sleeping', 'uninterruptible (D)'];
  const STATE_COLORS = [null, '#f2c94c', '#e6e6e6', '#e08a5b'];
  const HARD_IRQ = '#d62728', SOFT_IRQ = '#9467bd', TICK = '#333', JVM_MARK = '#1565c0';

  const canvas = document.getElementById('timeline');
  const scroller = document.getElementById('scroller');
  const spacer = document.getElementById('spacer');
  const tip = document.getElementById('tip');
  const ctx = canvas.getContext('2d', { alpha: false });

  let A, n, tMin, tMax, rowInType, taskColor, taskCpu, lanes = [], visible = [], matches = null;
  let v0 = 0, v1 = 1, width = 0, height = 0, pending = null, scheduled = false;

  async function load() {
    const b64 = document.getElementById('data').textContent;
    const packed = Uint8Array.fromBase64 ? new Blob([Uint8Array.fromBase64(b64.trim())]).stream()
      : (await fetch('data:application/octet-stream;base64,' + b64.trim())).body;
    view.timings = { decoded: performance.now() };
    // read into one buffer of the size the header gives (Response.arrayBuffer() took 3× as long on a 31 MB page);
    // the lanes' arrays come first: the page draws once they are in, the fields and strings follow meanwhile
    const reader = packed.pipeThrough(new DecompressionStream('gzip')).getReader();
    const bytes = new ArrayBuffer(H.size), all = new Uint8Array(bytes);
    let at = 0, done = false;
    async function more() {
      const chunk = await reader.read();
      if (chunk.done) done = true;
      else { all.set(chunk.value, at); at += chunk.value.length; }
    }
    while (!done && at < H.lanes) await more();
    view.fields = (async () => {
      while (!done) await more();
      view.complete = true;
    })();
    view.timings.unpacked = performance.now();
    A = {};
    for (const [name, [offset, length, kind]] of Object.entries(H.arrays)) {
      const Type = { f64: Float64Array, u8: Uint8Array, i8: Int8Array, i16: Int16Array, i32: Int32Array }[kind];
      A[name] = new Type(bytes, offset, length);
    }
    // times: steps from the event before (ns), a far step from time.far (see EventTable.timeSteps)
    const step = A['time.step'], far = A['time.far'], time = A.time = new Float64Array(step.length);
    for (let i = 0, f = 0, t = 0; i < step.length; i++) {
      t += step[i] === -2147483648 ? far[f++] : step[i];
      time[i] = t;
    }
    n = H.events;
    tMin = n ? Infinity : 0; tMax = n ? -Infinity : 1;
    for (let i = 0; i < n; i++) {
      const t = time[i];
      if (t < tMin) tMin = t;
      if (t > tMax) tMax = t;
    }
    if (tMax <= tMin) tMax = tMin + 1000;
    markers();
    taskColors();
    buildLanes();
    v0 = tMin; v1 = tMax;
    legend();
    losses();
    view.timings.indexed = performance.now();
    document.getElementById('summary').textContent =
      `${n.toLocaleString('en')} events · ${H.cpus} CPUs · ${H.tasks.length} tasks · ${seconds(tMax - tMin)} · time: ${H.clock}`;
  }

  // ---- tasks, processes, colours

  function taskColors() {
    // one colour per process (golden-angle hues); CPU time per task from its slices, to order the lanes
    taskColor = H.tasks.map(([tid, pid]) => `hsl(${(pid * 137.508) % 360},62%,${52 + (pid % 3) * 6}%)`);
    taskCpu = new Float64Array(H.tasks.length);
    const s = A['slice.start'], e = A['slice.end'], v = A['slice.value'];
    for (let k = 0; k < s.length; k++) taskCpu[v[k]] += endOf(e[k]) - startOf(s[k]);
  }

  /**
   * Each task's events, but its switches (they are the ends of its slices), as the markers of its lane, in two
   * lists: the JVM's events (triangles, each one drawn) and the others (ticks): event indexes grouped by task
   * (NAME.first[t] to NAME.first[t + 1]), in time order within a task.
   */
  function markers() {
    const task = A.task, type = A.type, tasks = H.tasks.length;
    const sw = H.types.findIndex(t => t.name === 'sched:sched_switch');
    const jvm = Uint8Array.from(H.types, t => t.jvm ? 1 : 0);
    for (const [name, want] of [['tick', 0], ['jvm', 1]]) {
      const first = new Int32Array(tasks + 1);
      for (let i = 0; i < n; i++) if (task[i] >= 0 && type[i] !== sw && jvm[type[i]] === want) first[task[i] + 1]++;
      for (let t = 0; t < tasks; t++) first[t + 1] += first[t];
      const at = first.slice(0, tasks), events = new Int32Array(first[tasks]);
      for (let i = 0; i < n; i++) if (task[i] >= 0 && type[i] !== sw && jvm[type[i]] === want) events[at[task[i]]++] = i;
      A[name + '.first'] = first;
      A[name + '.event'] = events;
    }
  }

  function startOf(event) { return event < 0 ? tMin : A.time[event]; }
  function endOf(event) { return event < 0 ? tMax : A.time[event]; }

  function taskName(task) {
    const [tid, pid, comm] = H.tasks[task];
    return (comm || '?') + ' ' + (pid !== tid ? pid + '/' + tid : tid);
  }

  function buildLanes() {
    for (let c = 0; c < H.cpus; c++) lanes.push({ kind: 'cpu', cpu: c, h: CPU_LANE, label: 'CPU ' + c });
    const sf = A['state.first'], mf = A['tick.first'], jf = A['jvm.first'];
    const byProcess = new Map();
    H.tasks.forEach(([tid, pid], task) => byProcess.set(pid, (byProcess.get(pid) || 0) + taskCpu[task]));
    const tasks = [];
    for (let t = 0; t < H.tasks.length; t++) {
      if (H.tasks[t][0] === 0) continue; // the idle task: the CPU lanes' gaps
      if (sf[t + 1] > sf[t] || mf[t + 1] > mf[t] || jf[t + 1] > jf[t]) tasks.push(t);
    }
    tasks.sort((a, b) => {
      const pa = H.tasks[a][1], pb = H.tasks[b][1];
      return byProcess.get(pb) - byProcess.get(pa) || pa - pb || taskCpu[b] - taskCpu[a] || H.tasks[a][0] - H.tasks[b][0];
    });
    for (const t of tasks) lanes.push({ kind: 'task', task: t, h: TASK_LANE, label: taskName(t) });
    filter('');
  }

  // ---- search

  function filter(query) {
    const q = query.trim();
    if (!q) {
      matches = null;
    } else {
      matches = new Uint8Array(H.tasks.length);
      const number = /^\d+$/.test(q) ? Number(q) : null;
      const glob = /[*?]/.test(q)
        ? new RegExp('^' + q.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i') : null;
      const lower = q.toLowerCase();
      H.tasks.forEach(([tid, pid, comm], t) => {
        matches[t] = number !== null ? (tid === number || pid === number)
          : glob ? glob.test(comm) : comm.toLowerCase().includes(lower);
      });
    }
    visible = lanes.filter(l => l.kind === 'cpu' || !matches || matches[l.task]);
    let y = AXIS;
    for (const l of visible) { l.y = y; y += l.h; }
    const tasks = visible.length - H.cpus;
    document.getElementById('matches').textContent = matches ? `${tasks} task${tasks === 1 ? '' : 's'} match` : '';
    resize();
  }

  // ---- time

  function x(t) { return LABEL + (t - v0) * (width - LABEL) / (v1 - v0); }
  function timeAt(px) { return v0 + (px - LABEL) * (v1 - v0) / (width - LABEL); }

  function seconds(ns) {
    if (ns >= 1e9) return (ns / 1e9).toFixed(3) + ' s';
    if (ns >= 1e6) return (ns / 1e6).toFixed(3) + ' ms';
    if (ns >= 1e3) return (ns / 1e3).toFixed(3) + ' µs';
    return Math.round(ns) + ' ns';
  }

  /** A time of the trace (ns since its first event) on the chosen clock, with {@code digits} decimals of a second. */
  function clock(t, digits) {
    if (H.clock === 'rel') return (t / 1e9).toFixed(digits);
    let abs = BigInt(H.origin) + BigInt(Math.round(t));
    if (H.clock === 'wall') abs += BigInt(H.realtimeOffset);
    const neg = abs < 0n;
    if (neg) abs = -abs;
    const s = abs / 1000000000n, frac = (abs % 1000000000n).toString().padStart(9, '0').slice(0, digits);
    if (H.clock === 'mono') return (neg ? '-' : '') + s + (digits ? '.' + frac : '');
    return new Date(Number(s) * 1000).toISOString().slice(11, 19) + (digits ? '.' + frac : '');
  }

  function clockName() {
    if (H.clock === 'wall') {
      const abs = BigInt(H.origin) + BigInt(H.realtimeOffset);
      return 'UTC ' + new Date(Number(abs / 1000000n)).toISOString().slice(0, 10);
    }
    return H.clock === 'mono' ? 's (monotonic)' : 's from start';
  }

  // ---- drawing

  function resize() {
    const dpr = window.devicePixelRatio || 1;
    const top = document.getElementById('bar').offsetHeight + document.getElementById('losses').offsetHeight;
    scroller.style.top = top + 'px';
    width = scroller.clientWidth;
    height = scroller.clientHeight;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.height = height + 'px';
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const content = visible.length ? visible[visible.length - 1].y + visible[visible.length - 1].h : AXIS;
    spacer.style.height = Math.max(0, content - height) + 'px';
    request();
  }

  function request(event) {
    if (event && pending === null) pending = event.timeStamp;
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      draw();
      if (pending !== null) view.lastRepaintMs = performance.now() - pending;
      pending = null;
    });
  }

  let fill = null;
  function color(c) { if (c !== fill) { ctx.fillStyle = c; fill = c; } }

  function draw() {
    if (!A) return;
    fill = null;
    color('#fff');
    ctx.fillRect(0, 0, width, height);
    const scroll = scroller.scrollTop;
    for (let i = 0; i < visible.length; i++) {
      const l = visible[i], y = l.y - scroll;
      if (y + l.h < AXIS || y > height) continue;
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, Math.max(y, AXIS), width, l.h);
      ctx.clip();
      color(i % 2 ? '#fafafa' : '#fff');
      ctx.fillRect(0, y, width, l.h);
      ctx.save();
      ctx.beginPath();
      ctx.rect(LABEL, y, width - LABEL, l.h);
      ctx.clip();
      if (l.kind === 'cpu') cpuLane(l, y); else taskLane(l, y);
      ctx.restore();
      fill = null;
      color(l.kind === 'cpu' ? '#333' : '#444');
      ctx.font = (l.kind === 'cpu' ? 'bold ' : '') + '11px system-ui, sans-serif';
      ctx.fillText(l.label.length > 28 ? l.label.slice(0, 27) + '…' : l.label, 4, y + Math.min(l.h - 4, 12));
      color('#ddd');
      ctx.fillRect(0, y + l.h - 1, width, 1);
      ctx.restore();
      fill = null;
    }
    axis();
    view.repaints++;
  }

  /** Draws spans k in [from, to) of one lane, each with colourOf(k) (null: not drawn), merging those under a pixel. */
  function spans(start, end, from, to, y, h, colorOf, minWidth) {
    let k = lowerStart(start, from, to, v0) - 1;
    if (k < from) k = from;
    let px = -1, best = null, bestWidth = -1;
    for (; k < to; k++) {
      const s = startOf(start[k]);
      if (s > v1) break;
      const c = colorOf(k);
      if (c === null) continue;
      let x0 = x(s), x1 = x(endOf(end[k]));
      if (x1 < LABEL) continue;
      if (x0 < LABEL) x0 = LABEL;
      if (x1 - x0 >= 1) {
        if (best !== null) { color(best); ctx.fillRect(px, y, 1, h); best = null; px = -1; }
        color(c);
        ctx.fillRect(x0, y, x1 - x0, h);
      } else {
        const p = Math.floor(x0);
        if (p !== px) {
          if (best !== null) { color(best); ctx.fillRect(px, y, Math.max(1, minWidth), h); }
          px = p; best = null; bestWidth = -1;
        }
        if (x1 - x0 > bestWidth) { best = c; bestWidth = x1 - x0; }
      }
    }
    if (best !== null) { color(best); ctx.fillRect(px, y, Math.max(1, minWidth), h); }
  }

  /** The first k in [from, to) whose start is at or after t (events are in time order). */
  function lowerStart(start, from, to, t) {
    let lo = from, hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (startOf(start[mid]) < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function cpuLane(l, y) {
    const c = l.cpu, f = A['slice.first'], task = A['slice.value'];
    spans(A['slice.start'], A['slice.end'], f[c], f[c + 1], y + 2, l.h - IRQ_STRIP - 4,
      k => (!matches || matches[task[k]]) ? taskColor[task[k]] : '#d8d8d8', 1);
    const irq = A['irq.first'], kind = A['irq.value'];
    spans(A['irq.start'], A['irq.end'], irq[c], irq[c + 1], y + l.h - IRQ_STRIP - 1, IRQ_STRIP - 1,
      k => kind[k] === 0 ? HARD_IRQ : SOFT_IRQ, 1);
    const lost = H.losses.filter(loss => loss.cpu === c);
    if (lost.length) {
      // the trace records how many were lost on this CPU, not when: the whole lane is shaded
      ctx.fillStyle = lossPattern();
      fill = null;
      const x0 = Math.max(LABEL, x(tMin)), x1 = Math.min(width, x(tMax));
      ctx.fillRect(x0, y, x1 - x0, l.h - 1);
      color('#8a1f11');
      ctx.font = 'bold 11px system-ui, sans-serif';
      ctx.fillText('LOST ' + lost.map(loss => loss.count.toLocaleString('en') + ' ' + loss.source).join(', ')
        + ' (when: not recorded)', x0 + 4, y + 12);
    }
  }

  let pattern = null;
  function lossPattern() {
    if (pattern) return pattern;
    const p = document.createElement('canvas');
    p.width = p.height = 8;
    const g = p.getContext('2d');
    g.strokeStyle = 'rgba(200,30,20,0.35)';
    g.lineWidth = 2;
    g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.stroke();
    return (pattern = ctx.createPattern(p, 'repeat'));
  }

  function taskLane(l, y) {
    const t = l.task, f = A['state.first'], state = A['state.value'];
    spans(A['state.start'], A['state.end'], f[t], f[t + 1], y + 2, l.h - 5,
      k => state[k] === 0 ? taskColor[t] : STATE_COLORS[state[k]], 1);
    ticks(A['tick.first'], A['tick.event'], t, p => { color(TICK); ctx.fillRect(p, y + 1, 1, 4); });
    ticks(A['jvm.first'], A['jvm.event'], t, p => {
      color(JVM_MARK);
      ctx.beginPath(); ctx.moveTo(p - 4, y + 1); ctx.lineTo(p + 4, y + 1); ctx.lineTo(p, y + 8); ctx.fill();
    });
  }

  /** Draws task t's markers of one list, once per pixel: after one, the next is found past its pixel. */
  function ticks(first, ev, t, mark) {
    const to = first[t + 1];
    for (let k = lowerEvent(ev, first[t], to, v0); k < to;) {
      const at = A.time[ev[k]];
      if (at > v1) break;
      const p = Math.floor(x(at));
      mark(p);
      k = lowerEvent(ev, k + 1, to, timeAt(p + 1));
    }
  }

  function lowerEvent(ev, from, to, t) {
    let lo = from, hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (A.time[ev[mid]] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function axis() {
    color('#f6f6f6');
    ctx.fillRect(0, 0, width, AXIS);
    color('#bbb');
    ctx.fillRect(0, AXIS - 1, width, 1);
    const range = v1 - v0, target = range * 110 / Math.max(1, width - LABEL);
    const p10 = Math.pow(10, Math.floor(Math.log10(target)));
    const step = [1, 2, 5, 10].map(m => m * p10).find(s => s >= target);
    const digits = Math.max(0, Math.min(9, -Math.floor(Math.log10(step / 1e9))));
    ctx.font = '11px system-ui, sans-serif';
    color('#333');
    ctx.fillText(clockName(), 4, 15);
    // ticks on multiples of the step on the chosen clock (rel: since the first event)
    const base = H.clock === 'rel' ? 0 : Number((BigInt(H.origin) + (H.clock === 'wall' ? BigInt(H.realtimeOffset) : 0n)) % BigInt(Math.round(step) || 1));
    for (let t = Math.ceil((v0 + base) / step) * step - base; t <= v1; t += step) {
      const p = x(t);
      if (p < LABEL) continue;
      color('#999');
      ctx.fillRect(p, AXIS - 6, 1, 6);
      color('#333');
      ctx.fillText(clock(t, digits), p + 3, 15);
    }
  }

  // ---- hover

  /** Event e is the row-th of its type: its fields are the row-th values of its type's columns. */
  function rowOf(e) {
    if (!rowInType) { // on the first hover, not before the first paint
      rowInType = new Int32Array(n);
      const rows = new Int32Array(H.types.length), type = A.type;
      for (let i = 0; i < n; i++) rowInType[i] = rows[type[i]]++;
    }
    return rowInType[e];
  }

  function fieldsOf(e) {
    if (!view.complete) return ['(fields still loading)'];
    const type = H.types[A.type[e]], row = rowOf(e), out = [];
    for (const [name, kind] of type.fields) {
      const col = A['field.' + A.type[e] + '.' + name];
      let v;
      if (kind === 'int') v = col[row];
      else if (kind === 'text') v = JSON.stringify(text(col[row]));
      else {
        const bits = (BigInt(col[2 * row]) << 32n) | BigInt(col[2 * row + 1] >>> 0);
        v = kind === 'u64' ? BigInt.asUintN(64, bits) : BigInt.asIntN(64, bits);
        if (v > 0xffffffffn || v < -0xffffffffn) v = v + ' (0x' + BigInt.asUintN(64, bits).toString(16) + ')';
      }
      out.push(name + '=' + v);
    }
    return out;
  }

  const utf8 = new TextDecoder();
  /** String i of the page (decoded when shown, never all at once). */
  function text(i) { return utf8.decode(A['string.bytes'].subarray(A['string.offset'][i], A['string.offset'][i + 1])); }

  function describe(e) {
    const type = H.types[A.type[e]], task = A.task[e];
    return `${clock(A.time[e], 9)} [${A.cpu[e]}] ${task >= 0 ? taskName(task) : '?'} ${type.lkst ? type.lkst + ' ' : ''}${type.name}`
      + (type.jvm ? ' (JVM)' : '') + '\n  ' + fieldsOf(e).join('\n  ');
  }

  function span(s, e) {
    const a = startOf(s), b = endOf(e);
    return `${s < 0 ? 'before the first event' : clock(a, 9)} → ${e < 0 ? 'after the last event' : clock(b, 9)} (${seconds(b - a)}${s < 0 || e < 0 ? ' at least' : ''})`;
  }

  /** What is under (px, py) of the canvas: {text, kind} or null. */
  function hit(px, py) {
    if (px < LABEL || py < AXIS) return null;
    const y = py + scroller.scrollTop;
    const l = visible.find(l => y >= l.y && y < l.y + l.h);
    if (!l) return null;
    const t = timeAt(px), slop = 3 * (v1 - v0) / (width - LABEL);
    if (l.kind === 'cpu') {
      const c = l.cpu;
      if (y >= l.y + l.h - IRQ_STRIP - 1) {
        const k = find(A['irq.start'], A['irq.end'], A['irq.first'][c], A['irq.first'][c + 1], t, slop);
        if (k >= 0) return { kind: 'irq', text: (A['irq.value'][k] === 0 ? 'hard IRQ' : 'soft IRQ') + ' on CPU ' + c + ', '
          + span(A['irq.start'][k], A['irq.end'][k]) + '\n' + describe(A['irq.start'][k]) };
      }
      const k = find(A['slice.start'], A['slice.end'], A['slice.first'][c], A['slice.first'][c + 1], t, slop);
      if (k < 0) return null;
      const task = A['slice.value'][k], s = A['slice.start'][k], e = A['slice.end'][k];
      return { kind: 'slice', task, text: `${taskName(task)} on CPU ${c}\n${span(s, e)}`
        + (s >= 0 ? '\nswitched in by ' + describe(s) : '') + (e >= 0 ? '\nswitched out by ' + describe(e) : '') };
    }
    let best = -1, bestDistance = Infinity;
    for (const name of ['jvm', 'tick']) {
      const first = A[name + '.first'], ev = A[name + '.event'];
      for (let k = lowerEvent(ev, first[l.task], first[l.task + 1], t - slop); k < first[l.task + 1] && A.time[ev[k]] <= t + slop; k++) {
        const d = Math.abs(A.time[ev[k]] - t);
        if (d < bestDistance) { best = ev[k]; bestDistance = d; }
      }
      if (best >= 0) break; // a JVM event near the pointer wins over the kernel's
    }
    if (best >= 0) return { kind: 'event', task: l.task, text: describe(best) };
    const f = A['state.first'];
    const k = find(A['state.start'], A['state.end'], f[l.task], f[l.task + 1], t, 0);
    if (k < 0) return { kind: 'task', task: l.task, text: taskName(l.task) };
    return { kind: 'state', task: l.task, text: `${taskName(l.task)}: ${STATE_NAMES[A['state.value'][k]]}\n${span(A['state.start'][k], A['state.end'][k])}` };
  }

  /** The span of [from, to) under time t (within slop when it is narrow), or -1. */
  function find(start, end, from, to, t, slop) {
    let k = lowerStart(start, from, to, t + 1e-9) - 1;
    for (let j = k; j >= from && j >= k - 4; j--) if (endOf(end[j]) >= t) return j;
    for (let j = k + 1; j < to && startOf(start[j]) <= t + slop; j++) return j;
    for (let j = k; j >= from && j >= k - 4; j--) if (endOf(end[j]) >= t - slop) return j;
    return -1;
  }

  canvas.addEventListener('mousemove', e => {
    if (drag) return;
    const r = canvas.getBoundingClientRect();
    const h = hit(e.clientX - r.left, e.clientY - r.top);
    if (!h) { tip.hidden = true; return; }
    tip.textContent = h.text;
    tip.hidden = false;
    const w = tip.offsetWidth, hh = tip.offsetHeight;
    tip.style.left = Math.min(e.clientX + 12, window.innerWidth - w - 4) + 'px';
    tip.style.top = (e.clientY + 14 + hh > window.innerHeight ? e.clientY - hh - 8 : e.clientY + 14) + 'px';
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });

  // ---- zoom, pan, search

  canvas.addEventListener('wheel', e => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    const px = Math.max(LABEL, e.clientX - r.left);
    const dy = e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1);
    const factor = Math.exp(dy * 0.002);
    const at = timeAt(px), full = (tMax - tMin) * 1.5;
    const range = Math.min(full, Math.max(1000, (v1 - v0) * factor));
    v0 = at - (px - LABEL) / (width - LABEL) * range;
    v1 = v0 + range;
    tip.hidden = true;
    request(e);
  }, { passive: false });

  let drag = null;
  canvas.addEventListener('mousedown', e => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, v0, v1, scroll: scroller.scrollTop };
    canvas.classList.add('dragging');
    tip.hidden = true;
  });
  window.addEventListener('mousemove', e => {
    if (!drag) return;
    const dt = (e.clientX - drag.x) * (drag.v1 - drag.v0) / (width - LABEL);
    v0 = drag.v0 - dt; v1 = drag.v1 - dt;
    scroller.scrollTop = drag.scroll - (e.clientY - drag.y);
    request(e);
  });
  window.addEventListener('mouseup', () => { drag = null; canvas.classList.remove('dragging'); });
  canvas.addEventListener('dblclick', e => { v0 = tMin; v1 = tMax; request(e); });
  scroller.addEventListener('scroll', () => request());
  window.addEventListener('resize', resize);
  document.getElementById('search').addEventListener('input', e => filter(e.target.value));

  // ---- what the page says besides the canvas

  function legend() {
    const items = [['running (colour of its process)', 'linear-gradient(90deg,hsl(20,62%,55%),hsl(160,62%,55%),hsl(280,62%,55%))'],
      ['runnable', STATE_COLORS[1]], ['sleeping', STATE_COLORS[2]], ['uninterruptible', STATE_COLORS[3]],
      ['hard IRQ', HARD_IRQ], ['soft IRQ', SOFT_IRQ], ['event', TICK], ['JVM event', JVM_MARK]];
    const el = document.getElementById('legend');
    for (const [name, c] of items) {
      const s = document.createElement('span'), i = document.createElement('i');
      i.style.background = c;
      s.append(i, name);
      el.append(s);
    }
  }

  function losses() {
    const el = document.getElementById('losses');
    if (H.losses.length) {
      const total = H.losses.reduce((a, l) => a + l.count, 0);
      el.textContent = `LOST: ${total.toLocaleString('en')} events were not recorded — `
        + H.losses.map(l => `CPU ${l.cpu}: ${l.count.toLocaleString('en')} (${l.source})`).join(', ')
        + '. The trace does not record when, so those CPUs\u2019 lanes are shaded whole; what is drawn there misses them.';
    } else if (H.lossNote) {
      el.textContent = H.lossNote;
    }
  }

  // ---- for tests and the benchmark: the lanes and slices as drawn

  view.lanes = () => visible.map(l => ({ kind: l.kind, cpu: l.cpu, task: l.task, label: l.label, y: l.y, h: l.h }));
  /** Time t (ns since the first event) as the axis and the tips show it, to the nanosecond. */
  view.label = t => clock(t, 9);
  /** The time shown, ns since the first event: [left edge, right edge]. */
  view.range = () => [v0, v1];
  view.slices = cpu => A['slice.first'][cpu + 1] - A['slice.first'][cpu];
  /** The middle of slice k of a CPU's lane, in the page's coordinates (for a pointer to hover over it). */
  view.sliceCenter = (cpu, k) => {
    const j = A['slice.first'][cpu] + k, l = visible.find(l => l.kind === 'cpu' && l.cpu === cpu);
    const r = canvas.getBoundingClientRect();
    const a = Math.max(LABEL, x(startOf(A['slice.start'][j]))), b = Math.min(width, x(endOf(A['slice.end'][j])));
    return { x: Math.round(r.left + (a + b) / 2), y: Math.round(r.top + l.y - scroller.scrollTop + 2 + (l.h - IRQ_STRIP - 4) / 2), task: taskName(A['slice.value'][j]) };
  };

  /** The middle of marker k of a list ('tick' or 'jvm') of task tid's lane, in the page's coordinates. */
  view.markerCenter = (list, tid, k) => {
    const task = H.tasks.findIndex(t => t[0] === tid), l = visible.find(l => l.kind === 'task' && l.task === task);
    const e = A[list + '.event'][A[list + '.first'][task] + k], r = canvas.getBoundingClientRect();
    return { x: Math.round(r.left + x(A.time[e])), y: Math.round(r.top + l.y - scroller.scrollTop + 4), event: H.types[A.type[e]].name };
  };

  load().then(() => {
    // a link can carry a search: view.html#search=cc1
    const asked = decodeURIComponent(location.hash.startsWith('#search=') ? location.hash.slice(8) : '');
    if (asked) {
      document.getElementById('search').value = asked;
      filter(asked);
    }
    resize();
    requestAnimationFrame(() => {
      draw();
      view.timings.drawn = performance.now();
      // the frame after the first full draw: it is on the screen
      requestAnimationFrame(() => { view.firstPaintMs = performance.now(); view.ready = true; });
    });
  }).catch(e => fail(e && e.message ? e.message : String(e)));
})();
