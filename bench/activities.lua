-- wrk script for the activities benchmarks (bench/activities.sh, issue #4).
-- Every request is sent by a volunteer with their own bearer token (the
-- setup wrote one "volunteer_id token" line per volunteer into ACT_TOKENS).
--
-- Environment (read when the script loads, before wrk's threads start):
--   ACT_MODE     healthz | list | signup | checkin | hours
--   ACT_TOKENS   the tokens file
--   ACT_IDS      comma-separated activity ids (signup, checkin)
--   ACT_QUERIES  ;-separated query strings for list (e.g. district_id=3;community_id=7)
--   ACT_PAUSE_MS pause of each connection between its requests (0: none);
--                with C connections that offers about C * 1000 / pause requests/s
--   ACT_START    first sequence number (distinct per run, so sign-ups and
--                check-ins are new pairs: sequence n is volunteer n mod V on
--                activity n div V)
--   ACT_REPEAT   signup/checkin: every this many requests resend an earlier
--                one (a double tap or a retry on a poor connection); 0: never
--   ACT_ADDRS    optional "host:port,host:port": wrk thread k sends to
--                instance k mod n (several instances on one database)
--   ACT_THREADS  wrk's -t: thread k takes the sequence numbers start + k,
--                start + k + ACT_THREADS, ... (no two threads send one pair)
-- At the end it prints "WRK_JSON {...}": counts by status and latencies.

local mode = os.getenv("ACT_MODE") or "healthz"
local pause = tonumber(os.getenv("ACT_PAUSE_MS") or "0")
local start = tonumber(os.getenv("ACT_START") or "0")
local repeat_every = tonumber(os.getenv("ACT_REPEAT") or "0")
local step = tonumber(os.getenv("ACT_THREADS") or "1")

local vids, tokens = {}, {}
local f = os.getenv("ACT_TOKENS") and io.open(os.getenv("ACT_TOKENS"), "r")
if f then
    for line in f:lines() do
        local v, t = string.match(line, "^(%d+) (%S+)")
        if v then
            vids[#vids + 1] = tonumber(v)
            tokens[#tokens + 1] = "Bearer " .. t
        end
    end
    f:close()
end
local ids = {}
for id in string.gmatch(os.getenv("ACT_IDS") or "", "%d+") do
    ids[#ids + 1] = tonumber(id)
end
local queries = {}
for q in string.gmatch(os.getenv("ACT_QUERIES") or "", "[^;]+") do
    queries[#queries + 1] = q
end

if pause > 0 then
    function delay()
        return pause
    end
end

local addrs = {}
for host, port in string.gmatch(os.getenv("ACT_ADDRS") or "", "([^,:]+):(%d+)") do
    addrs[#addrs + 1] = { host, port }
end

local threads = {}
function setup(thread)
    thread:set("thread_index", #threads)
    if #addrs > 0 then
        local a = addrs[#threads % #addrs + 1]
        thread.addr = wrk.lookup(a[1], a[2])[1]
    end
    threads[#threads + 1] = thread
end

seq = 0 -- globals: done() reads them with thread:get
created, ok, conflict, other = 0, 0, 0, 0
function init(args)
    -- Each wrk thread takes every ACT_THREADS-th sequence number.
    seq = start + (thread_index or 0)
end

local sent = 0
function request()
    sent = sent + 1
    if mode == "healthz" then
        return wrk.format("GET", "/healthz")
    end
    local n = seq
    if repeat_every > 0 and sent % repeat_every == 0 and seq > start + step then
        n = seq - step -- the previous one again, as a retry would
    else
        seq = seq + step
    end
    local k = n % #vids + 1
    local headers = { ["Authorization"] = tokens[k] }
    if mode == "list" then
        return wrk.format("GET", "/api/v1/activities?" .. queries[n % #queries + 1], headers)
    elseif mode == "hours" then
        return wrk.format("GET", "/api/v1/volunteers/" .. vids[k] .. "/hours", headers)
    end
    headers["Content-Type"] = "application/json"
    local activity = ids[math.floor(n / #vids) % #ids + 1]
    if mode == "signup" then
        return wrk.format("POST", "/api/v1/activities/" .. activity .. "/signups", headers,
            string.format('{"volunteer_id":%d}', vids[k]))
    end
    return wrk.format("POST", "/api/v1/activities/" .. activity .. "/checkins", headers,
        string.format('{"volunteer_id":%d,"kind":"in"}', vids[k]))
end

function response(status, headers, body)
    if status == 201 then
        created = created + 1
    elseif status == 200 then
        ok = ok + 1
    elseif status == 409 then
        conflict = conflict + 1
    else
        other = other + 1
        if other <= 3 then
            io.stderr:write("status " .. status .. ": " .. (body or ""):sub(1, 300) .. "\n")
        end
    end
end

function done(summary, latency, requests)
    local c, o, x, y, pairs_sent, next_seq = 0, 0, 0, 0, 0, start
    for i, t in ipairs(threads) do
        pairs_sent = pairs_sent + (t:get("seq") - (start + i - 1)) / step
        next_seq = math.max(next_seq, t:get("seq"))
        c = c + t:get("created")
        o = o + t:get("ok")
        x = x + t:get("conflict")
        y = y + t:get("other")
    end
    local e = summary.errors
    io.write(string.format(
        'WRK_JSON {"requests": %d, "duration_us": %d, "pairs_sent": %d, "next_seq": %d, "created": %d, "ok": %d, "conflict": %d, "other": %d, ' ..
            '"non_2xx": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
            '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
        summary.requests, summary.duration, pairs_sent, next_seq, c, o, x, y, e.status, e.connect, e.read, e.write, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
