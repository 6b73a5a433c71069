-- wrk script for bench/load_serve.sh: GET /api/groups, or POST /api/project with a projection
-- scenario (wrk keeps its connections alive).
--   LOAD_MODE=groups  GET /api/groups: a small cached answer, the cost of HTTP itself
--   LOAD_MODE=same    every request the same scenario (after the first, answered from the
--                     server's answer cache: the cost of HTTP, parsing and the cache)
--   LOAD_MODE=varied  2000 different scenarios per thread in turn, more than the cache holds, so
--                     every request is projected and rendered afresh (the full answer: party
--                     and seat tables, ~195 KB)
--   LOAD_MODE=map     the same 2000 scenarios with ?view=winners (the party table and each
--                     seat's winner, ~16 KB: what a map needs)
-- A status other than 2xx/3xx counts as an error (wrk's "Non-2xx or 3xx responses"; done()
-- adds them to the socket errors).
local mode = os.getenv("LOAD_MODE") or "same"
wrk.headers["Content-Type"] = "application/json"
local n = 0

-- wrk's threads each run this script; `id` (set by setup) makes their scenarios differ (CON at
-- 22, 23, ...), so one thread never finds an answer another has just put in the cache.
id = 0
local function scenario(i)
	local lab = 25 + (i % 2000) / 100 -- 25.00 ... 44.99
	local con = i == 0 and 22 or 22 + id
	return string.format(
		'{"base":"ge2024","model":"uniform","shares":{"LAB":%.2f,"CON":%d,"REF":18}}', lab, con)
end

local threads = 0
setup = function(thread)
	thread:set("id", threads)
	threads = threads + 1
end

local fixed, groups

-- after wrk.init has set the Host header
init = function(args)
	fixed = wrk.format("POST", "/api/project", nil, scenario(0))
	groups = wrk.format("GET", "/api/groups")
end

request = function()
	n = n + 1
	if mode == "groups" then
		return groups
	elseif mode == "varied" then
		return wrk.format("POST", "/api/project", nil, scenario(n))
	elseif mode == "map" then
		return wrk.format("POST", "/api/project?view=winners", nil, scenario(n))
	end
	return fixed
end

done = function(summary, latency, requests)
	io.write(string.format("load: mode %s: %d requests, %.0f requests/s, %d errors " ..
		"(connect %d, read %d, write %d, timeout %d, status %d), latency p50 %.2f ms, " ..
		"p99 %.2f ms\n",
		mode, summary.requests, summary.requests / (summary.duration / 1e6),
		summary.errors.connect + summary.errors.read + summary.errors.write +
		summary.errors.timeout + summary.errors.status,
		summary.errors.connect, summary.errors.read, summary.errors.write,
		summary.errors.timeout, summary.errors.status,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
