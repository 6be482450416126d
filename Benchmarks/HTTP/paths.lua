-- wrk script: GET a path chosen at random from the file named by PATHS (one path per line),
-- with the bearer token in the TOKEN environment variable. Counts non-200 answers.
local paths = {}
local token = os.getenv("TOKEN")

function init(args)
  for line in io.lines(os.getenv("PATHS")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], { ["Authorization"] = "Bearer " .. token })
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors (non-2xx) %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
