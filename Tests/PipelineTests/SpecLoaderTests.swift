import Foundation
import Testing
import CurateCore
@testable import Pipeline

@Suite struct SpecLoaderTests {
    /// The shipped spec with one line changed, loaded from a scratch project.
    func load(replacing old: String, with new: String) throws -> PipelineSpec {
        let project = try ProjectCopy()
        let file = "Pipelines/mext-joint-research.yaml"
        let text = String(decoding: try project.read(file), as: UTF8.self)
        #expect(text.contains(old))
        try project.write(file, text.replacingOccurrences(of: old, with: new))
        return try SpecLoader.load(file: file, root: project.root)
    }

    func line(of text: String) throws -> Int {
        let spec = try String(contentsOfFile: repositoryRoot + "/Pipelines/mext-joint-research.yaml", encoding: .utf8)
        let lines = spec.components(separatedBy: "\n")
        return try #require(lines.firstIndex { $0.contains(text) }) + 1
    }

    @Test func shippedSpecLoads() throws {
        let spec = try SpecLoader.load(file: "Pipelines/mext-joint-research.yaml", root: repositoryRoot)
        #expect(spec.name == "mext-joint-research")
        #expect(spec.read.encoding == .shiftJIS)
        #expect(spec.shape.measures.map(\.name) == ["projects", "amount", "amount_10m_plus"])
        #expect(spec.schema.primaryKey == ["fiscal_year", "measure"])
        #expect(spec.rules.map(\.name) == ["large-projects-within-total", "fiscal-years-in-range", "no-tenfold-jumps",
                                           "revisions-since-last-release", "every-year-reported"])
    }

    @Test func unknownKeyNamesFileLineAndKey() throws {
        let line = try line(of: "  header_row: 3")
        #expect { _ = try load(replacing: "  header_row: 3", with: "  header_rwo: 3") } throws: { error in
            guard let e = error as? CurateError else { return false }
            return e.code == .specError && e.location?.row == line && e.location?.raw == "header_rwo"
                && e.location?.file == "Pipelines/mext-joint-research.yaml"
        }
    }

    @Test(arguments: [
        ("kind: fiscal", "kind: fical"), ("encoding: shift_jis", "encoding: klingon"), ("severity: error", "severity: fatal"),
        ("type: part-of-total", "type: part-of-everything"), ("from: 2012", "from: twenty"), ("type: integer", "type: int"),
        ("unit: 億円", "unit: 億ポンド"), ("name: mext-joint-research", "name: other-name"),
        ("primary_key: [fiscal_year, measure]", "primary_key: [fiscal_year, metric]"),
        ("path: Raw/mext/joint-research/joint-research-private-companies.csv", "path: ../outside.csv"),
        ("path: Raw/mext/joint-research/joint-research-private-companies.csv", "path: /etc/passwd"),
    ])
    func badValuesAreSpecErrorsWithALine(_ old: String, _ new: String) throws {
        do {
            let spec = try load(replacing: old, with: new)
            // unit names are checked against the unit table when the run starts
            let shaper = TableShaper(spec: spec, units: try Project(root: repositoryRoot).unitRegistry(), file: "")
            _ = try shaper.resolvedUnits()
            Issue.record("accepted \(new)")
        } catch let e as CurateError {
            #expect(e.code == .specError, "\(new): \(e)")
            #expect(e.location?.file == "Pipelines/mext-joint-research.yaml")
        }
    }

    /// A key the layout does not read (here a years-down shape) is refused with its line, not ignored.
    @Test(arguments: [
        ("  unit_note: 件、億円", "  unit_note: 件、億円\n  value_column: 値", "value_column"),
        ("  unit_note: 件、億円", "  unit_note: 件、億円\n  ignore_columns: [備考]", "ignore_columns"),
        ("  unit_note: 件、億円", "  unit_note: 件、億円\n  measure: {name: x, unit: 件}", "measure"),
        ("  unit_note: 件、億円", "  unit_note: 件、億円\n  label_column: 年度", "label_column"),
        ("    kind: fiscal", "    kind: fiscal\n    value: 2020", "value"),
    ])
    func keysTheLayoutDoesNotReadAreSpecErrors(_ old: String, _ new: String, _ key: String) throws {
        let line = try line(of: old) + 1
        #expect { _ = try load(replacing: old, with: new) } throws: { error in
            guard let e = error as? CurateError else { return false }
            return e.code == .specError && e.location?.row == line && e.message.contains(key) && e.message.contains("does not apply")
        }
    }

    @Test func invalidYAMLIsASpecError() throws {
        #expect { _ = try load(replacing: "rules:", with: "rules: [unclosed") } throws: { ($0 as? CurateError)?.code == .specError }
    }

    @Test func symlinkLeavingTheProjectIsRefused() throws {
        let project = try ProjectCopy()
        let raw = project.root + "/Raw/mext/joint-research/joint-research-private-companies.csv"
        try FileManager.default.removeItem(atPath: raw)
        try FileManager.default.createSymbolicLink(atPath: raw, withDestinationPath: "/etc/hostname")
        let results = try project.runner.run(datasets: ["mext-joint-research"], dryRun: true)
        guard case .failed(let error) = results[0].status else { Issue.record("\(results[0].status)"); return }
        #expect(error.code == .specError)
    }
}
