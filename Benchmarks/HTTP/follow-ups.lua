-- wrk script: POST a follow-up to a customer chosen at random from customers.txt (one id per
-- line), with the bearer token in the TOKEN environment variable. Counts non-201 answers.
local customers = {}
local token = os.getenv("TOKEN")
local failures = 0

function init(args)
  for line in io.lines(os.getenv("CUSTOMERS") or "customers.txt") do
    if #line > 0 then customers[#customers + 1] = line end
  end
end

function request()
  local customer = customers[math.random(#customers)]
  return wrk.format("POST", "/v1/customers/" .. customer .. "/follow-ups",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
    '{"channel":"call","note":"load test"}')
end

function response(status, headers, body)
  if status ~= 201 then failures = failures + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors (non-2xx) %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
