-- checked.lua: bodies.lua plus a check of every answer (its EXPECT
-- argument): "status=3" wants a redirect (3xx), anything else is a string
-- every answer's body must contain, since a gateway answers its errors with
-- HTTP 200. Answers that fail are counted as bad and one is kept. A
-- separate script because wrk hands answers to Lua, at a cost, only when
-- the script defines response().
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "bodies.lua")

function response(status, headers, body)
  if not expect or expect == "" then return end
  local ok
  if expect == "status=3" then
    ok = status >= 300 and status < 400
  else
    ok = status < 300 and string.find(body, expect, 1, true) ~= nil
  end
  -- The spare GET /_mockpay/healthz (a thread out of bodies) is no answer
  -- of the path: mockpay says {"status":"ok"}, the stubs "ok".
  local spareAnswer = body == "ok" or body:sub(1, 15) == '{"status":"ok"}'
  if not ok and not spareAnswer then
    bad = bad + 1
    badBody = status .. " " .. string.sub(body, 1, 300)
  end
end
