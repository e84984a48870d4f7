-- bodies.lua: wrk POSTs form bodies read from a file, one per line, to the
-- path given. Mode "once" sends each body at most once (page.pay and refund
-- need a new out_trade_no or out_request_no per request): a thread that has
-- used up its share sends GET /_mockpay/healthz instead and counts it as
-- spare, so the harness can see the pool was too small. Mode "repeat"
-- cycles (trade.query on one paid trade, the stubs).
-- Usage: wrk ... -s bodies.lua URL -- FILE THREADS once|repeat [EXPECT]
-- With EXPECT (and checked.lua, which adds the response hook: wrk reads
-- bodies only for a script that has one), every answer's body must
-- contain it, since a gateway answers its errors with HTTP 200: the others
-- are counted as bad and one is kept.
-- done() prints one JSON line the harness reads.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  mode = args[3] or "once"
  expect = args[4]
  bad = 0
  badBody = ""
  bodies = {}
  -- "once" splits the lines among the threads; "repeat" gives each
  -- thread all of them, starting at its own offset.
  local all = {}
  for line in io.lines(file) do all[#all + 1] = line end
  for i, line in ipairs(all) do
    if mode ~= "once" or (i - 1) % nthreads == id then bodies[#bodies + 1] = line end
  end
  if #bodies == 0 then error("no bodies for thread " .. id .. " in " .. file) end
  n = mode == "once" and 0 or (id % #bodies)
  spare = 0
  headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  path = wrk.path
end

function request()
  n = n + 1
  if n > #bodies then
    if mode ~= "once" then
      n = 1
    else
      spare = spare + 1
      return wrk.format("GET", "/_mockpay/healthz")
    end
  end
  return wrk.format("POST", path, headers, bodies[n])
end

function done(summary, latency, requests)
  local spares, bads, badBody = 0, 0, ""
  for _, t in ipairs(threads) do
    spares = spares + (t:get("spare") or 0)
    bads = bads + (t:get("bad") or 0)
    if (t:get("badBody") or "") ~= "" then badBody = t:get("badBody") end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"spare":%d,"bad":%d,"bad_body":%q,"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), spares, bads, badBody,
    e.connect, e.read, e.write, e.status, e.timeout))
end
