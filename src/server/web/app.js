/* bloc swingometer — the web app of `bloc serve`. Plain JS, no framework, no build step, no
 * network but its own origin. Every change of the scenario is POSTed to /api/project (the same
 * scenario JSON as `bloc project`), debounced, and the latest answer is drawn: seat totals, a hex
 * map, the seats changing hands, a sortable seat table and a seat's detail. The scenario lives in
 * the URL's hash (#s=<scenario JSON>), so a link restores it. */
'use strict';

(function () {
	/* The party registry's names and colours (src/lib/data/party_table.h); the API gives none. */
	const PARTIES = {
		CON: ['Conservative', '#0087DC'],
		LAB: ['Labour', '#E4003B'],
		LD: ['Liberal Democrats', '#FAA61A'],
		SNP: ['Scottish National Party', '#FDF38E'],
		PC: ['Plaid Cymru', '#005B54'],
		GRN: ['Green', '#02A95B'],
		REF: ['Reform UK', '#12B6CF'],
		BRX: ['Brexit Party', '#5BC0DE'],
		UKIP: ['UK Independence Party', '#6D3177'],
		DUP: ['Democratic Unionist Party', '#D46A4C'],
		SF: ['Sinn Féin', '#326760'],
		SDLP: ['Social Democratic and Labour Party', '#2AA82C'],
		UUP: ['Ulster Unionist Party', '#48A5EE'],
		ALL: ['Alliance', '#F6CB2F'],
		TUV: ['Traditional Unionist Voice', '#0C3A6A'],
		SPK: ['Speaker', '#7F7F7F'],
		RES: ['Respect', '#46801C'],
		WPB: ['Workers Party of Britain', '#A4161A'],
		IND: ['Independent', '#DDDDDD'],
		OTH: ['Other', '#999999'],
	};
	const NO_SEAT = '#f0f0f0';
	/* Parties that stand in one nation only: no national share slider for them in a UK contest. */
	const REGIONAL = new Set(['SNP', 'PC', 'DUP', 'SF', 'SDLP', 'UUP', 'ALL', 'TUV']);
	const NOT_SLIDER = new Set(['OTH', 'SPK', 'IND']);
	const OTHERS = 'OTHERS'; /* the slider of every party without its own: what the fill rule shares out */
	const MAX_SLIDERS = 7;
	const MAX_GROUPS = 8;
	const DEBOUNCE_MS = 50;
	const DIAL_MAX = 20; /* points of swing at the ends of the dial */

	const $ = (id) => document.getElementById(id);
	const ESC = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};
	const esc = (s) => String(s == null ? '' : s).replace(/[&<>"']/g, (c) => ESC[c]);
	const colour = (p) => (PARTIES[p] || PARTIES.OTH)[1];
	const pname = (p) => (p === OTHERS ? 'All other parties' : (PARTIES[p] || [p])[0]);
	const plabel = (p) => (p === OTHERS ? 'Others' : p);
	const fmt1 = (x) => (x == null || isNaN(x) ? '–' : Number(x).toFixed(1));
	const signed = (x, d) => (x > 0 ? '+' : x < 0 ? '−' : '±') + Math.abs(x).toFixed(d);
	const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
	const sum = (a) => a.reduce((s, x) => s + x, 0);
	/* Text on a dark or light party colour. */
	const ink = (hex) => {
		const n = parseInt(hex.slice(1), 16);
		const l = 0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
		return l > 150 ? '#111' : '#fff';
	};

	const state = {
		contests: [],
		groupCatalog: [],
		base: null,
		model: 'uniform',
		shares: null, /* {party: hundredths of a point}, with OTHERS, once a slider has moved */
		anchor: null, /* the shares when the current slider drag began */
		swing: {from: null, to: null, points: 0},
		groups: [], /* [{group, change: {party: points}}] */
		stands: [], /* new candidates: [{party, name, seat}] (seat: a code, or the link's text) */
		baseline: 'census', /* census, survey or ei: how the groups voted in the base */
		survey: 'LAB=86,CON=9,LD=3,GRN=2', /* the survey split, when baseline is survey */
		eiText: 'ei', /* the baseline as the link gave it (ei:draws=...), when it is ei */
		extra: {}, /* scenario keys the page has no control for (regions, ratios), kept as they came */
		/* the contest */
		hexes: [],
		info: new Map(), /* code -> bloc results --by seat row */
		baseSeats: new Map(), /* code -> the zero-change projection's seat row */
		baseShares: {}, /* party -> hundredths, sliders' parties and OTHERS */
		baseRows: [],
		sliderParties: [],
		groupParties: [],
		nseats: 0,
		/* the answer on screen */
		proj: null,
		seats: new Map(),
		selected: null,
		sort: {key: 'name', dir: 1},
		filter: '',
	};

	let seq = 0; /* requests sent */
	let applied = 0; /* the newest request whose answer is on screen */
	let timer = null;
	let loadToken = 0;

	/* ---- API ---- */
	async function api(path, body) {
		const init = body === undefined ? {} : {
			method: 'POST',
			headers: {'Content-Type': 'application/json'},
			body: JSON.stringify(body),
		};
		const r = await fetch(path, init);
		let j = null;
		try {
			j = await r.json();
		} catch (e) {
			throw new Error(path + ': ' + r.status + ' (not JSON)');
		}
		if (!r.ok || (j && j.error)) {
			const m = j && j.error ? j.error.message : String(r.status);
			throw new Error(m);
		}
		return j;
	}

	function showError(msg) {
		const e = $('error');
		if (!msg) {
			e.hidden = true;
			e.textContent = '';
			return;
		}
		e.hidden = false;
		e.textContent = msg;
	}
	const status = (msg) => {
		$('status').textContent = msg;
	};

	/* ---- the scenario ---- */
	function displayedShares() {
		if (state.shares) return Object.assign({}, state.shares);
		const s = Object.assign({}, state.baseShares);
		const {from, to, points} = state.swing;
		if (points && from in s && to in s) {
			const d = Math.round(points * 100);
			s[from] -= d;
			s[to] += d;
		}
		return s;
	}

	/* The Butler swing from `from` to `to` that the shares on screen make. */
	function derivedSwing(disp) {
		const {from, to} = state.swing;
		if (!(from in disp) || !(to in disp)) return 0;
		const b = state.baseShares;
		return ((disp[to] - b[to]) - (disp[from] - b[from])) / 200;
	}

	function scenario() {
		const s = {base: state.base};
		if (state.model !== 'uniform') s.model = state.model;
		if (state.shares) {
			s.shares = {};
			for (const p of state.sliderParties) s.shares[p] = state.shares[p] / 100;
		} else if (state.swing.points && state.swing.from !== state.swing.to) {
			s.swing = [{from: state.swing.from, to: state.swing.to, points: Math.round(state.swing.points * 100) / 100}];
		}
		const gs = [];
		for (const g of state.groups) {
			const ch = {};
			for (const [p, v] of Object.entries(g.change))
				if (v) ch[p] = v;
			if (g.group && Object.keys(ch).length) gs.push({group: g.group, change: ch});
		}
		if (gs.length) s.groups = gs;
		if (state.stands.length) s.stand = state.stands.map((x) => `${x.party}${x.name ? ':' + x.name : ''}@${x.seat}`);
		if (state.baseline === 'survey' && state.survey.trim()) s.baseline = 'survey:' + state.survey.trim();
		else if (state.baseline === 'ei') s.baseline = state.eiText;
		for (const [k, v] of Object.entries(state.extra)) s[k] = v;
		return s;
	}

	function readHash() {
		const h = location.hash.replace(/^#/, '');
		if (!h) return null;
		const v = new URLSearchParams(h).get('s');
		if (!v) return null;
		try {
			const s = JSON.parse(v);
			return s && typeof s === 'object' && !Array.isArray(s) ? s : null;
		} catch (e) {
			showError('The link\'s scenario is not valid JSON; starting from the base.');
			return null;
		}
	}

	function writeHash() {
		const h = '#s=' + encodeURIComponent(JSON.stringify(scenario()));
		if (location.hash !== h) history.replaceState(null, '', h);
		$('permalink').href = h;
	}

	/* Rescale the other sliders in proportion to where they stood when this drag began. */
	function setShare(p, v) {
		if (!state.shares) state.shares = displayedShares();
		if (!state.anchor || state.anchor.party !== p) state.anchor = {party: p, values: Object.assign({}, state.shares)};
		const a = state.anchor.values;
		v = clamp(Math.round(v), 0, 10000);
		const others = Object.keys(a).filter((k) => k !== p);
		const total = 10000 - v;
		const so = sum(others.map((k) => a[k]));
		const raw = others.map((k) => (so > 0 ? (a[k] * total) / so : total / others.length));
		const fl = raw.map(Math.floor);
		let rest = total - sum(fl);
		const order = raw.map((x, i) => [x - fl[i], i]).sort((x, y) => y[0] - x[0]);
		for (let k = 0; rest > 0 && k < order.length; k++, rest--) fl[order[k][1]]++;
		const s = {[p]: v};
		others.forEach((k, i) => {
			s[k] = fl[i];
		});
		state.shares = s;
	}

	/* Turn the dial: a Butler swing, or with explicit shares, the two parties' shares move. */
	function setSwing(v) {
		const {from, to} = state.swing;
		if (!from || !to || from === to) return;
		if (!state.shares) {
			const b = state.baseShares;
			state.swing.points = clamp(Math.round(v * 100) / 100, -b[to] / 100, b[from] / 100);
			return;
		}
		const s = state.shares;
		let d = Math.round((v - derivedSwing(s)) * 100);
		d = clamp(d, -s[to], s[from]);
		s[from] -= d;
		s[to] += d;
		state.anchor = null;
		state.swing.points = derivedSwing(s);
	}

	/* ---- requests ---- */
	function changed() {
		writeHash();
		renderControls();
		clearTimeout(timer);
		$('app').dataset.busy = 'true';
		timer = setTimeout(send, DEBOUNCE_MS);
	}

	async function send() {
		timer = null;
		const mine = ++seq;
		const scen = scenario();
		const token = loadToken;
		try {
			const j = await api('/api/project', scen);
			if (mine < applied || token !== loadToken) return; /* a newer answer is on screen */
			applied = mine;
			showError('');
			renderProjection(j, scen);
		} catch (e) {
			if (mine < applied || token !== loadToken) return;
			applied = mine;
			showError('Projection failed: ' + e.message);
		} finally {
			if (mine === seq && token === loadToken && timer === null) { /* nothing newer sent or waiting */
				$('app').dataset.busy = 'false';
				status('');
			}
		}
	}

	/* ---- loading a contest ---- */
	async function loadContest(id, restored) {
		const token = ++loadToken;
		$('app').dataset.ready = 'false';
		$('app').dataset.busy = 'true';
		status('Loading ' + id + '…');
		showError('');
		let hex, base, res;
		try {
			[hex, base, res] = await Promise.all([
				api('/api/hexmap?contest=' + encodeURIComponent(id)),
				api('/api/project', {base: id}),
				api('/api/results?contest=' + encodeURIComponent(id) + '&by=seat').catch(() => null),
			]);
		} catch (e) {
			if (token !== loadToken) return;
			showError('Could not load ' + id + ': ' + e.message);
			status('');
			$('app').dataset.busy = 'false';
			return;
		}
		if (token !== loadToken) return;
		state.base = id;
		$('contest').value = id;
		state.hexes = hex.hexes || [];
		state.layout = hex.layout || 'odd-r';
		state.info = new Map(((res && res.rows) || []).map((r) => [r.code, r]));
		state.baseSeats = new Map(base.seats.rows.map((r) => [r.code, r]));
		state.baseRows = base.party.rows;
		state.nseats = base.seats.rows.length;
		chooseParties(restored);
		applyScenario(restored);
		buildSliders();
		buildSwingPairs();
		buildGroups();
		drawMap();
		state.selected = state.selected && state.baseSeats.has(state.selected) ? state.selected : null;
		changed();
	}

	function chooseParties(restored) {
		const rows = state.baseRows;
		const multi = state.nseats > 1;
		let main = rows
		               .filter((r) => r.votes_share_base >= 2 && !NOT_SLIDER.has(r.party) && !(multi && REGIONAL.has(r.party)))
		               .sort((a, b) => b.votes_share_base - a.votes_share_base)
		               .slice(0, MAX_SLIDERS)
		               .map((r) => r.party);
		const known = new Set(rows.map((r) => r.party));
		if (restored && restored.shares && typeof restored.shares === 'object')
			for (const p of Object.keys(restored.shares))
				if (known.has(p) && !main.includes(p)) main.push(p);
		state.sliderParties = main;
		const shareOf = new Map(rows.map((r) => [r.party, r.votes_share_base]));
		const b = {};
		for (const p of main) b[p] = Math.round(shareOf.get(p) * 100);
		const used = sum(Object.values(b));
		if (used > 10000) b[main[0]] -= used - 10000;
		b[OTHERS] = Math.max(0, 10000 - sum(Object.values(b)));
		state.baseShares = b;
		const gp = main.slice();
		for (const p of ['IND', 'WPB', 'RES'])
			if ((p === 'IND' || known.has(p)) && !gp.includes(p)) gp.push(p);
		for (const g of (restored && Array.isArray(restored.groups) ? restored.groups : []))
			for (const p of Object.keys((g && g.change) || {}))
				if (!gp.includes(p)) gp.push(p);
		state.groupParties = gp;
		/* The dial's default pair: the two largest parties. */
		const byShare = main.slice();
		if (!main.includes(state.swing.from)) state.swing.from = byShare[0] || null;
		if (!main.includes(state.swing.to) || state.swing.to === state.swing.from)
			state.swing.to = byShare.find((p) => p !== state.swing.from) || null;
	}

	/* Put a scenario (from the link) into the controls; keys without a control are kept as they are. */
	function applyScenario(s) {
		state.shares = null;
		state.anchor = null;
		state.swing.points = 0;
		state.extra = {};
		state.stands = [];
		state.baseline = 'census';
		if (s && Array.isArray(s.stand))
			for (const t of s.stand) {
				const m = typeof t === 'string' && t.match(/^([^:@]+)(?::([^@]*))?@(.+)$/);
				if (m) for (const seat of m[3].split(',')) state.stands.push({party: m[1].trim(), name: (m[2] || '').trim(), seat: seat.trim()});
			}
		if (s && typeof s.baseline === 'string') {
			if (s.baseline.startsWith('survey:')) {
				state.baseline = 'survey';
				state.survey = s.baseline.slice(7);
			} else if (s.baseline.startsWith('ei')) {
				state.baseline = 'ei';
				state.eiText = s.baseline;
			}
		}
		renderBaseline();
		if (!s) {
			if (!state.groups.length) state.groups = [{group: defaultGroup(), change: {}}];
			return;
		}
		if (['uniform', 'proportional', 'transition', 'strong'].includes(s.model)) state.model = s.model;
		$('model').value = state.model;
		if (Array.isArray(s.swing) && s.swing.length) {
			const w = s.swing[0];
			if (state.sliderParties.includes(w.from) && state.sliderParties.includes(w.to) && typeof w.points === 'number') {
				state.swing.from = w.from;
				state.swing.to = w.to;
				state.swing.points = w.points;
			}
		}
		if (s.shares && typeof s.shares === 'object') {
			const d = displayedShares();
			const sh = {};
			for (const p of state.sliderParties) sh[p] = p in s.shares ? Math.round(Number(s.shares[p]) * 100) : d[p];
			sh[OTHERS] = Math.max(0, 10000 - sum(Object.values(sh)));
			state.shares = sh;
			state.swing.points = derivedSwing(sh);
		}
		state.groups = [];
		if (Array.isArray(s.groups))
			for (const g of s.groups.slice(0, MAX_GROUPS))
				if (g && typeof g.group === 'string') {
					const ch = {};
					for (const [p, v] of Object.entries(g.change || {}))
						if (typeof v === 'number') ch[p] = v;
					state.groups.push({group: g.group, change: ch});
				}
		if (!state.groups.length) state.groups = [{group: defaultGroup(), change: {}}];
		for (const k of ['regions', 'threshold', 'adult_ratio', 'turnout_ratio', 'hold_shares'])
			if (k in s) state.extra[k] = s[k];
	}

	const defaultGroup = () => (state.groupCatalog.some((g) => g.name === 'muslim') ? 'muslim' : (state.groupCatalog[0] || {}).name || '');

	/* ---- controls ---- */
	/* Range inputs step by hundredths (so any share can be shown); the keys move by tenths and ones. */
	function keyStep(ev, input, apply, current) {
		const steps = {ArrowLeft: -0.1, ArrowDown: -0.1, ArrowRight: 0.1, ArrowUp: 0.1, PageDown: -1, PageUp: 1};
		let v = current === undefined ? Number(input.value) : current;
		if (ev.key in steps) v = Math.round((v + steps[ev.key]) * 1000) / 1000;
		else if (ev.key === 'Home') v = Number(input.min);
		else if (ev.key === 'End') v = Number(input.max);
		else return;
		ev.preventDefault();
		apply(clamp(v, Number(input.min), Number(input.max)));
	}

	function buildSliders() {
		const box = $('sliders');
		box.innerHTML = '';
		for (const p of state.sliderParties.concat([OTHERS])) {
			const id = p === OTHERS ? 'others' : p;
			const row = document.createElement('div');
			row.className = 'slider-row';
			row.style.setProperty('--c', p === OTHERS ? '#999999' : colour(p));
			row.innerHTML = `<label for="slider-${id}"><span class="swatch"></span>${esc(plabel(p))}</label>` +
			                `<input type="range" id="slider-${id}" data-testid="slider-${id}" data-party="${p}" min="0" max="100" step="0.01" ` +
			                `aria-label="${esc(pname(p))}: national vote share, percent">` +
			                `<output data-testid="share-${id}" for="slider-${id}"></output><span class="delta" data-testid="share-change-${id}"></span>`;
			const input = row.querySelector('input');
			const apply = (v) => {
				setShare(p, v * 100);
				changed();
			};
			input.addEventListener('input', () => apply(Number(input.value)));
			input.addEventListener('change', () => {
				state.anchor = null;
			});
			input.addEventListener('keydown', (ev) => {
				state.anchor = null;
				keyStep(ev, input, apply, displayedShares()[p] / 100);
				state.anchor = null;
			});
			box.appendChild(row);
		}
	}

	function buildSwingPairs() {
		for (const [id, key] of [['swing-from', 'from'], ['swing-to', 'to']]) {
			const sel = $(id);
			sel.innerHTML = state.sliderParties.map((p) => `<option value="${p}">${esc(p)} — ${esc(pname(p))}</option>`).join('');
			sel.value = state.swing[key] || '';
			sel.onchange = () => {
				/* Keep what the dial did: the old pair's swing becomes explicit shares. */
				if (!state.shares && state.swing.points) state.shares = displayedShares();
				state.swing[key] = sel.value;
				const other = key === 'from' ? 'to' : 'from';
				if (state.swing[other] === sel.value) state.swing[other] = state.sliderParties.find((p) => p !== sel.value);
				state.swing.points = state.shares ? derivedSwing(state.shares) : 0;
				changed();
			};
		}
	}

	function groupLabel(name) {
		const g = state.groupCatalog.find((x) => x.name === name);
		return g ? g.label : name;
	}

	function buildGroups() {
		const box = $('groups');
		box.innerHTML = '';
		state.groups.forEach((g, i) => {
			const fs = document.createElement('fieldset');
			fs.className = 'group';
			fs.dataset.testid = 'group-' + i;
			const opts = state.groupCatalog.map((c) => `<option value="${esc(c.name)}">${esc(c.label || c.name)}</option>`).join('');
			let rows = '';
			for (const p of state.groupParties) {
				const v = g.change[p] || 0;
				const what = `Change in ${esc(pname(p))} support among ${esc(groupLabel(g.group))} voters, points`;
				rows += `<div class="group-row" style="--c:${colour(p)}"><label for="group-${i}-${p}"><span class="swatch"></span>${esc(p)}</label>` +
				        `<input type="range" min="-100" max="100" step="1" value="${v}" data-party="${p}" data-testid="group-${i}-${p}-range" aria-label="${what}">` +
				        `<input type="number" min="-100" max="100" step="1" value="${v}" id="group-${i}-${p}" data-party="${p}" data-testid="group-${i}-${p}" aria-label="${what}"></div>`;
			}
			fs.innerHTML = `<legend>Group shift ${i + 1}</legend>` +
			               `<div class="group-head"><label>Group <select data-testid="group-select-${i}" aria-label="Census group of shift ${i + 1}">${opts}</select></label>` +
			               `<button type="button" class="remove" data-testid="group-remove-${i}" aria-label="Remove group shift ${i + 1}">Remove</button></div>` +
			               rows;
			const sel = fs.querySelector('select');
			sel.value = g.group;
			sel.addEventListener('change', () => {
				g.group = sel.value;
				buildGroups();
				changed();
			});
			fs.querySelector('.remove').addEventListener('click', () => {
				state.groups.splice(i, 1);
				if (!state.groups.length) state.groups = [{group: defaultGroup(), change: {}}];
				buildGroups();
				changed();
			});
			for (const input of fs.querySelectorAll('input')) {
				const p = input.dataset.party;
				const twin = () => [...fs.querySelectorAll(`input[data-party="${p}"]`)].find((x) => x !== input);
				input.addEventListener('input', () => {
					if (input.value === '' || input.value === '-') return;
					const v = clamp(Math.round(Number(input.value)), -100, 100);
					if (isNaN(v)) return;
					g.change[p] = v;
					twin().value = v;
					changed();
				});
			}
			box.appendChild(fs);
		});
		$('group-add').disabled = state.groups.length >= MAX_GROUPS;
	}

	/* The baseline control: census, a survey split (its text box shown), or the EI estimate. */
	function renderBaseline() {
		const sel = $('baseline');
		if (!sel) return;
		sel.value = state.baseline;
		$('survey').value = state.survey;
		$('survey-row').hidden = state.baseline !== 'survey';
	}

	/* The seat panel's candidates: the ones stood here, and a form to stand another. */
	function standBlock(code) {
		const here = state.stands.map((x, i) => [x, i]).filter(([x]) => x.seat === code);
		const parties = state.groupParties.filter((p) => p !== OTHERS);
		let html = '<div class="stands" data-testid="stands"><h3>New candidates</h3>';
		html += here.length
		            ? '<ul data-testid="stand-list">' + here.map(([x, i]) => `<li>${esc(x.party)}${x.name ? ' (' + esc(x.name) + ')' : ''} <button type="button" class="remove" data-stand="${i}" data-testid="stand-remove-${i}" aria-label="Remove this candidate">Remove</button></li>`).join('') + '</ul>'
		            : '<p class="hint">None: the base\'s candidates stand again.</p>';
		html += `<div class="stand-form"><label>Party <select data-testid="stand-party" aria-label="Party of a new candidate here">${parties.map((p) => `<option value="${esc(p)}">${esc(p)}</option>`).join('')}</select></label>` +
		        '<label>Name <input type="text" maxlength="60" data-testid="stand-name" aria-label="Name of a new independent (optional)" placeholder="independent: optional"></label>' +
		        '<button type="button" data-testid="stand-add">A candidate stands here</button></div>' +
		        '<p class="hint">A new candidate starts from zero votes; a group shift towards a party lands only where it has a candidate.</p></div>';
		return html;
	}

	function wireStands(box, code) {
		const add = box.querySelector('[data-testid="stand-add"]');
		if (!add) return;
		add.addEventListener('click', () => {
			const party = box.querySelector('[data-testid="stand-party"]').value;
			const name = party === 'IND' ? box.querySelector('[data-testid="stand-name"]').value.replace(/[@,:]/g, ' ').trim() : '';
			if (!party || state.stands.some((x) => x.seat === code && x.party === party)) return;
			state.stands.push({party, name, seat: code});
			renderDetail();
			changed();
		});
		for (const b of box.querySelectorAll('[data-stand]'))
			b.addEventListener('click', () => {
				state.stands.splice(Number(b.dataset.stand), 1);
				renderDetail();
				changed();
			});
	}

	function renderControls() {
		const disp = displayedShares();
		for (const p of state.sliderParties.concat([OTHERS])) {
			const id = p === OTHERS ? 'others' : p;
			const input = $('slider-' + id);
			if (!input) continue;
			const v = disp[p] / 100;
			input.value = v.toFixed(2);
			input.setAttribute('aria-valuetext', v.toFixed(1) + ' percent');
			const row = input.parentNode;
			row.querySelector('output').textContent = v.toFixed(1);
			const d = (disp[p] - state.baseShares[p]) / 100;
			row.querySelector('.delta').textContent = Math.abs(d) >= 0.05 ? signed(d, 1) : '';
		}
		$('share-total').textContent = (sum(Object.values(disp)) / 100).toFixed(1);
		drawDial(state.shares ? derivedSwing(disp) : state.swing.points);
		$('model').value = state.model;
	}

	/* ---- the swingometer ---- */
	const dialAngle = (v) => Math.PI / 2 - (clamp(v, -DIAL_MAX, DIAL_MAX) / DIAL_MAX) * (Math.PI / 2);

	function drawDial(v) {
		const {from, to} = state.swing;
		const svg = $('dial');
		const r = 100;
		const pt = (a, rr) => `${(rr * Math.cos(a)).toFixed(2)},${(-rr * Math.sin(a)).toFixed(2)}`;
		let ticks = '';
		for (let t = -DIAL_MAX; t <= DIAL_MAX; t += 5) {
			const a = dialAngle(t);
			ticks += `<line x1="${pt(a, r).split(',')[0]}" y1="${pt(a, r).split(',')[1]}" x2="${pt(a, 88).split(',')[0]}" y2="${pt(a, 88).split(',')[1]}" class="tick"/>` +
			         `<text x="${pt(a, 78).split(',')[0]}" y="${pt(a, 78).split(',')[1]}" class="tick-label">${Math.abs(t)}</text>`;
		}
		const a = dialAngle(v);
		const [nx, ny] = pt(a, 92).split(',');
		svg.innerHTML =
		    `<path d="M -${r} 0 A ${r} ${r} 0 0 1 0 -${r} L 0 0 Z" fill="${from ? colour(from) : '#ccc'}" opacity="0.85"/>` +
		    `<path d="M 0 -${r} A ${r} ${r} 0 0 1 ${r} 0 L 0 0 Z" fill="${to ? colour(to) : '#ccc'}" opacity="0.85"/>` +
		    `<path d="M -60 0 A 60 60 0 0 1 60 0 Z" fill="#fff" opacity="0.9"/>` + ticks +
		    `<text x="-96" y="12" class="dial-party">${esc(from || '')}</text><text x="96" y="12" class="dial-party end">${esc(to || '')}</text>` +
		    `<line x1="0" y1="0" x2="${nx}" y2="${ny}" class="needle" data-testid="needle"/><circle r="6" class="hub"/>`;
		const input = $('swing');
		input.min = -DIAL_MAX;
		input.max = DIAL_MAX;
		input.value = clamp(v, -DIAL_MAX, DIAL_MAX).toFixed(2);
		const text = from && to ? `Butler swing from ${pname(from)} to ${pname(to)}: ${signed(v, 1)} points` : 'Swing';
		input.setAttribute('aria-label', `Butler swing from ${from} to ${to}, points`);
		input.setAttribute('aria-valuetext', text);
		$('dial-label').textContent = text;
		svg.setAttribute('aria-label', text);
	}

	function dialFromPointer(ev) {
		const svg = $('dial');
		const m = svg.getScreenCTM();
		if (!m) return;
		const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
		let a = Math.atan2(-p.y, p.x);
		if (a < 0) a = p.x < 0 ? Math.PI : 0;
		const v = ((Math.PI / 2 - a) / (Math.PI / 2)) * DIAL_MAX;
		setSwing(Math.round(v * 10) / 10);
		changed();
	}

	/* ---- drawing the answer ---- */
	function renderProjection(j, scen) {
		state.proj = j;
		state.seats = new Map(j.seats.rows.map((r) => [r.code, r]));
		const app = $('app');
		app.dataset.scenario = JSON.stringify(scen);
		app.dataset.seq = String(applied);
		renderTotals();
		paintMap();
		renderChanges();
		renderTable();
		renderDetail();
		app.dataset.ready = 'true';
	}

	function renderTotals() {
		const rows = state.proj.party.rows.filter((r) => r.seats > 0 || r.seats_base > 0);
		const n = state.nseats;
		const need = Math.floor(n / 2) + 1;
		let html = '';
		if (n > 1) {
			html += '<div class="bar" aria-hidden="true">';
			for (const r of rows) html += `<span style="flex:${r.seats};background:${colour(r.party)}" title="${esc(r.party)} ${r.seats}"></span>`;
			html += `<i class="majority-mark" style="left:${((need / n) * 100).toFixed(2)}%"></i></div>`;
		}
		html += '<ul class="chips">';
		for (const r of rows) {
			const c = colour(r.party);
			html += `<li data-testid="seats-${esc(r.party)}" data-party="${esc(r.party)}" data-seats="${r.seats}" style="--c:${c};--ink:${ink(c)}" ` +
			        `aria-label="${esc(pname(r.party))}: ${r.seats} seats, ${signed(r.seats_change, 0)}, ${fmt1(r.votes_share)} percent of the vote">` +
			        `<b>${esc(r.party)}</b> <span class="n">${r.seats}</span> <small>${r.seats_change ? signed(r.seats_change, 0) : ''}</small>` +
			        `<small class="share">${fmt1(r.votes_share)}%</small></li>`;
		}
		html += '</ul>';
		if (n > 1) {
			const top = rows[0];
			const line = top && top.seats >= need ? `${pname(top.party)} majority of ${2 * top.seats - n}` :
			                                       top ? `Hung parliament: ${pname(top.party)} ${need - top.seats} short of ${need}` : '';
			html += `<p class="verdict" data-testid="verdict">${esc(line)}</p>`;
		}
		$('totals').innerHTML = html;
	}

	function drawMap() {
		const svg = $('map');
		const S3 = Math.sqrt(3);
		/* HexJSON offset coordinates, r growing northwards (so y is flipped). odd-r (bloc's
		 * layouts) and even-r: pointy-top, odd or even rows pushed right by half a hex; odd-q and
		 * even-q: flat-top, odd or even columns pushed up. */
		const layout = state.layout;
		const flat = layout === 'odd-q' || layout === 'even-q';
		const pts = flat ? [[-1, 0], [-0.5, -S3 / 2], [0.5, -S3 / 2], [1, 0], [0.5, S3 / 2], [-0.5, S3 / 2]] :
		                   [[0, -1], [S3 / 2, -0.5], [S3 / 2, 0.5], [0, 1], [-S3 / 2, 0.5], [-S3 / 2, -0.5]];
		const shift = (n) => ((n & 1) === (layout === 'even-r' || layout === 'even-q' ? 0 : 1) ? 0.5 : 0);
		let minx = Infinity, maxx = -Infinity, miny = Infinity, maxy = -Infinity;
		let html = '';
		for (const h of state.hexes) {
			const x = flat ? 1.5 * h.q : S3 * (h.q + shift(h.r));
			const y = flat ? -S3 * (h.r + shift(h.q)) : -1.5 * h.r;
			minx = Math.min(minx, x);
			maxx = Math.max(maxx, x);
			miny = Math.min(miny, y);
			maxy = Math.max(maxy, y);
			const d = 'M' + pts.map(([px, py]) => `${(x + px * 0.96).toFixed(3)},${(y + py * 0.96).toFixed(3)}`).join('L') + 'Z';
			html += `<path d="${d}" data-code="${esc(h.code)}" data-name="${esc(h.name)}" fill="${NO_SEAT}"><title>${esc(h.name)}</title></path>`;
		}
		if (!state.hexes.length) {
			minx = miny = 0;
			maxx = maxy = 1;
		}
		svg.setAttribute('viewBox', `${(minx - 1.5).toFixed(2)} ${(miny - 1.5).toFixed(2)} ${(maxx - minx + 3).toFixed(2)} ${(maxy - miny + 3).toFixed(2)}`);
		svg.innerHTML = html;
		svg.dataset.hexes = String(state.hexes.length);
	}

	function paintMap() {
		const only = $('only-changes').checked;
		for (const el of $('map').querySelectorAll('path[data-code]')) {
			const code = el.getAttribute('data-code');
			const s = state.seats.get(code);
			const w = s ? s.winner : null;
			el.setAttribute('fill', w ? colour(w) : NO_SEAT);
			el.setAttribute('data-winner', w || '');
			const ch = !!(s && s.winner !== s.winner_base);
			el.classList.toggle('changed', ch);
			el.classList.toggle('dim', only && !ch);
			el.classList.toggle('selected', code === state.selected);
			const name = el.getAttribute('data-name');
			el.firstChild.textContent = !s ? name : !w ? `${name}: no votes, no winner` : `${name}: ${ch ? s.winner_base + ' → ' : ''}${w} (majority ${fmt1(s.majority_pct)})`;
		}
	}

	function renderChanges() {
		const rows = state.proj.seats.rows.filter((r) => r.winner !== r.winner_base).sort((a, b) => a.name.localeCompare(b.name));
		$('changes-count').textContent = String(rows.length);
		$('changes').innerHTML = rows.map((r) => `<li data-code="${esc(r.code)}"><button type="button" aria-label="${esc(r.name)}: ${esc(pname(r.winner_base))} to ${esc(pname(r.winner))}">` +
		                                         `<span class="pill" style="background:${colour(r.winner_base)};color:${ink(colour(r.winner_base))}">${esc(r.winner_base)}</span>→` +
		                                         `<span class="pill" style="background:${colour(r.winner)};color:${ink(colour(r.winner))}">${esc(r.winner)}</span> ${esc(r.name)}</button></li>`)
		                           .join('') ||
		                       '<li class="none">None</li>';
	}

	function tableColumns() {
		const cols = [
			{key: 'name', label: 'Seat', text: true},
			{key: 'region', label: 'Region', text: true},
			{key: 'winner_base', label: 'Base', text: true},
			{key: 'winner', label: 'Projected', text: true},
			{key: 'majority_pct', label: 'Majority %'},
		];
		for (const p of state.sliderParties) cols.push({key: p, label: p + ' %', party: p});
		if (state.proj && state.proj.seats.rows.length && 'group_share' in state.proj.seats.rows[0]) cols.push({key: 'group_share', label: 'Group %'});
		return cols;
	}

	function cell(r, key) {
		if (key === 'region') {
			const i = state.info.get(r.code);
			return i ? i.region : '';
		}
		return r[key];
	}

	function renderTable() {
		const cols = tableColumns();
		const {key, dir} = state.sort;
		const col = cols.find((c) => c.key === key) || cols[0];
		const thead = $('seats').tHead;
		thead.innerHTML = '<tr>' + cols.map((c) => {
			const sorted = c.key === col.key ? (dir > 0 ? 'ascending' : 'descending') : 'none';
			return `<th scope="col" aria-sort="${sorted}"><button type="button" data-key="${c.key}" data-testid="sort-${c.key}">${esc(c.label)}${sorted === 'none' ? '' : sorted === 'ascending' ? ' ▲' : ' ▼'}</button></th>`;
		}).join('') + '</tr>';
		const f = state.filter.trim().toLowerCase();
		let rows = state.proj.seats.rows.slice();
		if (f) rows = rows.filter((r) => [r.name, r.code, r.winner, r.winner_base, cell(r, 'region')].some((x) => String(x || '').toLowerCase().includes(f)));
		rows.sort((a, b) => {
			const x = cell(a, col.key), y = cell(b, col.key);
			const c = col.text ? String(x || '').localeCompare(String(y || '')) : (Number(x) || 0) - (Number(y) || 0);
			return (c || a.name.localeCompare(b.name)) * dir;
		});
		let html = '';
		for (const r of rows) {
			const ch = r.winner !== r.winner_base;
			const cls = (ch ? 'changed' : '') + (r.code === state.selected ? ' selected' : '');
			html += `<tr data-code="${esc(r.code)}" class="${cls}" tabindex="0">`;
			for (const c of cols) {
				const v = cell(r, c.key);
				if ((c.key === 'winner' || c.key === 'winner_base') && v == null) html += '<td>-</td>'; // a seat without votes has no winner
				else if (c.key === 'winner' || c.key === 'winner_base') html += `<td><span class="pill" style="background:${colour(v)};color:${ink(colour(v))}">${esc(v)}</span></td>`;
				else if (c.text) html += `<td>${esc(v)}</td>`;
				else html += `<td class="num">${fmt1(v)}</td>`;
			}
			html += '</tr>';
		}
		$('seats').tBodies[0].innerHTML = html;
	}

	function renderDetail() {
		const box = $('detail');
		const code = state.selected;
		const s = code && state.seats.get(code);
		if (!s) {
			box.innerHTML = '<h2 id="detail-h">Seat</h2><p class="hint">Click a hex or a row of the table.</p>';
			return;
		}
		const info = state.info.get(code) || {};
		const b = state.baseSeats.get(code) || {};
		const parties = Object.keys(s).filter((k) => k in PARTIES && ((s[k] || 0) >= 0.5 || (b[k] || 0) >= 0.5));
		parties.sort((x, y) => (s[y] || 0) - (s[x] || 0));
		const max = Math.max(1, ...parties.map((p) => Math.max(s[p] || 0, b[p] || 0)));
		let bars = '';
		for (const p of parties) {
			bars += `<div class="bar-row"><span class="bar-label">${esc(p)}</span><span class="bar-track">` +
			        `<span class="bar-base" style="width:${(((b[p] || 0) / max) * 100).toFixed(1)}%"></span>` +
			        `<span class="bar-now" style="width:${(((s[p] || 0) / max) * 100).toFixed(1)}%;background:${colour(p)}"></span></span>` +
			        `<span class="bar-num">${fmt1(s[p])} <small>(${signed((s[p] || 0) - (b[p] || 0), 1)})</small></span></div>`;
		}
		const ch = s.winner !== s.winner_base;
		box.innerHTML = `<h2 id="detail-h" data-testid="detail-name">${esc(s.name)}</h2>` +
		                `<p class="meta">${esc(code)}${info.region ? ' · ' + esc(info.region) : ''}${info.nation ? ' · ' + esc(info.nation) : ''}</p>` +
		                `<p class="verdict" data-testid="detail-verdict">${!s.winner ? 'No votes, no winner' : `${ch ? `<b>${esc(pname(s.winner))} gain from ${esc(pname(s.winner_base))}</b>` : `${esc(pname(s.winner))} hold`}, majority ${fmt1(s.majority_pct)} points`}</p>` +
		                (info.winner_candidate ? `<p class="meta">Elected at the base: ${esc(info.winner_candidate)} (${esc(info.winner)}), majority ${esc(info.majority)} votes, turnout ${fmt1(info.turnout)}%</p>` : '') +
		                ('group_share' in s ? `<p class="meta">Group share of voters: ${fmt1(s.group_share)}%</p>` : '') +
		                `<div class="bars" aria-label="Projected vote shares, with the base as a grey bar">${bars}</div>` +
		                standBlock(code);
		wireStands(box, code);
	}

	function select(code) {
		state.selected = code;
		if (!state.proj) return;
		for (const el of $('map').querySelectorAll('path.selected')) el.classList.remove('selected');
		const hex = $('map').querySelector(`path[data-code="${CSS.escape(code)}"]`);
		if (hex) {
			hex.classList.add('selected');
			hex.parentNode.appendChild(hex); /* on top, so its outline shows */
		}
		for (const tr of $('seats').querySelectorAll('tr.selected')) tr.classList.remove('selected');
		const tr = $('seats').querySelector(`tr[data-code="${CSS.escape(code)}"]`);
		if (tr) tr.classList.add('selected');
		renderDetail();
	}

	/* ---- wiring ---- */
	function wire() {
		$('contest').addEventListener('change', () => {
			state.shares = null;
			state.swing.points = 0;
			loadContest($('contest').value, null);
		});
		$('model').addEventListener('change', () => {
			state.model = $('model').value;
			changed();
		});
		$('reset').addEventListener('click', () => {
			state.model = 'uniform';
			applyScenario(null);
			state.groups = [{group: defaultGroup(), change: {}}];
			buildGroups();
			changed();
		});
		$('baseline').addEventListener('change', () => {
			state.baseline = $('baseline').value;
			renderBaseline();
			changed();
		});
		$('survey').addEventListener('change', () => {
			state.survey = $('survey').value;
			if (state.baseline === 'survey') changed();
		});
		$('group-add').addEventListener('click', () => {
			if (state.groups.length >= MAX_GROUPS) return;
			state.groups.push({group: defaultGroup(), change: {}});
			buildGroups();
			changed();
		});
		const swing = $('swing');
		swing.addEventListener('input', () => {
			setSwing(Number(swing.value));
			changed();
		});
		swing.addEventListener('keydown', (ev) => keyStep(ev, swing, (v) => {
			setSwing(v);
			changed();
		}, state.shares ? derivedSwing(state.shares) : state.swing.points));
		const dial = $('dial');
		dial.addEventListener('pointerdown', (ev) => {
			dial.setPointerCapture(ev.pointerId);
			dialFromPointer(ev);
		});
		dial.addEventListener('pointermove', (ev) => {
			if (dial.hasPointerCapture(ev.pointerId)) dialFromPointer(ev);
		});
		$('map').addEventListener('click', (ev) => {
			const el = ev.target.closest('[data-code]');
			if (el) select(el.getAttribute('data-code'));
		});
		$('only-changes').addEventListener('change', () => {
			if (state.proj) paintMap();
		});
		$('changes').addEventListener('click', (ev) => {
			const li = ev.target.closest('[data-code]');
			if (li) select(li.dataset.code);
		});
		const tbl = $('seats');
		tbl.tHead.addEventListener('click', (ev) => {
			const b = ev.target.closest('button[data-key]');
			if (!b) return;
			const k = b.dataset.key;
			state.sort = {key: k, dir: state.sort.key === k ? -state.sort.dir : (['name', 'region', 'winner', 'winner_base'].includes(k) ? 1 : -1)};
			renderTable();
		});
		tbl.tBodies[0].addEventListener('click', (ev) => {
			const tr = ev.target.closest('tr[data-code]');
			if (tr) select(tr.dataset.code);
		});
		tbl.tBodies[0].addEventListener('keydown', (ev) => {
			const tr = ev.target.closest('tr[data-code]');
			if (tr && (ev.key === 'Enter' || ev.key === ' ')) {
				ev.preventDefault();
				select(tr.dataset.code);
			}
		});
		let ft = null;
		$('filter').addEventListener('input', () => {
			clearTimeout(ft);
			ft = setTimeout(() => {
				state.filter = $('filter').value;
				if (state.proj) renderTable();
			}, 100);
		});
		window.addEventListener('hashchange', () => {
			const s = readHash();
			if (!s || JSON.stringify(s) === JSON.stringify(scenario())) return;
			loadContest(typeof s.base === 'string' && state.contests.some((c) => c.id === s.base) ? s.base : state.base, s);
		});
	}

	async function init() {
		wire();
		status('Loading…');
		let contests, groups;
		try {
			[contests, groups] = await Promise.all([api('/api/contests'), api('/api/groups')]);
		} catch (e) {
			showError('Could not reach the bloc server: ' + e.message);
			status('');
			return;
		}
		state.contests = contests.rows.filter((r) => r.contest === 'yes' || r.contest === true);
		state.groupCatalog = groups.groups || [];
		$('contest').innerHTML = state.contests.map((c) => `<option value="${esc(c.id)}">${esc(c.id)}${c.date ? ' (' + esc(c.date) + ')' : ''}</option>`).join('');
		const restored = readHash();
		const ids = state.contests.map((c) => c.id);
		let base = ids.includes('ge2024') ? 'ge2024' : ids[0];
		if (restored && typeof restored.base === 'string') {
			if (ids.includes(restored.base)) base = restored.base;
			else showError(`The link's contest '${restored.base}' is not in this server's catalogue.`);
		}
		await loadContest(base, restored);
	}

	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
	else init();
})();
