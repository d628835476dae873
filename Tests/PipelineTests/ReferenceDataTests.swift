import Foundation
import Testing
import CurateCore
import Normalize
@testable import Pipeline

/// The reference data shipped in Pipelines/reference/ loads and means what it says.
@Suite struct ReferenceDataTests {
    var project: Project { get throws { try Project(root: repositoryRoot) } }

    @Test func declaredRateTableReadsTheRealECBSeries() throws {
        let table = try project.rateTable("ecb-usd-eur-monthly")
        #expect(table.rates.count == 252)
        #expect(table.rates["2018-01"] == Decimal(string: "1.21995"))
        guard case .success(let average) = table.annualAverage(2018) else { Issue.record("no 2018 average"); return }
        #expect(average.rate.canonicalText == "1.18149")
        let converter = CurrencyConverter(table: table, scale: 0)
        guard case .success(let c) = converter.convert(Decimal(91_000_000_000), from: "USD", period: "2018") else { Issue.record("no conversion"); return }
        #expect(c.target == "EUR")
        #expect(c.source.contains("Raw/ecb/exr/M.USD.EUR.SP00.A.xml"))
        #expect(converter.convert(1, from: "USD", period: "2020") == .failure(.incompleteYear(year: 2020, missing: Array(1...12))))
    }

    @Test(arguments: ["prefectures", "sectors", "firm-size", "innovation-obstacles"])
    func codeListsLoad(_ id: String) throws {
        let list = try project.codeList(id)
        #expect(list.id == id)
        #expect(!list.codes.isEmpty)
        #expect(Set(list.codes.map(\.code)).count == list.codes.count)
    }

    @Test func prefecturesAreTheFortySevenJISCodes() throws {
        let list = try project.codeList("prefectures")
        #expect(list.codes.filter { $0.code != "00" }.map(\.code) == (1...47).map { $0 < 10 ? "0\($0)" : "\($0)" })
        #expect((try? list.lookup("東京").get())?.code == "13")
        #expect((try? list.lookup("ﾄｳｷｮｳ").get()) == nil)
    }

    @Test func innovationObstaclesAreTheBriefingsElevenInFourGroups() throws {
        let list = try project.codeList("innovation-obstacles")
        #expect(list.codes.count == 11)
        #expect(Set(list.codes.compactMap(\.group)) == ["funds", "people", "information", "market"])
        #expect((try? list.lookup("能力のある従業者不足").get())?.group == "people")
    }

    @Test func everyCodeListInTheFolderLoads() throws {
        let project = try project
        #expect(project.codeListIDs().count >= 4)
        for id in project.codeListIDs() { _ = try project.codeList(id) }
    }
}
