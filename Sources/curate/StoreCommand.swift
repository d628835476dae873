import ArgumentParser
import CurateCore
import Pipeline

/// `curate store`: what Curated/curate.sqlite holds, and loading the releases a run only registered.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "List the releases in Curated/curate.sqlite; load the large ones a run only registered.",
        discussion: """
            A run loads every release of up to \(StoreSync.eagerRowLimit) rows into the store. A larger release is
            registered (its rows, raw files and data.csv path, with loaded = 0 in the `releases` table), not loaded:
            read its data.csv directly, or load it with --load.
            EXAMPLES:
              curate store
              curate store --load oecd-rd-expenditure
            """)

    @OptionGroup var project: ProjectOptions

    @Option(name: .customLong("load"), parsing: .upToNextOption, help: "Load every registered release of these datasets.")
    var load: [String] = []

    @Flag(help: "Wait for a running `curate run` to finish instead of failing with lock-held.")
    var wait = false

    func run() throws {
        let projectAt = try Project(root: project.root)
        if !load.isEmpty { _ = try StoreSync.load(load, project: projectAt, wait: wait) }
        let releases = try StoreSync.releases(project: projectAt)
        let header = ["dataset", "release", "rows", "loaded"]
        let table = releases.map { [$0.dataset, $0.release, String($0.rows), $0.loaded ? "yes" : "no (curate store --load \($0.dataset))"] }
        let widths = header.indices.map { i in ([header[i]] + table.map { $0[i] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        print(line(header))
        for row in table { print(line(row)) }
    }
}
