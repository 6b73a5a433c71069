/* bloc forecast in the browser: the same question as `bloc forecast`, asked of /api/forecast
 * (GET, settings as query arguments). The page builds one slider per party the polls cover,
 * starting at the poll average; each change asks for the party table and the probability map
 * (an SVG the server draws) with the shares set, and shows the newest answer only. */
(function () {
	'use strict';
	const $ = (id) => document.getElementById(id);
	const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
	const state = {poll: {}, shares: {}, seq: 0, shown: 0, timer: null};

	async function api(params) {
		const r = await fetch('/api/forecast?' + new URLSearchParams(params).toString());
		const type = r.headers.get('Content-Type') || '';
		if (type.startsWith('application/json')) {
			const j = await r.json();
			if (!r.ok || j.error)
				throw new Error(j.error ? j.error.message : String(r.status));
			return j;
		}
		if (!r.ok)
			throw new Error('/api/forecast: ' + r.status);
		return await r.text();
	}

	function params(view) {
		const p = {base: $('base').value, polls: $('polls').value, date: $('date').value, sims: $('sims').value, by: view};
		const set = Object.keys(state.shares).filter((k) => state.shares[k] !== state.poll[k]);
		if (set.length)
			p.shares = set.map((k) => `${k}=${state.shares[k]}`).join(',');
		return p;
	}

	function showError(msg) {
		$('error').hidden = !msg;
		$('error').textContent = msg || '';
	}

	function buildSliders() {
		let html = '';
		for (const k of Object.keys(state.poll)) {
			const v = state.shares[k];
			html += `<div class="slider"><label for="s-${esc(k)}">${esc(k)}</label>` +
			        `<input type="range" id="s-${esc(k)}" data-testid="share-${esc(k)}" data-party="${esc(k)}" min="0" max="60" step="0.1" value="${v}">` +
			        `<output data-testid="share-out-${esc(k)}">${v.toFixed(1)}</output></div>`;
		}
		$('sliders').innerHTML = html;
		for (const input of $('sliders').querySelectorAll('input')) {
			input.addEventListener('input', () => {
				const k = input.dataset.party;
				state.shares[k] = Number(Number(input.value).toFixed(1));
				input.nextElementSibling.textContent = state.shares[k].toFixed(1);
				schedule();
			});
		}
	}

	function renderTable(t) {
		const cols = ['party', 'median', 'lo90', 'hi90', 'p_majority', 'p_largest', 'share_median', 'projection', 'base'];
		$('parties').querySelector('thead').innerHTML = '<tr>' + cols.map((c) => `<th>${esc(c)}</th>`).join('') + '</tr>';
		$('parties').querySelector('tbody').innerHTML = t.rows.map((r) =>
			`<tr data-party="${esc(r.party)}">` + cols.map((c) => `<td data-col="${c}">${r[c] === null || r[c] === undefined ? '' : esc(r[c])}</td>`).join('') + '</tr>').join('');
		const top = t.rows.slice().sort((a, b) => b.median - a.median)[0];
		$('verdict').innerHTML = top ? `<p class="verdict" data-testid="verdict-line">${esc(top.party)}: median ${top.median} seats, 90% ${top.lo90}-${top.hi90}; P(majority) ${Number(top.p_majority).toFixed(3)}; P(hung) ${esc(t.meta.p_hung)}</p>` : '';
		const keys = ['poll_average', 'national_sd', 'seat_sd', 'calibration', 'seed', 'sims', 'sims_per_second'];
		$('meta').innerHTML = keys.filter((k) => t.meta[k] !== undefined).map((k) => `<dt>${esc(k)}</dt><dd>${esc(t.meta[k])}</dd>`).join('');
	}

	async function send() {
		const seq = ++state.seq;
		$('app').dataset.busy = 'true';
		try {
			const [t, svg] = await Promise.all([api(params('party')), api(params('map'))]);
			if (seq < state.shown)
				return;
			state.shown = seq;
			renderTable(t);
			$('map').innerHTML = svg;
			$('app').dataset.shown = JSON.stringify(params('party'));
			showError('');
			$('status').textContent = `${t.meta.sims} simulations, seed ${t.meta.seed}`;
		} catch (e) {
			showError(e.message);
		} finally {
			if (seq === state.seq)
				$('app').dataset.busy = 'false';
		}
	}

	function schedule() {
		clearTimeout(state.timer);
		state.timer = setTimeout(send, 60);
	}

	async function load() {
		$('app').dataset.ready = 'false';
		showError('');
		try {
			const t = await api({base: $('base').value, polls: $('polls').value, date: $('date').value, sims: '500', by: 'party'});
			state.poll = {};
			for (const r of t.rows)
				if (r.share_poll !== null && r.share_poll !== undefined)
					state.poll[r.party] = Number(r.share_poll);
			state.shares = Object.assign({}, state.poll);
			buildSliders();
			await send();
			$('app').dataset.ready = 'true';
		} catch (e) {
			showError(e.message);
		}
	}

	for (const id of ['base', 'polls', 'date'])
		$(id).addEventListener('change', load);
	$('sims').addEventListener('change', schedule);
	$('reset').addEventListener('click', () => {
		state.shares = Object.assign({}, state.poll);
		buildSliders();
		schedule();
	});
	load();
})();
