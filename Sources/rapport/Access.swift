import ArgumentParser
import CRMServer

extension Rapport {
    /// Prints who may do what over HTTP.
    struct Access: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print who may use each HTTP route: its roles, scope rule, and the fields only some roles may send.",
            discussion: """
                The server's one access table, as a Markdown table, a row per route in path order. \
                It needs no data directory. Example: rapport access > ACCESS.md
                """
        )

        func run() {
            print(AccessTable.markdown(), terminator: "")
        }
    }
}
