import ArgumentParser

@main
struct Curate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ingest, normalise, check and publish official innovation statistics.",
        discussion: """
            Reads the raw files in Raw/ as the pipeline specs in Pipelines/ declare, converts units,
            periods and numbers, checks schemas and consistency rules, and writes curated packages
            (CSV + Frictionless datapackage.json + reports) to Curated/.

            EXAMPLES:
              curate run                       run every pipeline
              curate list                      show each pipeline and its status
              curate read Raw/mext/joint-research/joint-research-private-companies.csv

            \(ExitStatus.helpText)
            """,
        subcommands: [RunCommand.self, ListCommand.self, ReadCommand.self])
}

/// Options every command that works on the project shares.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Project root (holding Pipelines/, Raw/, Curated/).", valueName: "dir"))
    var root: String = "."
}
