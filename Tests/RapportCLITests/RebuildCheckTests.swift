import Foundation
import RapportTestSupport
import Testing

/// `rapport rebuild --check`: the live read models against a build from the log.
@Suite("rebuild --check")
struct RebuildCheckTests {
    let directory = TemporaryDirectory("rebuild-check")

    @Test(
        "read models kept from the log pass; read models of another log fail, naming the row; never-built ones cannot be checked"
    )
    func check() throws {
        let log = directory.appending("log")
        let generated = try rapport("demo", "--data-dir", log, "--customers", "200", "--days", "30", "--no-read-models")
        #expect(generated.status == 0, "\(generated.errors)")

        let unbuilt = try rapport("rebuild", "--check", "--data-dir", log)
        #expect(unbuilt.status == 2 && unbuilt.errors.contains("read_models_not_comparable"), "\(unbuilt.errors)")

        let built = try rapport("rebuild", "--data-dir", log)
        #expect(built.status == 0, "\(built.errors)")
        // Scratch left by a check killed before its clean-up goes; a running one's stays.
        let abandoned = log + "/read-models.check-\(try #require(Self.deadProcessID()))"
        let running = log + "/read-models.check-\(ProcessInfo.processInfo.processIdentifier)"
        for scratch in [abandoned, running] {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        }
        let passed = try rapport("rebuild", "--check", "--data-dir", log)
        #expect(!FileManager.default.fileExists(atPath: abandoned))
        #expect(FileManager.default.fileExists(atPath: running))
        try FileManager.default.removeItem(atPath: running)
        #expect(passed.status == 0, "\(passed.errors)")
        #expect(passed.output.contains("ok: 18 read models at position"), "\(passed.output)")
        #expect(passed.output.contains("customer360: ") && passed.output.contains(" rows, identical"))

        // Read models built from another history, checked against this log.
        let other = directory.appending("other")
        let foreign = directory.appending("foreign-read-models")
        #expect(
            try rapport(
                "demo",
                "--data-dir",
                other,
                "--customers",
                "200",
                "--days",
                "30",
                "--seed",
                "8",
                "--no-read-models"
            ).status == 0
        )
        #expect(try rapport("rebuild", "--data-dir", other, "--read-models", foreign).status == 0)
        let failed = try rapport("rebuild", "--check", "--data-dir", log, "--read-models", foreign)
        #expect(failed.status == 1, "\(failed.errors)")
        #expect(failed.output.contains("DIFFERS after"), "\(failed.output)")
        #expect(failed.output.contains("FAILED:"), "\(failed.output)")

        // The scratch build beside the read models is gone either way.
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(!left.contains { $0.contains(".check-") }, "\(left)")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: log)).contains { $0.contains(".check-") })
    }

    @Test("--check takes no as-of option, and does not build into the live read models")
    func refusesAsOf() throws {
        let refused = try rapport(
            "rebuild",
            "--check",
            "--as-of-position",
            "3",
            "--data-dir",
            directory.appending("none")
        )
        #expect(refused.status == 64 && refused.errors.contains("--check"), "\(refused.errors)")
        let log = directory.appending("log")
        let intoLive = try rapport("rebuild", "--check", "--data-dir", log, "--into", log + "/./read-models/")
        #expect(intoLive.status == 64 && intoLive.errors.contains("another directory"), "\(intoLive.errors)")
        #expect(!FileManager.default.fileExists(atPath: log), "nothing was created")
    }

    /// A process id no process has now.
    static func deadProcessID() -> Int32? {
        (4_000_000..<4_000_100).first { kill($0, 0) != 0 && errno == ESRCH }
    }
}
