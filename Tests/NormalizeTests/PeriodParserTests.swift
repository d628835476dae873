import Testing
@testable import Normalize

@Suite struct PeriodParserTests {
    static let fiscal: [(String, Int)] = [
        ("平成24年度", 2012), ("平成25年度", 2013), ("平成31年度", 2019), ("令和元年度", 2019), ("令和2年度", 2020),
        ("令和5年度", 2023), ("令和５年度", 2023), ("R5年度", 2023), ("2021年度", 2021), ("２０２１年度", 2021),
        ("昭和64年度", 1989), ("平成元年度", 1989), ("平成二十四年度", 2012), ("令和 3 年度", 2021), ("FY2021", 2021),
        ("H30年度", 2018), ("R元年度", 2019), ("明治元年度", 1868), ("大正15年度", 1926), ("昭和元年度", 1926),
    ]
    static let calendar: [(String, Int)] = [
        ("2021年", 2021), ("令和3年", 2021), ("平成31年", 2019), ("令和元年", 2019), ("二〇二一年", 2021),
        ("昭和二十年", 1945), ("H30", 2018), ("R5", 2023), ("R元", 2019), ("S64", 1989), ("h.30", 2018), ("2021", 2021),
    ]

    @Test(arguments: fiscal)
    func fiscalYears(_ raw: String, _ year: Int) {
        #expect(PeriodParser().parse(raw) == .success(YearPeriod(year: year, kind: .fiscal)), "\(raw)")
    }

    @Test(arguments: calendar)
    func calendarYears(_ raw: String, _ year: Int) {
        #expect(PeriodParser().parse(raw) == .success(YearPeriod(year: year, kind: .calendar)), "\(raw)")
    }

    @Test func defaultKindAppliesOnlyWithoutSuffix() {
        let parser = PeriodParser(defaultKind: .fiscal)
        #expect(parser.parse("R3") == .success(YearPeriod(year: 2021, kind: .fiscal)))
        #expect(parser.parse("2021年") == .success(YearPeriod(year: 2021, kind: .calendar)))
    }

    @Test(arguments: ["令和0年", "平成32年", "平成32年度", "昭和65年", "大正16年", "明治46年", "平成0年度"])
    func impossibleEraYears(_ raw: String) {
        guard case .failure(.impossible(_, let counted)) = PeriodParser().parse(raw) else { Issue.record("\(raw) accepted"); return }
        #expect(counted.year > 1800)
    }

    @Test func plannedYearsPastTheEraAreCountedOn() {
        guard case .failure(.impossible(_, let counted)) = PeriodParser().parse("平成32年度") else { Issue.record("accepted"); return }
        #expect(counted == YearPeriod(year: 2020, kind: .fiscal))
    }

    @Test(arguments: ["", "年度", "令和年度", "平成二四x年", "99", "12345", "Q3", "令和5月"])
    func unreadable(_ raw: String) {
        #expect(PeriodParser().parse(raw) == .failure(.unreadable), "\(raw)")
    }

    @Test func eraRoundTripEveryYear() {
        for year in 1868...2100 {
            guard let (era, eraYear) = JapaneseEra.label(for: year) else { Issue.record("no era for \(year)"); continue }
            let label = era.rawValue + (eraYear == 1 ? "元" : String(eraYear)) + "年度"
            #expect(PeriodParser().parse(label) == .success(YearPeriod(year: year, kind: .fiscal)), "\(label)")
        }
    }
}

/// Inputs that fuzzing found crashing, kept as regression tests.
@Suite struct FuzzRegressionTests {
    /// fuzz-periods crash-79b49c6e: a long positional kanji numeral overflowed Int.
    @Test func longKanjiNumeralDoesNotOverflow() {
        let numeral = String(repeating: "二二〇", count: 40)
        #expect(PeriodParser().parse(numeral + "年") == .failure(.unreadable))
        #expect(PeriodParser().parse("令和" + numeral + "年度") == .failure(.unreadable))
        #expect(EStatTimeCode.parse(code: numeral, label: numeral + "年3月") == nil)
        #expect(PeriodParser.number(String(repeating: "九", count: 30)) == nil)
        #expect(PeriodParser.number(String(repeating: "9", count: 30)) == nil)
    }
}
