-- wrk script: POST follow-ups like follow-ups.lua, and write the log position of every one the
-- server acknowledged (201) to $ACKS-<thread>, one per line, so that after the server is killed
-- a check can prove each acknowledged event survived. Errors (the server going away) are
-- expected and only counted.
local customers = {}
local token = os.getenv("TOKEN")
local threads = 0
local acknowledged

function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end

function init(args)
  for line in io.lines(os.getenv("CUSTOMERS") or "customers.txt") do
    if #line > 0 then customers[#customers + 1] = line end
  end
  acknowledged = assert(io.open(os.getenv("ACKS") .. "-" .. number, "w"))
end

function request()
  local customer = customers[math.random(#customers)]
  return wrk.format("POST", "/v1/customers/" .. customer .. "/follow-ups",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
    '{"channel":"call","note":"crash check"}')
end

function response(status, headers, body)
  if status == 201 then
    acknowledged:write(string.match(body, '"position"%s*:%s*(%d+)'), "\n")
    acknowledged:flush()
  end
end
