import Foundation
import Testing
@testable import Normalize

@Suite struct QuantityParserTests {
    let parser = QuantityParser(units: UnitRegistryTests.registry)

    @Test(arguments: [
        ("８９３億円", "89300000000", "JPY"), ("893億円", "89300000000", "JPY"), ("337.0十億円", "337000000000", "JPY"),
        ("1,234件", "1234", "count"), ("6.5 十億円", "6500000000", "JPY"), ("△12百万円", "-12000000", "JPY"),
        ("8.93E+10円", "89300000000", "JPY"), ("4,500万円", "45000000", "JPY"), ("１億円", "100000000", "JPY"), ("32,000人", "32000", "persons"),
    ])
    func cellsWithUnits(_ raw: String, _ value: String, _ base: String) throws {
        guard case .success(let q) = parser.parse(raw) else { Issue.record("\(raw) not read"); return }
        #expect(q.value.canonicalText == value, "\(raw)")
        #expect(q.unit.base == base)
    }

    @Test func failures() {
        #expect(parser.parse("5ポンド") == .failure(.unknownUnit("ポンド")))
        #expect(parser.parse("893") == .failure(.noUnit))
        #expect(parser.parse("x億円") == .failure(.number(.notANumber)))
        #expect(parser.parse("1,23億円") == .failure(.number(.notANumber)))
    }
}

@Suite struct CurrencyTests {
    /// ECB reference rates, USD per EUR, monthly averages of 2018, as in the real ECB file
    /// EXR M.USD.EUR.SP00.A (Tests/IngestTests/Fixtures/sdmx/ECB_EXR/M.USD.EUR.SP00.A.xml).
    static let usdPerEUR2018 = ["1.21995", "1.23478", "1.233619047619048", "1.22763", "1.181222727272727", "1.167828571428571",
                                "1.168572727272728", "1.154895652173913", "1.16587", "1.148404347826087", "1.136686363636364", "1.138421052631579"]

    static var table: RateTable {
        var rates: [String: Decimal] = [:]
        for (i, rate) in usdPerEUR2018.enumerated() { rates["2018-" + (i < 9 ? "0\(i + 1)" : "\(i + 1)")] = Decimal(string: rate)! }
        return RateTable(base: "EUR", quote: "USD", rateType: .reference, source: "ECB EXR M.USD.EUR.SP00.A", rates: rates)
    }

    @Test func annualAverageIsDerivedAndRecorded() throws {
        guard case .success(let average) = Self.table.annualAverage(2018) else { Issue.record("no average"); return }
        #expect(average.rate.canonicalText == "1.18149")       // 1.181490040… rounded half-even to 6 decimals
        #expect(average.method.contains("arithmetic mean of the 12 monthly"))
    }

    @Test func convertsBothWaysWithLineage() throws {
        let converter = CurrencyConverter(table: Self.table, scale: 2)
        guard case .success(let toUSD) = converter.convert(1000, from: "EUR", period: "2018") else { Issue.record("failed"); return }
        #expect(toUSD.converted.canonicalText == "1181.49")
        #expect(toUSD.target == "USD")
        #expect(toUSD.lineage.contains("1000 EUR → 1181.49 USD at 1.18149 reference (2018"))
        guard case .success(let toEUR) = converter.convert(Decimal(string: "1219.95")!, from: "USD", period: "2018-01") else { Issue.record("failed"); return }
        #expect(toEUR.converted.canonicalText == "1000")
    }

    @Test func missingRatesAreErrorsNeverDefaults() {
        let converter = CurrencyConverter(table: Self.table)
        #expect(converter.convert(1, from: "EUR", period: "2019") == .failure(.incompleteYear(year: 2019, missing: Array(1...12))))
        #expect(converter.convert(1, from: "EUR", period: "2019-03") == .failure(.missingRate(period: "2019-03")))
        #expect(converter.convert(1, from: "JPY", period: "2018") == .failure(.wrongPair("JPY is not EUR or USD")))
        var partial = Self.table
        partial.rates["2018-07"] = nil
        #expect(partial.annualAverage(2018).map(\.rate) == .failure(.incompleteYear(year: 2018, missing: [7])))
    }
}

@Suite struct LabelTests {
    @Test(arguments: [
        ("ｲﾉﾍﾞｰｼｮﾝ", "イノベーション"), ("ＡＢＣ１２３", "ABC123"), ("\u{3000}大学等\u{3000}", "大学等"), ("公的  機関", "公的 機関"),
        ("㈱クライシス", "(株)クライシス"), ("①", "1"), ("ｴｸﾞｾﾞｸﾃｨﾌﾞ", "エグゼクティブ"), ("", ""),
    ])
    func nfkcAndSpaces(_ raw: String, _ expected: String) { #expect(LabelNormalizer.normalize(raw) == expected) }

    static let prefectures = CodeList(id: "p", title: "p", source: "JIS X 0401", codes: [
        .init(code: "13", label: "東京都", aliases: ["東京"]), .init(code: "14", label: "神奈川県", aliases: ["神奈川"]),
        .init(code: "26", label: "京都府", aliases: ["京都"]), .init(code: "47", label: "沖縄県", aliases: ["沖縄"]),
    ])

    @Test(arguments: [("東京都", "13"), ("東京", "13"), ("　東京都 ", "13"), ("13", "13"), ("神奈川", "14"), ("京都府", "26")])
    func lookups(_ label: String, _ code: String) { #expect((try? Self.prefectures.lookup(label).get())?.code == code) }

    @Test func unknownLabelSuggestsTheNearestCodes() {
        guard case .failure(.unknown(let label, let suggestions)) = Self.prefectures.lookup("東亰都") else { Issue.record("found"); return }
        #expect(label == "東亰都")
        #expect(suggestions.first == "東京都 (13)")
        guard case .failure(.unknown(_, let none)) = Self.prefectures.lookup("Atlantis") else { Issue.record("found"); return }
        #expect(none.isEmpty)
    }
}
