import ArgumentParser
import CurateCore

struct ErrorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "errors",
        abstract: "List the error catalogue: every code curate reports, with its meaning.",
        discussion: """
            EXAMPLES:
              curate errors
              curate errors --markdown > docs/errors.md
            """)

    @Flag(help: "Print the catalogue as the Markdown of docs/errors.md.")
    var markdown = false

    func run() {
        if markdown { print(IssueCode.markdownCatalogue(), terminator: ""); return }
        for code in IssueCode.allCases {
            print("\(code.rawValue)\t\(code.defaultSeverity.rawValue)\t\(code.summary)")
        }
    }
}
