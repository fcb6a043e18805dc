-- wrk script for make bench: counts every status code and prints one parseable JSON line.
--
-- Arguments (after "--" on the wrk command line):
--   bust            append a unique "_=<n>" query parameter to every request (cache miss)
--   rotate=<N>      replace "{n}" in the path with a random number from 1 to N per request
-- wrk itself counts only status >= 400 as errors; this script counts every status, so the
-- harness can require 2xx for every single response.

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   statuses = {}
   bust = false
   rotate = 0
   for _, arg in ipairs(args) do
      if arg == "bust" then
         bust = true
      elseif arg:sub(1, 7) == "rotate=" then
         rotate = tonumber(arg:sub(8))
      end
   end
   base_path = wrk.path
   math.randomseed(os.time() + id * 7919)
end

function request()
   if not bust and rotate == 0 then
      return wrk.format(nil, base_path)
   end
   local p = base_path
   if rotate > 0 then
      p = p:gsub("{n}", tostring(math.random(1, rotate)))
   end
   if bust then
      counter = counter + 1
      local sep = "?"
      if p:find("?", 1, true) then
         sep = "&"
      end
      p = p .. sep .. "_=" .. id .. "-" .. counter
   end
   return wrk.format(nil, p)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local merged = {}
   for _, thread in ipairs(threads) do
      local s = thread:get("statuses")
      for code, n in pairs(s) do
         merged[code] = (merged[code] or 0) + n
      end
   end
   local codes = {}
   for code, n in pairs(merged) do
      table.insert(codes, string.format('"%d": %d', code, n))
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"statuses": {%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      latency.mean, e.connect, e.read, e.write, e.status, e.timeout,
      table.concat(codes, ", ")))
end
