-- wrk script for bench/realistic.py: each request takes the next path of a
-- pre-drawn sequence (one path a line; the file is the script's first argument),
-- each thread starting at its own offset. Counts the page cache's X-Cache answers
-- and prints the run's figures as one JSON line.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  position = (id - 1) * math.floor(#paths / 7)
  hit, stale, miss, other = 0, 0, 0, 0
end

function request()
  position = position % #paths + 1
  return wrk.format(nil, paths[position])
end

function response(status, headers, body)
  local state = headers["X-Cache"]
  if state == "HIT" then
    hit = hit + 1
  elseif state == "STALE" then
    stale = stale + 1
  elseif state == "MISS" then
    miss = miss + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local h, s, m, o = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hit")
    s = s + thread:get("stale")
    m = m + thread:get("miss")
    o = o + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"hit": %d, "stale": %d, "miss": %d, "uncounted": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout, h, s, m, o))
end
