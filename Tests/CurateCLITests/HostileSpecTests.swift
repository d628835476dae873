import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Hostile pipeline specs through the real binary: each refused with exit 2 and `spec-error`,
/// within 2 seconds and 256 MB (HostileInputTests.expect), by `list`, `validate` and `run`.
@Suite(.serialized) struct HostileSpecTests {
    /// A project holding only the reference tables and the spec under test.
    final class Project {
        let root = NSTemporaryDirectory() + "curate-hostile-spec-" + UUID().uuidString
        init() throws {
            try FileManager.default.createDirectory(atPath: root + "/Pipelines", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: CLITests.repositoryRoot + "/Pipelines/reference", toPath: root + "/Pipelines/reference")
            try FileManager.default.copyItem(atPath: CLITests.repositoryRoot + "/Raw", toPath: root + "/Raw")
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }
        func write(_ relative: String, _ text: String) throws { try text.write(toFile: root + "/" + relative, atomically: true, encoding: .utf8) }
        var shipped: String { get throws { try String(contentsOfFile: CLITests.repositoryRoot + "/Pipelines/mext-joint-research.yaml", encoding: .utf8) } }
    }

    static func expectRefused(_ project: Project, _ what: String, mentioning text: String) throws {
        // `list` goes on with the other datasets (exit 0) and shows this one as spec-error, saying
        // why on stderr; `validate` and `run` end with exit 2.
        for command in [["list"], ["validate"], ["run"]] {
            let outcome = try HostileInputTests.run(command + ["--root", project.root])
            HostileInputTests.expect(outcome, exit: command[0] == "list" ? 0 : 2, code: "spec-error", "\(what) (\(command[0]))")
            #expect(outcome.stderr.contains(text), "\(what): \(outcome.stderr)")
        }
    }

    /// 448 bytes: nine anchored lists of nine, each made of the previous one, as a mapping key —
    /// Yams would hash 9^9 nodes. The scan refuses the first alias before Yams sees the text.
    @Test func aliasBombAsAMappingKey() throws {
        let project = try Project()
        var lists = ["&x0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
        for level in 1...8 { lists.append("&x\(level) [" + Array(repeating: "*x\(level - 1)", count: 9).joined(separator: ",") + "]") }
        let bomb = "name: bomb\nsource: {? [" + lists.joined(separator: ", ") + "] : 1}\n"
        #expect(bomb.utf8.count > 400 && bomb.utf8.count < 500)
        try project.write("Pipelines/bomb.yaml", bomb)
        try Self.expectRefused(project, "alias bomb", mentioning: "anchors (&name) are not allowed")
    }

    @Test func a100MBSpec() throws {
        let project = try Project()
        let files = try HostileInputTests.Files()
        let big = try files.write("big.yaml", head: "name: big\nitems:\n", body: "  - x\n", times: (100 << 20) / 6)
        try FileManager.default.moveItem(atPath: big, toPath: project.root + "/Pipelines/big.yaml")
        try Self.expectRefused(project, "a 100 MB spec", mentioning: "larger than 1048576 bytes")
    }

    @Test func deepNestingAndTooManyNodes() throws {
        let project = try Project()
        try project.write("Pipelines/deep.yaml", "name: deep\nsource: " + String(repeating: "[", count: 500_000) + "\n")
        try Self.expectRefused(project, "500,000 nested lists", mentioning: "nested more than")
        try FileManager.default.removeItem(atPath: project.root + "/Pipelines/deep.yaml")
        try project.write("Pipelines/wide.yaml", "name: wide\nsource: [" + String(repeating: "1,", count: 400_000) + "1]\n")
        try Self.expectRefused(project, "400,000 list items", mentioning: "more than 100000 YAML nodes")
    }

    /// `...yaml` naming itself `..`: Curated/.. is the project root.
    @Test func dotDotAsADatasetName() throws {
        let project = try Project()
        try project.write("Pipelines/...yaml", try project.shipped.replacingOccurrences(of: "name: mext-joint-research", with: "name: .."))
        try Self.expectRefused(project, "name: ..", mentioning: "must be lowercase letters, digits and -")
    }

    @Test func uppercaseOrSlashInADatasetName() throws {
        let project = try Project()
        try project.write("Pipelines/Bad.yaml", try project.shipped.replacingOccurrences(of: "name: mext-joint-research", with: "name: Bad"))
        try Self.expectRefused(project, "name: Bad", mentioning: "must be lowercase letters, digits and -")
    }

    /// A rule's code list reference that climbs out of Pipelines/reference/codelists/ to a file
    /// that exists; and one through a symlink.
    @Test func codeListPathThatEscapes() throws {
        let project = try Project()
        try project.write("outside.yaml", "id: outside\ntitle: outside\nsource: test\ncodes:\n  - {code: A, label: a}\n")
        let rule = "\n  - name: escape\n    type: hierarchy\n    group_by: [fiscal_year]\n    codelist: ../../../outside\n"
        try project.write("Pipelines/mext-joint-research.yaml", try project.shipped.replacingOccurrences(of: "\nrules:\n", with: "\nrules:" + rule))
        try Self.expectRefused(project, "codelist: ../../../outside", mentioning: "must be a plain name")

        try FileManager.default.createSymbolicLink(atPath: project.root + "/Pipelines/reference/codelists/linked.yaml", withDestinationPath: project.root + "/outside.yaml")
        try project.write("Pipelines/mext-joint-research.yaml",
                          try project.shipped.replacingOccurrences(of: "\nrules:\n", with: "\nrules:" + rule.replacingOccurrences(of: "../../../outside", with: "linked")))
        try Self.expectRefused(project, "codelist through a symlink", mentioning: "outside")
    }
}

/// Garbage over Curated/curate.sqlite: the next run rebuilds it and says so in every log format.
@Suite(.serialized) struct StoreCorruptionCLITests {
    @Test func corruptStoreIsRebuiltWithAWarningInEveryLogFormat() throws {
        let scratch = try CLITests.Scratch()
        let first = try CLITests.curate(["run", "mext-joint-research"], in: scratch.root)
        #expect(first.status == 0, "\(first.stderr)")
        let store = scratch.root + "/Curated/curate.sqlite"
        for format in ["none", "text", "json"] {
            try Data(repeating: 0x21, count: 8192).write(to: URL(fileURLWithPath: store))
            let run = try CLITests.curate(["run", "mext-joint-research", "--log-format", format], in: scratch.root)
            #expect(run.status == 0, "\(format): \(run.stderr)")
            let lines = run.stderr.split(separator: "\n").map(String.init)
            let warning = lines.first { $0.contains("store was corrupt and has been rebuilt") }
            #expect(warning != nil, "\(format): \(run.stderr)")
            if format == "json", let warning {
                let object = try JSONSerialization.jsonObject(with: Data(warning.utf8)) as? [String: Any]
                #expect(object?["level"] as? String == "warning", "\(warning)")
            } else {
                #expect(warning?.hasPrefix("curate: warning: ") == true, "\(format): \(warning ?? "")")
            }
            let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: store)).read(upToCount: 16) ?? Data()
            #expect(header == Data("SQLite format 3\0".utf8), "\(format): store not rebuilt")
        }
    }
}
