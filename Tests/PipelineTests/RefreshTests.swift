import Foundation
import Testing
import CurateCore
@testable import Pipeline

/// The yearly refresh, as a steward does it: release N is published; next year's file arrives with
/// a new year and one past value revised; release N+1 is published and the revision shows in the
/// report and in the diff. (The FY2024 figures and the revision are made up for the test.)
@Suite struct RefreshTests {
    static let raw = "Raw/mext/joint-research/joint-research-private-companies.csv"

    @Test func revisedPastValueShowsInReportAndDiff() throws {
        let project = try ProjectCopy()
        let first = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        guard case .published(let releaseN, _) = first[0].status else { Issue.record("\(first[0].status)"); return }

        try editCP932(project.root + "/" + Self.raw, replacing: "令和3年度,\"29,644\",893,505", with: "令和3年度,\"29,644\",894,505")
        try editCP932(project.root + "/" + Self.raw, replacing: "令和5年度,,\"1,028\",595\r\n", with: "令和5年度,,\"1,028\",595\r\n令和6年度,,\"1,100\",600\r\n")
        let spec = project.root + "/Pipelines/mext-joint-research.yaml"
        try (try String(contentsOfFile: spec, encoding: .utf8)).replacingOccurrences(of: "to: 2023", with: "to: 2024")
            .write(toFile: spec, atomically: true, encoding: .utf8)

        let second = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        guard case .published(let releaseN1, true) = second[0].status else { Issue.record("\(second[0].status)"); return }
        #expect(releaseN1 != releaseN)
        let revision = try #require(second[0].report?.findings.first { $0.code == .revision })
        #expect(revision.expected == "2021+amount = 89300000000")
        #expect(revision.actual == "2021+amount = 89400000000")

        let diff = try ReleaseDiff.compare("mext-joint-research", from: nil, to: nil, project: try Project(root: project.root))
        #expect((diff.from, diff.to) == (releaseN, releaseN1))
        #expect(diff.added == ["2024+amount", "2024+amount_10m_plus"])
        #expect(diff.removed.isEmpty)
        #expect(diff.changed == [ReleaseDiff.Change(key: "2021+amount", field: "value", old: "89300000000", new: "89400000000")])

        // Both releases stay; the stable paths hold the new one.
        let history = String(decoding: try project.read("Curated/mext-joint-research/releases.json"), as: UTF8.self)
        #expect(history.contains(releaseN) && history.contains(releaseN1))
        #expect(FileManager.default.fileExists(atPath: project.root + "/Curated/mext-joint-research/releases/\(releaseN)/data.csv"))
        let data = String(decoding: try project.read("Curated/mext-joint-research/data.csv"), as: UTF8.self)
        #expect(data.contains("2021,amount,89400000000,JPY"))

        // A forced rerun on the same files reports the same revision (against release N) and changes nothing.
        var forced = try project.runner
        forced.force = true
        let third = try forced.run(datasets: ["mext-joint-research"], dryRun: false)
        guard case .published(releaseN1, false) = third[0].status else { Issue.record("\(third[0].status)"); return }
        #expect(third[0].report?.findings.contains { $0.code == .revision } == true)
    }

    @Test func diffNeedsTwoReleases() throws {
        let project = try ProjectCopy()
        #expect { _ = try ReleaseDiff.compare("mext-joint-research", from: nil, to: nil, project: try Project(root: project.root)) } throws: {
            ($0 as? CurateError)?.code == .ioError
        }
        _ = try project.runner.run(datasets: ["mext-joint-research"], dryRun: false)
        #expect { _ = try ReleaseDiff.compare("mext-joint-research", from: "nope", to: nil, project: try Project(root: project.root)) } throws: {
            ($0 as? CurateError)?.code == .specError
        }
    }
}
