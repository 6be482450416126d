// A conformance of a public type is public, so the protocol's module must be imported publicly.
public import ArgumentParser
import LogArchive

/// `--format ndjson` or `--format binary`.
extension ExportFormat.Encoding: ExpressibleByArgument {}
