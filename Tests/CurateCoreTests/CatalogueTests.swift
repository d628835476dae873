import Foundation
import Testing
@testable import CurateCore

@Suite struct CatalogueTests {
    @Test(arguments: IssueCode.allCases)
    func everyTemplateFillsCompletely(_ code: IssueCode) {
        let finding = Finding(code, check: "t", location: SourceLocation(file: "f.csv", row: 3, column: 2, field: "額", raw: "x"),
                              expected: "E", actual: "A")
        #expect(!finding.message.contains("{"), "\(code): \(finding.message)")
        #expect(!code.title.isEmpty && !code.summary.isEmpty)
    }

    @Test func codesAreKebabCaseAndUnique() {
        let codes = IssueCode.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "-" } })
    }

    /// docs/errors.md is generated from the catalogue; regenerate with `make docs` when this fails.
    @Test func errorsDocumentIsCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("docs/errors.md"), encoding: .utf8)
        #expect(committed == IssueCode.markdownCatalogue())
    }

    @Test func errorDescriptionNamesCodeAndPlace() {
        let error = CurateError(.encodingError, "bad bytes", at: SourceLocation(file: "a.csv", row: 2, column: 5, raw: "81 20"))
        #expect(error.description == "[encoding-error] a.csv:2:5 \"81 20\": bad bytes")
    }
}
