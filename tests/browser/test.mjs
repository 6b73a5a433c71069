// Browser test of the web swingometer: starts `bloc serve` on a free loopback port, drives the page
// in headless Debian Chromium with playwright-core and checks what it shows against the JSON API.
//
//   node test.mjs --bloc PATH/TO/bloc [--data DIR] [--out DIR] [--report FILE] [--url URL]
//
// --data defaults to $BLOC_DATA; --out (screenshots, the report) to ./browser-out; --report opens
// that HTML report instead of making one with `bloc report ge2024 -o OUT/report.html`; --url uses
// a server that is already running instead of starting one. Exit 0 pass, 1 fail, 77 skip.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const CHROMIUM = process.env.BLOC_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SKIP = 77;

function parseArgs(argv) {
	const o = { data: process.env.BLOC_DATA, out: 'browser-out' };
	for (let i = 0; i < argv.length; i++) {
		const k = argv[i];
		const v = argv[i + 1];
		if (!['--bloc', '--data', '--out', '--report', '--url'].includes(k) || v === undefined) {
			console.error(`usage: node test.mjs --bloc BLOC [--data DIR] [--out DIR] [--report FILE] [--url URL] (bad: ${k})`);
			process.exit(2);
		}
		o[k.slice(2)] = v;
		i++;
	}
	return o;
}

const opt = parseArgs(process.argv.slice(2));
const log = (...a) => console.log('browser:', ...a);
let failures = 0;
const step = async (name, fn) => {
	const t0 = Date.now();
	try {
		await fn();
		log(`ok   ${name} (${Date.now() - t0} ms)`);
	} catch (e) {
		failures++;
		log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
		throw e;
	}
};

if (!fs.existsSync(CHROMIUM)) {
	log(`SKIP: no ${CHROMIUM} (apt-get install chromium)`);
	process.exit(SKIP);
}
let chromium;
try {
	({ chromium } = await import('playwright-core'));
} catch (e) {
	log(`SKIP: playwright-core is not installed (cd tests/browser && npm ci): ${e.message}`);
	process.exit(SKIP);
}
if (!opt.url && !opt.bloc) {
	console.error('browser: --bloc BLOC or --url URL is required');
	process.exit(2);
}
fs.mkdirSync(opt.out, { recursive: true });

/* ---- the server ---- */
let server = null;
let serverLog = '';
async function startServer() {
	const args = [...(opt.data ? ['--data', opt.data] : []), 'serve', '--port', '0'];
	log(`starting ${opt.bloc} ${args.join(' ')}`);
	server = spawn(opt.bloc, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(opt.data ? { BLOC_DATA: opt.data } : {}) } });
	return await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`bloc serve printed no 'listening on' within 60 s:\n${serverLog}`)), 60000);
		const onData = (d) => {
			serverLog += d;
			const m = /listening on (http:\/\/\S+?)\/?(\s|$)/.exec(serverLog);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		};
		server.stderr.on('data', onData);
		server.stdout.on('data', onData);
		server.on('exit', (code, sig) => {
			clearTimeout(timer);
			reject(new Error(`bloc serve exited (${code ?? sig}) before listening:\n${serverLog}`));
		});
	});
}

async function stopServer() {
	if (!server || server.exitCode !== null) return null;
	const done = new Promise((resolve) => server.once('exit', (code, sig) => resolve({ code, sig })));
	server.kill('SIGTERM');
	const t = setTimeout(() => server.kill('SIGKILL'), 15000);
	const r = await done;
	clearTimeout(t);
	return r;
}

/* ---- helpers ---- */
let origin;
async function apiJSON(p, body) {
	const r = await fetch(origin + p, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	const text = await r.text();
	assert.equal(r.status, 200, `${p}: HTTP ${r.status}: ${text.slice(0, 400)}`);
	return JSON.parse(text);
}
const changedCodes = (proj) => new Set(proj.seats.rows.filter((r) => r.winner !== r.winner_base).map((r) => r.code));
const sortedJSON = (x) => JSON.stringify(x, (k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));

async function settled(page) {
	/* the debounce fires, then the newest answer is drawn */
	await page.waitForTimeout(80);
	await page.waitForSelector('#app[data-ready="true"][data-busy="false"]', { timeout: 30000 });
}
const pageScenario = async (page) => JSON.parse(await page.locator('#app').getAttribute('data-scenario'));
async function pageSeats(page) {
	return await page.$$eval('[data-testid^="seats-"]', (els) => Object.fromEntries(els.map((e) => [e.dataset.party, Number(e.dataset.seats)])));
}
const hexFills = async (page) => await page.$$eval('#map [data-code]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-code'), e.getAttribute('fill')])));
const shownChanges = async (page) => new Set(await page.$$eval('[data-testid="changes"] [data-code]', (els) => els.map((e) => e.getAttribute('data-code'))));

/* What the page shows, read at one moment: the scenario of the answer on screen, the seat totals,
 * each hex's projected winner and the changes list. */
async function snapshot(page) {
	return await page.evaluate(() => ({
		scenario: JSON.parse(document.getElementById('app').dataset.scenario),
		seats: Object.fromEntries([...document.querySelectorAll('[data-testid^="seats-"]')].map((e) => [e.dataset.party, Number(e.dataset.seats)])),
		winners: Object.fromEntries([...document.querySelectorAll('#map [data-code]')].map((e) => [e.getAttribute('data-code'), e.getAttribute('data-winner')])),
		changes: [...document.querySelectorAll('[data-testid="changes"] [data-code]')].map((e) => e.getAttribute('data-code')),
	}));
}

/* The page's seat totals, hexes and changes list must be the API's answer to the page's scenario. */
async function checkAgainstApi(page, what) {
	const snap = await snapshot(page);
	const scen = snap.scenario;
	const proj = await apiJSON('/api/project', scen);
	for (const r of proj.party.rows)
		if (r.seats > 0 || r.seats_base > 0) assert.equal(snap.seats[r.party], r.seats, `${what}: seats-${r.party} shows ${snap.seats[r.party]}, the API says ${r.seats}`);
	let hexes = 0;
	for (const r of proj.seats.rows)
		if (r.code in snap.winners) {
			assert.equal(snap.winners[r.code], r.winner, `${what}: hex ${r.code} shows ${snap.winners[r.code]}, the API says ${r.winner}`);
			hexes++;
		}
	assert.ok(hexes >= proj.seats.rows.length - 5, `${what}: only ${hexes} of ${proj.seats.rows.length} seats have a hex`);
	assert.deepEqual(snap.changes.slice().sort(), [...changedCodes(proj)].sort(), `${what}: the changes list is not the API's`);
	assert.equal(JSON.stringify(await pageScenario(page)), JSON.stringify(scen), `${what}: the page drew another answer while it was checked`);
	return { scen, proj };
}

async function newPage(context, errors, foreign, allowed) {
	const page = await context.newPage();
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(`console error: ${m.text()} (${page.url().slice(0, 80)})`);
	});
	page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
	page.on('request', (r) => {
		const u = r.url();
		if (!allowed(u)) foreign.push(u);
	});
	page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure() && r.failure().errorText}`));
	return page;
}

/* ---- the run ---- */
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bloc-chromium-'));
let context = null;
const errors = [];
const foreign = [];
let exitCode = 0;
try {
	origin = opt.url ? opt.url.replace(/\/$/, '') : await startServer();
	log(`server at ${origin}`);
	context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport: { width: 1400, height: 1000 },
	});
	const page = await newPage(context, errors, foreign, (u) => u.startsWith(origin + '/') || u.startsWith('data:'));

	let fills0, seats0;
	await step('the page loads ge2024 and draws 650 hexes', async () => {
		await page.goto(origin + '/');
		await page.waitForSelector('#app[data-ready="true"]', { timeout: 60000 });
		await settled(page);
		assert.equal(await page.locator('#contest').inputValue(), 'ge2024');
		assert.equal(await page.locator('#map [data-code]').count(), 650);
		fills0 = await hexFills(page);
		assert.ok(Object.values(fills0).every((f) => /^#[0-9a-fA-F]{6}$/.test(f)), 'every hex has a colour');
		seats0 = await pageSeats(page);
		assert.equal(seats0.LAB, 411, 'LAB won 411 seats in 2024');
		assert.equal(seats0.CON, 121);
		assert.equal(sum(Object.values(seats0)), 650);
		assert.equal((await shownChanges(page)).size, 0, 'no seat changes hands without a change');
		await checkAgainstApi(page, 'base');
	});

	await step('moving the LAB slider redraws the totals and the map', async () => {
		const slider = page.getByTestId('slider-LAB');
		const before = Number(await slider.inputValue());
		await slider.focus();
		for (let i = 0; i < 6; i++) await page.keyboard.press('PageDown');
		await settled(page);
		const after = Number(await slider.inputValue());
		assert.ok(Math.abs(after - (before - 6)) < 0.011, `LAB slider ${before} -> ${after}, expected -6`);
		const total = await page.$$eval('[data-testid^="slider-"]', (els) => els.reduce((s, e) => s + Number(e.value), 0));
		assert.ok(Math.abs(total - 100) < 0.011, `the sliders add up to ${total}, not 100`);
		assert.equal(await page.getByTestId('share-total').textContent(), '100.0');
		const { scen, proj } = await checkAgainstApi(page, 'LAB -6');
		assert.ok(Math.abs(scen.shares.LAB - after) < 0.011, `the scenario's LAB share is ${scen.shares.LAB}`);
		const seats = await pageSeats(page);
		assert.ok(seats.LAB < seats0.LAB, `LAB seats ${seats0.LAB} -> ${seats.LAB}`);
		assert.equal(seats.LAB, proj.party.rows.find((r) => r.party === 'LAB').seats);
		const fills = await hexFills(page);
		const repainted = Object.keys(fills).filter((c) => fills[c] !== fills0[c]);
		assert.ok(repainted.length > 0, 'no hex changed colour');
		assert.equal(repainted.length, changedCodes(proj).size, 'the hexes that changed colour are the seats that change hands');
		log(`     LAB ${before} -> ${after}: LAB ${seats0.LAB} -> ${seats.LAB} seats, ${repainted.length} hexes repainted`);
	});

	await step('the swingometer: a 5-point Butler swing from LAB to REF', async () => {
		await page.getByTestId('reset').click();
		await settled(page);
		await page.getByTestId('swing-from').selectOption('LAB');
		await page.getByTestId('swing-to').selectOption('REF');
		await page.getByTestId('swing').focus();
		for (let i = 0; i < 5; i++) await page.keyboard.press('PageUp');
		await settled(page);
		const { scen } = await checkAgainstApi(page, 'swing LAB:REF=5');
		assert.deepEqual(scen.swing, [{ from: 'LAB', to: 'REF', points: 5 }]);
		assert.equal(scen.shares, undefined);
		const lab = Number(await page.getByTestId('slider-LAB').inputValue());
		const ref = Number(await page.getByTestId('slider-REF').inputValue());
		assert.ok(Math.abs(lab - 28.7) < 0.011 && Math.abs(ref - 19.29) < 0.011, `sliders after the swing: LAB ${lab}, REF ${ref}`);
	});

	let groupScenario, groupChanges;
	await step('a group shift (muslim: LAB -20, IND +12, GRN +6, from a survey baseline) shows the API\'s changes of hands', async () => {
		await page.getByTestId('reset').click();
		await settled(page);
		await page.getByTestId('baseline').selectOption('survey');
		await page.getByTestId('survey').fill('LAB=86,CON=9,LD=3,GRN=2');
		await page.getByTestId('survey').dispatchEvent('change');
		await page.getByTestId('group-select-0').selectOption('muslim');
		await page.getByTestId('group-0-LAB').fill('-20');
		await page.getByTestId('group-0-IND').fill('12');
		await page.getByTestId('group-0-GRN').fill('6');
		await settled(page);
		groupScenario = { base: 'ge2024', groups: [{ group: 'muslim', change: { LAB: -20, IND: 12, GRN: 6 } }], baseline: 'survey:LAB=86,CON=9,LD=3,GRN=2' };
		const scen = await pageScenario(page);
		assert.equal(sortedJSON(scen), sortedJSON(groupScenario), 'the page sent another scenario');
		const proj = await apiJSON('/api/project', groupScenario); /* node's own request */
		groupChanges = changedCodes(proj);
		const shown = await shownChanges(page);
		assert.ok(groupChanges.size > 0, 'the API shows no change of hands');
		assert.deepEqual([...shown].sort(), [...groupChanges].sort(), 'the seats shown changing hands are not the API\'s');
		assert.equal(await page.getByTestId('changes-count').textContent(), String(groupChanges.size));
		await checkAgainstApi(page, 'group shift');
		log(`     ${shown.size} seats change hands: ${[...shown].join(' ')}`);
	});

	await step('a seat\'s detail from the changes list, the map and the table; sorting', async () => {
		const first = page.locator('[data-testid="changes"] [data-code]').first();
		const code = await first.getAttribute('data-code');
		await first.locator('button').click();
		const row = (await apiJSON('/api/project', groupScenario)).seats.rows.find((r) => r.code === code);
		await page.waitForFunction((n) => document.querySelector('[data-testid="detail-name"]')?.textContent === n, row.name);
		assert.match(await page.getByTestId('detail-verdict').textContent(), /gain from/);
		await page.locator('#map [data-code="E14001120"]').click(); /* Bradford West */
		await page.waitForFunction(() => document.querySelector('[data-testid="detail-name"]')?.textContent === 'Bradford West');
		await page.getByTestId('sort-majority_pct').click();
		const majs = await page.$$eval('#seats tbody tr td:nth-child(5)', (tds) => tds.map((t) => Number(t.textContent)));
		assert.equal(majs.length, 650);
		assert.ok(majs.every((m, i) => i === 0 || majs[i - 1] >= m), 'the table is not sorted by majority, descending');
		assert.equal(await page.locator('th[aria-sort="descending"]').count(), 1);
		await page.getByTestId('sort-majority_pct').click();
		const majs2 = await page.$$eval('#seats tbody tr td:nth-child(5)', (tds) => tds.map((t) => Number(t.textContent)));
		assert.ok(majs2.every((m, i) => i === 0 || majs2[i - 1] <= m), 'a second click does not sort ascending');
		await page.locator('#seats tbody tr[data-code="E14001446"]').click(); /* Rochdale */
		await page.waitForFunction(() => document.querySelector('[data-testid="detail-name"]')?.textContent === 'Rochdale');
	});

	await step('a new independent stands in Rochdale from the seat panel: the group\'s IND shift lands there', async () => {
		const before = (await apiJSON('/api/project', groupScenario)).seats.rows.find((r) => r.code === 'E14001446');
		await page.getByTestId('stand-party').selectOption('IND');
		await page.getByTestId('stand-name').fill('A. Candidate');
		await page.getByTestId('stand-add').click();
		await settled(page);
		groupScenario = Object.assign({}, groupScenario, { stand: ['IND:A. Candidate@E14001446'] });
		assert.equal(sortedJSON(await pageScenario(page)), sortedJSON(groupScenario), 'the page sent another scenario');
		const { proj } = await checkAgainstApi(page, 'stand');
		groupChanges = changedCodes(proj);
		const after = proj.seats.rows.find((r) => r.code === 'E14001446');
		assert.ok(after.IND > 0.5 && after.IND !== before.IND, `Rochdale's IND share ${after.IND} (before ${before.IND}): the new independent got nothing`);
		assert.equal(await page.locator('[data-testid="stand-list"] li').count(), 1);
		log(`     Rochdale IND ${before.IND} -> ${after.IND}`);
	});

	const shot = path.resolve(opt.out, 'swingometer.png');
	await step(`screenshot ${shot}`, async () => {
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: shot, fullPage: true });
		assert.ok(fs.statSync(shot).size > 10000);
	});

	await step('the permalink restores the scenario', async () => {
		const url = page.url();
		assert.match(url, /#s=/);
		const p2 = await newPage(context, errors, foreign, (u) => u.startsWith(origin + '/') || u.startsWith('data:'));
		await p2.goto(url);
		await p2.waitForSelector('#app[data-ready="true"]', { timeout: 60000 });
		await settled(p2);
		assert.equal(sortedJSON(await pageScenario(p2)), sortedJSON(groupScenario));
		assert.equal(await p2.getByTestId('group-0-LAB').inputValue(), '-20');
		assert.deepEqual([...(await shownChanges(p2))].sort(), [...groupChanges].sort());
		await p2.close();
	});

	await step('the report opens offline', async () => {
		let report = opt.report;
		if (!report) {
			if (!opt.bloc) {
				log('     SKIP the report: no --bloc to make it with and no --report given');
				return;
			}
			report = path.resolve(opt.out, 'report.html');
			fs.rmSync(report, { force: true });
			const r = spawnSync(opt.bloc, [...(opt.data ? ['--data', opt.data] : []), 'report', 'ge2024', '-o', report], { encoding: 'utf8', timeout: 120000 });
			if (r.status === 2 && /report/.test(r.stderr) && /unknown|usage/i.test(r.stderr)) {
				log(`     SKIP the report: this bloc has no 'report' command yet (${r.stderr.trim().split('\n')[0]})`);
				return;
			}
			assert.equal(r.status, 0, `bloc report ge2024 -o ${report}: exit ${r.status}\n${r.stderr}`);
		}
		const fileUrl = pathToFileURL(path.resolve(report)).href;
		const p3 = await newPage(context, errors, foreign, (u) => u === fileUrl || u.startsWith(fileUrl + '#') || u.startsWith('data:') || u.startsWith('blob:') || u === 'about:blank');
		await p3.goto(fileUrl, { waitUntil: 'load' });
		await p3.waitForTimeout(500);
		assert.ok((await p3.title()).length > 0 || (await p3.locator('body *').count()) > 0, 'the report is empty');
		await p3.screenshot({ path: path.resolve(opt.out, 'report.png'), fullPage: false });
		await p3.close();
	});

	await step('the forecast page: the poll average on sliders, the same table as /api/forecast, re-run when LAB moves', async () => {
		const p4 = await newPage(context, errors, foreign, (u) => u.startsWith(origin + '/') || u.startsWith('data:'));
		await p4.goto(origin + '/forecast.html');
		await p4.waitForSelector('#app[data-ready="true"][data-busy="false"]', { timeout: 60000 });
		const q = { base: 'ge2019-notional-2023', polls: 'polls-ge2024-final', date: '2024-07-03', sims: '4000', by: 'party' };
		const want = await apiJSON('/api/forecast?' + new URLSearchParams(q));
		const shown = async () => await p4.$$eval('#parties tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.party, Number(tr.querySelector('[data-col="median"]').textContent)])));
		const got = await shown();
		for (const r of want.rows) assert.equal(got[r.party], r.median, `${r.party}: page ${got[r.party]}, API ${r.median}`);
		assert.equal(await p4.getByTestId('share-LAB').inputValue(), String(want.rows.find((r) => r.party === 'LAB').share_poll));
		assert.ok((await p4.locator('#map svg path.hex').count()) === 650, 'the probability map has not 650 hexes');
		const t0 = Date.now();
		await p4.getByTestId('share-LAB').fill('30');
		await p4.waitForFunction(() => (document.querySelector('#app').dataset.shown || '').includes('LAB=30'), null, { timeout: 30000 });
		await p4.waitForSelector('#app[data-busy="false"]');
		const ms = Date.now() - t0;
		const want30 = await apiJSON('/api/forecast?' + new URLSearchParams({ ...q, shares: 'LAB=30' }));
		const got30 = await shown();
		for (const r of want30.rows) assert.equal(got30[r.party], r.median, `LAB=30: ${r.party}: page ${got30[r.party]}, API ${r.median}`);
		assert.ok(got30.LAB < got.LAB, `LAB at 30 has ${got30.LAB} seats, at the polls ${got.LAB}`);
		log(`     forecast page: LAB median ${got.LAB} at the polls, ${got30.LAB} at 30%; the slider's re-run took ${ms} ms`);
		await p4.screenshot({ path: path.resolve(opt.out, 'forecast.png'), fullPage: true });
		await p4.close();
	});

	await step('no console errors, no request outside the page\'s own origin or file', async () => {
		assert.deepEqual(errors, []);
		assert.deepEqual(foreign, []);
	});
} catch (e) {
	if (!failures) log(`FAIL: ${e && e.stack ? e.stack : e}`);
	exitCode = 1;
} finally {
	if (context) await context.close().catch(() => {});
	fs.rmSync(userDataDir, { recursive: true, force: true });
	const r = await stopServer();
	if (r) {
		if (r.code !== 0) {
			log(`FAIL bloc serve did not stop cleanly on SIGTERM (${r.code ?? r.sig}):\n${serverLog}`);
			exitCode = 1;
		} else {
			log('ok   bloc serve stopped cleanly on SIGTERM');
		}
	}
}
log(exitCode ? 'FAILED' : 'passed');
process.exit(exitCode);

function sum(a) {
	return a.reduce((s, x) => s + x, 0);
}
