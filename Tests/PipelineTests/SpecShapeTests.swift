import Foundation
import Testing
import CurateCore
@testable import Pipeline

/// The spec model as sum types: each shipped spec loads into the case its `layout:` names, with
/// what that layout needs; a layout missing what it needs is a `spec-error` at the shape's line.
@Suite struct SpecShapeTests {
    func load(_ name: String) throws -> PipelineSpec {
        try SpecLoader.load(file: "Pipelines/\(name).yaml", root: repositoryRoot)
    }

    @Test func shippedSpecsLoadIntoTheirCases() throws {
        guard case .table(.yearsDown(let mext)) = try load("mext-joint-research").shape, case .periods(let column) = mext.rows else {
            Issue.record("mext-joint-research: not years-down by period"); return
        }
        #expect(column == "年度" && mext.period.kind == .fiscal && mext.period.field == "fiscal_year")

        guard case .table(.yearsDown(let licensing)) = try load("university-licensing-us-japan").shape,
              case .categories(let label, let dimension, let period) = licensing.rows else {
            Issue.record("university-licensing-us-japan: not years-down by category"); return
        }
        #expect(label == "国" && dimension.field == "country" && period.year == 2022)

        guard case .table(.long(let fraunhofer)) = try load("fraunhofer-key-figures").shape, case .fixed(let year) = fraunhofer.periods else {
            Issue.record("fraunhofer-key-figures: not long with a fixed period"); return
        }
        #expect(fraunhofer.valueColumn == "値" && fraunhofer.unitColumn == "単位" && year.year == 2025)

        guard case .table(.long(let goTech)) = try load("sme-go-tech").shape, case .column(let periodColumn) = goTech.periods else {
            Issue.record("sme-go-tech: not long with a period column"); return
        }
        #expect(periodColumn == "年度")

        guard case .table(.matrix(let flows)) = try load("nistep-rd-fund-flows-japan").shape else { Issue.record("not a matrix"); return }
        #expect(flows.rows.field == "funding_sector" && flows.columns.field == "performing_sector" && flows.measure.name == "rd_funds")
        #expect(try load("nistep-rd-fund-flows-japan").shape.dimensions.map(\.codeList) == ["sectors", "sectors"])

        guard case .observations(let oecd) = try load("oecd-herd-business-share").shape else { Issue.record("not observations"); return }
        #expect(oecd.measureDimension == "MEASURE" && oecd.periodField == "year")
        #expect(try load("oecd-herd-business-share").shape.measures.isEmpty)

        let headlines = try load("briefing-headlines")
        guard case .derived(let figures) = headlines.shape else { Issue.record("not derived"); return }
        #expect(!figures.isEmpty && headlines.shape.isDerived)
        #expect(headlines.datasetDescription(codeLists: []).periodField == nil)
    }

    /// Each layout without the one thing it cannot do without: refused at the shape, with its line.
    @Test(arguments: [
        ("fraunhofer-key-figures", "  value_column: 値\n", ""),
        ("fraunhofer-key-figures", "  period: {field: year, kind: calendar, value: 2025}", "  period: {field: year, kind: calendar}"),
        ("nistep-rd-fund-flows-japan", "  measure: {name: rd_funds, unit: 億円}\n", ""),
        ("nistep-rd-fund-flows-japan", "  period: {field: fiscal_year, kind: fiscal, value: 2021}", "  period: {field: fiscal_year, kind: fiscal}"),
        ("university-licensing-us-japan", "  period: {field: survey_year, value: 2022}", "  period: {field: survey_year}"),
    ])
    func layoutMissingWhatItNeedsIsASpecError(_ name: String, _ old: String, _ new: String) throws {
        let project = try ProjectCopy()
        let file = "Pipelines/\(name).yaml"
        let text = String(decoding: try project.read(file), as: UTF8.self)
        #expect(text.contains(old))
        try project.write(file, text.replacingOccurrences(of: old, with: new))
        let shapeLine = try #require(text.components(separatedBy: "\n").firstIndex(of: "shape:")) + 1
        #expect { _ = try SpecLoader.load(file: file, root: project.root) } throws: { error in
            guard let e = error as? CurateError else { return false }
            return e.code == .specError && e.location?.file == file && (shapeLine...shapeLine + 1).contains(e.location?.row ?? 0)
        }
    }
}
