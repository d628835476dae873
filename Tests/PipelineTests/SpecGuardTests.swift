import Foundation
import Testing
import CurateCore
@testable import Pipeline

/// The scan that runs before Yams: what it refuses, and that it leaves text alone.
@Suite struct SpecGuardTests {
    func scan(_ text: String) throws { try YAMLPreflight().check(Array(text.utf8), file: "Pipelines/t.yaml") }

    func refused(_ text: String, _ fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        do {
            try scan(text)
            Issue.record("accepted: \(text.prefix(80))", sourceLocation: sourceLocation)
        } catch let error as CurateError {
            #expect(error.code == .specError, sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
        } catch { Issue.record("\(error)", sourceLocation: sourceLocation) }
    }

    @Test func everyShippedSpecPasses() throws {
        let folder = repositoryRoot + "/Pipelines"
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".yaml") {
            try scan(try String(contentsOfFile: folder + "/" + name, encoding: .utf8))
        }
    }

    @Test func anchorsAndAliasesAreRefusedWhereverANodeStarts() {
        refused("a: &x [1]\nb: *x\n", "anchors")
        refused("a: *x\n", "aliases")
        refused("- *x\n", "aliases")
        refused("{? [*x] : 1}\n", "aliases")
        refused("a: [1, *x]\n", "aliases")
        refused("? *x\n: 1\n", "aliases")
        refused("a: !!str *x\n", "aliases")
        refused("*x : 1\n", "aliases")
    }

    @Test func starsAndAmpersandsInTextAreNotAliases() throws {
        try scan("title: a * b & c\ndescription: \"*x &y\"\nnote: '*z'\n# *comment\nx: 1 # *c\n")
        try scan("description: |\n  * a bullet\n  &also text\nnext: 1\n")
        try scan("description: >-\n  *folded\n\n  &more\nnext: [a, b]\n")
        try scan("footnote_prefixes: [注, 資料, 出典]\nurl: https://x.example/a*b\n")
    }

    @Test func nestingAndNodeCountAreBounded() {
        refused("a: " + String(repeating: "[", count: 300), "nested more than 256")
        refused(String(repeating: "- ", count: 300) + "x\n", "nested more than 256")
        refused("a: [" + String(repeating: "1,", count: 100_001) + "1]\n", "more than 100000 YAML nodes")
    }

    @Test func datasetNamesAreSafe() {
        for good in ["mext-joint-research", "a", "0-9"] { #expect(SpecGuard.isSafeName(good)) }
        for bad in ["..", ".", "", "-x", "A", "a/b", "a_b", "a b", "a.b", "ａ", String(repeating: "a", count: 101)] {
            #expect(!SpecGuard.isSafeName(bad), "\(bad)")
        }
    }

    /// A FIFO named like a spec would block the read forever.
    @Test func aSpecThatIsNotARegularFileIsRefused() throws {
        let project = try ProjectCopy(pipelines: false)
        #expect(mkfifo(project.root + "/Pipelines/fifo.yaml", 0o600) == 0)
        #expect(throws: CurateError.self) { _ = try Project(root: project.root).loadSpecs() }
    }

    @Test func referencesStayInTheirFolder() throws {
        let project = try ProjectCopy()
        for bad in ["../units", "../../../etc/passwd", "/etc/passwd", ".hidden", "a/b"] {
            #expect(throws: CurateError.self, "\(bad)") {
                _ = try SpecGuard.referenceFile(bad, in: "Pipelines/reference/codelists", root: project.root, at: nil)
            }
        }
        #expect(throws: CurateError.self) { _ = try Project(root: project.root).codeList("../../Pipelines/mext-joint-research") }
        #expect(throws: CurateError.self) { _ = try Project(root: project.root).rateTable("../codelists/x") }
    }
}
