import Foundation
import Testing
import CurateCore
@testable import Pipeline

@Suite struct RunTests {
    static let raw = "Raw/mext/joint-research/joint-research-private-companies.csv"

    @Test func shippedPipelinesPublishAndRerunChangesNothing() throws {
        let project = try ProjectCopy()
        let results = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        #expect(results.count == 1)
        guard case .published(_, true) = results[0].status else { Issue.record("\(results[0].status)"); return }
        let first = try project.curatedSnapshot()
        let release = try #require(first.keys.first { $0.hasPrefix("mext-joint-research/releases/") }?.split(separator: "/")[2])
        let published = first.keys.filter { $0.hasPrefix("mext-joint-research/") || $0 == "catalog.json" }
        #expect(Set(published) == ["catalog.json", "mext-joint-research/data.csv", "mext-joint-research/datapackage.json",
                                    "mext-joint-research/lineage.csv", "mext-joint-research/report.json", "mext-joint-research/report.md", "mext-joint-research/report.html",
                                    "mext-joint-research/releases.json", "mext-joint-research/releases/\(release)/data.csv",
                                    "mext-joint-research/releases/\(release)/lineage.csv", "mext-joint-research/releases/\(release)/datapackage.json",
                                    ])
        // A rerun skips the unchanged dataset; a forced rerun redoes it and writes the same bytes.
        let again = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        guard case .skipped = again[0].status else { Issue.record("rerun was not skipped: \(again[0].status)"); return }
        #expect(try project.curatedSnapshot() == first)
        var forced = try project.runner
        forced.force = true
        let redone = try forced.run(datasets: ["mext-joint-research"], dryRun: false)
        guard case .published(_, false) = redone[0].status else { Issue.record("forced rerun changed files: \(redone[0].status)"); return }
        let after = try project.curatedSnapshot()
        #expect(after.keys.filter { after[$0] != first[$0] }.isEmpty, "changed: \(after.keys.filter { after[$0] != first[$0] })")
    }

    @Test func changedInputsAreRedoneUnchangedOnesSkipped() throws {
        let project = try ProjectCopy()
        _ = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        let spec = project.root + "/Pipelines/mext-joint-research.yaml"
        try (try String(contentsOfFile: spec, encoding: .utf8) + "\n# a comment is a change\n").write(toFile: spec, atomically: true, encoding: .utf8)
        guard case .published = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)[0].status else { Issue.record("spec change not redone"); return }
        guard case .skipped = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)[0].status else { Issue.record("not skipped"); return }
        var newBuild = try project.runner
        newBuild.codeVersion = "another build"
        guard case .published = try newBuild.run(datasets: ["mext-joint-research"], dryRun: false)[0].status else { Issue.record("new code not redone"); return }
        try FileManager.default.removeItem(atPath: project.root + "/Curated/mext-joint-research")
        guard case .published = try newBuild.run(datasets: ["mext-joint-research"], dryRun: false)[0].status else { Issue.record("deleted output not redone"); return }
    }

    @Test func curatedValuesAreInBaseUnitsAndTraceToTheirCell() throws {
        let project = try ProjectCopy()
        _ = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        let data = String(decoding: try project.read("Curated/mext-joint-research/data.csv"), as: UTF8.self)
        #expect(data.contains("\n2012,projects,16925,count\n"))
        #expect(data.contains("\n2023,amount,102800000000,JPY\n"))
        #expect(data.contains("\n2021,amount_10m_plus,50500000000,JPY\n"))
        #expect(!data.contains("2016,"))   // blank in the source: no row, never a zero
        let lineage = String(decoding: try project.read("Curated/mext-joint-research/lineage.csv"), as: UTF8.self)
        #expect(lineage.contains("2023,amount,\(Self.raw),15,3,民間企業からの共同研究受入額,\"1,028\",億円,"))
    }

    @Test func typoInARawCellFailsValidationAtThatCellAndKeepsThePreviousRelease() throws {
        let project = try ProjectCopy()
        _ = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        let published = try project.read("Curated/mext-joint-research/data.csv")
        // FY2021 amount 893 mistyped as 89: now less than its 1,000万円-or-more part (505).
        try editCP932(project.root + "/" + Self.raw, replacing: "令和3年度,\"29,644\",893,505", with: "令和3年度,\"29,644\",89,505")
        let results = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        guard case .failedValidation(let previous) = results[0].status else { Issue.record("\(results[0].status)"); return }
        #expect(previous != nil)
        let finding = try #require(results[0].report?.findings.first { $0.code == .partExceedsTotal })
        #expect(finding.location?.file == Self.raw)
        #expect(finding.location?.row == 13)
        #expect(finding.location?.column == 4)
        #expect(finding.expected?.contains("8900000000") == true)
        #expect(try project.read("Curated/mext-joint-research/data.csv") == published)
        let catalog = String(decoding: try project.read("Curated/catalog.json"), as: UTF8.self)
        #expect(catalog.contains("\"status\" : \"failed-validation\""))
        let report = String(decoding: try project.read("Curated/mext-joint-research/report.md"), as: UTF8.self)
        #expect(report.contains("| part-exceeds-total | error | large-projects-within-total | \(Self.raw) | 13 | 4"))
    }

    /// A one-digit typo in a year's project count (17,881 → 178,81 typed as 178,810) makes the run
    /// fail, and the report points at that cell.
    @Test func tenfoldTypoInAProjectCountFailsAtItsCell() throws {
        let project = try ProjectCopy()
        _ = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        try editCP932(project.root + "/" + Self.raw, replacing: "平成25年度,\"17,881\"", with: "平成25年度,\"178,810\"")
        let results = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        guard case .failedValidation = results[0].status else { Issue.record("\(results[0].status)"); return }
        let jump = try #require(results[0].report?.findings.first { $0.code == .yoyJump })
        #expect(jump.location?.file == Self.raw)
        #expect(jump.location?.row == 5)
        #expect(jump.location?.column == 2)
        #expect(jump.location?.raw == "178,810")
        #expect(jump.actual == "projects ×10.5648: 16925 (2012) → 178810 (2013)")
        let markdown = String(decoding: try project.read("Curated/mext-joint-research/report.md"), as: UTF8.self)
        #expect(markdown.contains("| yoy-jump | error | no-tenfold-jumps | \(Self.raw) | 5 | 2 民間企業との共同研究実施件数 | 178,810 |"))
    }

    @Test func revisedPastValueIsReportedAgainstThePreviousRelease() throws {
        let project = try ProjectCopy()
        _ = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        try editCP932(project.root + "/" + Self.raw, replacing: "令和2年度,\"28,794\",847", with: "令和2年度,\"28,794\",848")
        let results = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        guard case .published = results[0].status else { Issue.record("\(results[0].status)"); return }
        let revision = try #require(results[0].report?.findings.first { $0.code == .revision })
        #expect(revision.expected == "2020+amount = 84700000000")
        #expect(revision.actual == "2020+amount = 84800000000")
        #expect(revision.location?.row == 12)
        #expect(revision.severity == .warning)
    }

    @Test func badCellsAreReportedByPlace() throws {
        let project = try ProjectCopy()
        try editCP932(project.root + "/" + Self.raw, replacing: "平成26年度,\"19,070\",416,", with: "平成26年度,\"19,070\",x,")
        try editCP932(project.root + "/" + Self.raw, replacing: "平成27年度,", with: "平成72年度,")
        let results = try project.runner.run(datasets: ["mext-joint-research"], dryRun: true)
        let findings = try #require(results[0].report?.findings)
        let marker = try #require(findings.first { $0.code == .unknownMarker })
        #expect(marker.location?.row == 6)
        #expect(marker.location?.column == 3)
        #expect(marker.location?.raw == "x")
        let period = try #require(findings.first { $0.code == .periodError })
        #expect(period.location?.row == 7)
        #expect(period.location?.raw == "平成72年度")
        guard case .checked(false) = results[0].status else { Issue.record("\(results[0].status)"); return }
        #expect(!FileManager.default.fileExists(atPath: project.root + "/Curated/mext-joint-research"))
    }

    @Test func changedUnitNoteIsAUnitError() throws {
        let project = try ProjectCopy()
        try editCP932(project.root + "/" + Self.raw, replacing: "（単位：件、億円）", with: "（単位：件、千円）")
        let results = try project.runner.run(datasets: ["mext-joint-research"], dryRun: true)
        let finding = try #require(results[0].report?.findings.first)
        #expect(finding.code == .unitError)
        #expect(finding.location?.row == 2)
        #expect(finding.actual == "件、千円")
    }

    @Test func renamedColumnIsAMissingLabel() throws {
        let project = try ProjectCopy()
        try editCP932(project.root + "/" + Self.raw, replacing: "民間企業からの共同研究受入額", with: "共同研究受入額")
        let results = try project.runner.run(datasets: ["mext-joint-research"], dryRun: true)
        let finding = try #require(results[0].report?.findings.first)
        #expect(finding.code == .missingLabel)
        #expect(finding.location?.row == 3)
        #expect(finding.expected == "民間企業からの共同研究受入額")
    }

    @Test func undecodableRawFileIsAnIOFailureNotAPublish() throws {
        let project = try ProjectCopy()
        var bytes = try project.read(Self.raw)
        bytes[200] = 0x81; bytes[201] = 0x0A
        try bytes.write(to: URL(fileURLWithPath: project.root + "/" + Self.raw))
        let results = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        guard case .failed(let error) = results[0].status else { Issue.record("\(results[0].status)"); return }
        #expect(error.code == .encodingError)
        #expect(error.location?.file == Self.raw)
    }

    @Test func runRefusesWhileAnotherHoldsTheLock() throws {
        let project = try ProjectCopy()
        let held = try RunLock(curatedRoot: project.root + "/Curated")
        #expect { _ = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false) } throws: { ($0 as? CurateError)?.code == .lockHeld }
        withExtendedLifetime(held) {}
    }

    @Test func awaitedSourceIsReportedNotFailed() throws {
        let project = try ProjectCopy()
        let spec = try String(contentsOfFile: project.root + "/Pipelines/mext-joint-research.yaml", encoding: .utf8)
            .replacingOccurrences(of: "name: mext-joint-research", with: "name: awaited-table")
            .replacingOccurrences(of: "path: Raw/mext/joint-research/joint-research-private-companies.csv", with: "path: Raw/nowhere/table.csv\n  awaiting: true")
        try project.write("Pipelines/awaited-table.yaml", spec)
        let results = try project.runner.run(datasets: [], dryRun: false)
        let awaited = try #require(results.first { $0.name == "awaited-table" })
        guard case .awaitingSource = awaited.status else { Issue.record("\(awaited.status)"); return }
        let catalog = String(decoding: try project.read("Curated/catalog.json"), as: UTF8.self)
        #expect(catalog.contains("\"status\" : \"awaiting-source\""))
        #expect(!FileManager.default.fileExists(atPath: project.root + "/Curated/awaited-table"))
    }

    @Test func unknownDatasetIsASpecError() throws {
        let project = try ProjectCopy()
        #expect { _ = try project.runner.run(datasets: ["nope"], dryRun: true) } throws: { ($0 as? CurateError)?.code == .specError }
    }
}
