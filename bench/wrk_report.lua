-- wrk script for bench/run.py: an optional request body, and a JSON report at the end.
--   WRK_METHOD   GET (default) or POST
--   WRK_BODY     file with the body to send (POST); "{n}" in it becomes a per-request number
--   WRK_REPORT   where done() writes {requests, duration_us, non_2xx_3xx, socket_errors, p50..p99}

local template = nil
local counter = 0
local body_file = os.getenv("WRK_BODY")
if body_file and body_file ~= "" then
  local handle = io.open(body_file, "r")
  template = handle:read("*a")
  handle:close()
end

wrk.method = os.getenv("WRK_METHOD") or "GET"

local threads_started = 0
setup = function(thread)
  threads_started = threads_started + 1
  thread:set("thread_number", threads_started)
end

request = function()
  if template == nil then
    return wrk.format()
  end
  counter = counter + 1
  local body = template:gsub("{n}", tostring((thread_number or 0) * 1000000 + counter))
  return wrk.format(wrk.method, wrk.path, wrk.headers, body)
end

done = function(summary, latency, requests)
  local errors = summary.errors
  local out = io.open(os.getenv("WRK_REPORT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx_3xx": %d, "socket_errors": %d, '
      .. '"mean": %.1f, "p50": %.1f, "p90": %.1f, "p95": %.1f, "p99": %.1f, "max": %.1f}',
    summary.requests, summary.duration, summary.bytes, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max
  ))
  out:close()
end
