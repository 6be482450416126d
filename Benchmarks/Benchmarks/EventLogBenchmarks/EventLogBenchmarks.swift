import Benchmark
import EventStore

// Throughput of the event log: appends (batched, and many concurrent single-event callers
// sharing group commits), a full scan, and a stream read. Each benchmark opens its own log
// in a fresh temporary directory and deletes it afterwards.
//
// Figures are events per second. `Events (#/s)` is measured by each iteration itself: events
// handled divided by the wall-clock time of the measured part alone. Building the events to
// append (and their ids) is left out: that is the caller's cost, not the log's.
// package-benchmark's own `Throughput (# / s)` is iterations per second times the scaling
// factor, so for these benchmarks it is also events per second, but rounded to whole
// iterations per second (coarse for the scan, where one iteration is 1,000,000 events).

extension BenchmarkMetric {
    /// Events handled per second of measured wall-clock time, one sample per iteration.
    static var events: Self { .custom("Events (#/s)", polarity: .prefersLarger, useScalingFactor: false) }
}

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.events, .throughput, .wallClock, .mallocCountTotal]

    // MARK: - Appends

    /// Events per append call in the batched benchmark.
    let batchSize = BenchmarkScalingFactor.kilo

    let batched = Fixture<TemporaryLog>()
    Benchmark(
        "Append 1,000-event batches, durable",
        configuration: .init(
            metrics: metrics,
            warmupIterations: 5,
            scalingFactor: batchSize,
            maxDuration: .seconds(10),
            maxIterations: 2_000
        )
    ) { benchmark in
        let log = batched.value.log
        let stream = try SampleEvents.customer(benchmark.currentIteration % 100)
        let events = SampleEvents.followUps(benchmark.scaledIterations.count)
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        let result = try await log.append(to: stream, expecting: .any, events)
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        precondition(result.positions.count == events.count)
        benchmark.measurement(.events, elapsed.rate(of: events.count))
    } setup: {
        batched.set(try TemporaryLog("batched", durability: .durable))
    } teardown: {
        await batched.take()?.remove()
    }

    /// Concurrent callers, each appending one event at a time to its own stream.
    let appenders = 64

    let concurrent = Fixture<TemporaryLog>()
    Benchmark(
        "Append 1 event from each of 64 concurrent callers, durable",
        configuration: .init(
            metrics: metrics,
            warmupIterations: 2,
            scalingFactor: .kilo,
            maxDuration: .seconds(10),
            maxIterations: 1_000
        )
    ) { benchmark in
        let log = concurrent.value.log
        let streams = try (0..<appenders).map(SampleEvents.customer)
        let events = SampleEvents.followUps(benchmark.scaledIterations.count)
        // Together the callers append each of `events` once, one per call, each caller to its
        // own stream, so every commit is a group commit of whatever callers are waiting.
        let tickets = Tickets(events.count)
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for stream in streams {
                group.addTask {
                    while let ticket = tickets.take() {
                        try await log.append(to: stream, expecting: .any, [events[ticket]])
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        benchmark.measurement(.events, elapsed.rate(of: events.count))
    } setup: {
        concurrent.set(try TemporaryLog("concurrent", durability: .durable))
    } teardown: {
        await concurrent.take()?.remove()
    }

    /// The same appends from one caller: one durable commit per event, the cost group commit
    /// shares out. Here one iteration is one append.
    let single = Fixture<TemporaryLog>()
    Benchmark(
        "Append 1 event from 1 caller, durable",
        configuration: .init(
            metrics: metrics,
            warmupIterations: 10,
            scalingFactor: .one,
            maxDuration: .seconds(5),
            maxIterations: 10_000
        )
    ) { benchmark in
        let log = single.value.log
        let stream = try SampleEvents.customer(0)
        let event = SampleEvents.followUp()
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        try await log.append(to: stream, expecting: .any, [event])
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        benchmark.measurement(.events, elapsed.rate(of: 1))
    } setup: {
        single.set(try TemporaryLog("single", durability: .durable))
    } teardown: {
        await single.take()?.remove()
    }

    // MARK: - Reads

    /// The pre-filled logs: `streams` customer streams of `eventsPerStream` events each.
    let streams = 1_000
    let eventsPerStream = 1_000
    let filledEvents = streams * eventsPerStream

    let scanned = Fixture<TemporaryLog>()
    Benchmark(
        "Scan 1,000,000 events forward",
        configuration: .init(
            metrics: metrics,
            warmupIterations: 2,
            scalingFactor: .mega,
            maxDuration: .seconds(10),
            maxIterations: 100
        )
    ) { benchmark in
        let log = scanned.value.log
        var count = 0
        var payloadBytes = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        try log.scan(from: 1) { record in
            count += 1
            payloadBytes &+= record.payload.count
            return true
        }
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        precondition(count == filledEvents, "scanned \(count) events of \(filledEvents)")
        blackHole(payloadBytes)
        benchmark.measurement(.events, elapsed.rate(of: count))
    } setup: {
        let fixture = try TemporaryLog("scan", durability: .none)
        try await SampleEvents.fill(fixture.log, streams: streams, eventsPerStream: eventsPerStream)
        scanned.set(fixture)
    } teardown: {
        await scanned.take()?.remove()
    }

    let streamRead = Fixture<TemporaryLog>()
    Benchmark(
        "Read a 1,000-event stream among 1,000 streams",
        configuration: .init(
            metrics: metrics,
            warmupIterations: 5,
            scalingFactor: .kilo,
            maxDuration: .seconds(10),
            maxIterations: 5_000
        )
    ) { benchmark in
        let log = streamRead.value.log
        // A different stream each time, so each read walks pages of its own.
        let stream = try SampleEvents.customer((benchmark.currentIteration &* 7_919) % streams)
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        let events = try log.readStream(stream, from: 0, direction: .forward, limit: eventsPerStream)
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        precondition(events.count == eventsPerStream, "read \(events.count) events of \(stream)")
        benchmark.measurement(.events, elapsed.rate(of: events.count))
    } setup: {
        let fixture = try TemporaryLog("stream", durability: .none)
        try await SampleEvents.fill(fixture.log, streams: streams, eventsPerStream: eventsPerStream)
        streamRead.set(fixture)
    } teardown: {
        await streamRead.take()?.remove()
    }

    crmCommandBenchmarks(metrics: metrics)
    crmPoolBenchmarks(metrics: metrics)
    snapshotBenchmarks(metrics: metrics)
    workloadBenchmarks(metrics: metrics)
    projectionBenchmarks(metrics: metrics)
    liveProjectionBenchmarks(metrics: metrics)
    queryBenchmarks(metrics: metrics)
    searchBenchmarks(metrics: metrics)
    operatorBenchmarks(metrics: metrics)
    archiveBenchmarks(metrics: metrics)
}
