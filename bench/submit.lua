-- wrk script: public need submissions (POST /api/v1/needs), each from a
-- phone never used before, so the per-phone throttle (5 an hour) never
-- answers 429 — and the per-address one only past needs_per_ip_per_hour.
--
-- Environment (read when the script loads, before wrk's threads start):
--   SUBMIT_MODE       submit (default) or healthz (GET /healthz, the baseline)
--   SUBMIT_PAUSE_MS   pause of each connection between its requests; with C
--                     connections that offers about C * 1000 / pause requests/s
--                     (0: no pause, as fast as the server answers)
--   SUBMIT_PHONE_BASE first phone number after the 199 prefix (distinct per run)
--   SUBMIT_COMMUNITIES comma-separated community ids to spread the needs over
--   SUBMIT_PER_ADDRESS if set, an X-Forwarded-For header gives every this
--                     many needs a new client address from 198.18.0.0/15
--                     (RFC 2544's benchmarking range: text in a header, never
--                     contacted), for a server run with trust_forwarded_for
-- At the end it prints one line "WRK_JSON {...}" with the counts and latencies.

local mode = os.getenv("SUBMIT_MODE") or "submit"
local pause = tonumber(os.getenv("SUBMIT_PAUSE_MS") or "0")
local phone_base = tonumber(os.getenv("SUBMIT_PHONE_BASE") or "0")
local per_address = tonumber(os.getenv("SUBMIT_PER_ADDRESS") or "0")
local communities = {}
for id in string.gmatch(os.getenv("SUBMIT_COMMUNITIES") or "1", "%d+") do
    communities[#communities + 1] = tonumber(id)
end

if pause > 0 then
    function delay()
        return pause
    end
end

local threads = {}
function setup(thread)
    thread:set("thread_index", #threads)
    threads[#threads + 1] = thread
end

local sent = 0
local offset = 0
function init(args)
    -- Each wrk thread counts in its own range of ten million phones.
    offset = phone_base + (thread_index or 0) * 10000000
end

local titles = { "厨房水管漏水", "帮独居老人代购药品", "楼道灯坏了", "陪老人去医院复查", "放学后托管孩子" }
local categories = { "repair", "elderly_care", "repair", "elderly_care", "child_care" }

function request()
    if mode == "healthz" then
        return wrk.format("GET", "/healthz")
    end
    sent = sent + 1
    local k = sent % #titles + 1
    local body = string.format(
        '{"title":"%s","description":"压力测试：家里有困难，请志愿者帮忙。","category":"%s","community_id":%d,' ..
            '"requester_name":"王秀英","requester_phone":"199%08d"}',
        titles[k], categories[k], communities[sent % #communities + 1], offset + sent)
    local headers = { ["Content-Type"] = "application/json" }
    if per_address > 0 then
        local a = math.floor((offset + sent) / per_address)
        headers["X-Forwarded-For"] = string.format("198.%d.%d.%d", 18 + math.floor(a / 65536) % 2, math.floor(a / 256) % 256, a % 256)
    end
    return wrk.format("POST", "/api/v1/needs", headers, body)
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'WRK_JSON {"requests": %d, "duration_us": %d, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, ' ..
            '"write_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
        summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
