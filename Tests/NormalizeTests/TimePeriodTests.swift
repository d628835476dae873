import Testing
import PropertyBased
@testable import Normalize

@Suite struct TimePeriodTests {
    @Test(arguments: [
        ("2021", "2021"), ("2021-A1", "2021"), ("2021-S1", "2021-S1"), ("2021-S2", "2021-S2"), ("2021-Q1", "2021-Q1"),
        ("2021-Q4", "2021-Q4"), ("2021-M03", "2021-03"), ("2021-03", "2021-03"), ("2021-M12", "2021-12"), ("2021-W05", "2021-W05"),
        ("2020-W53", "2020-W53"), ("2021-03-31", "2021-03-31"), ("2020-02-29", "2020-02-29"), ("2021-D090", "2021-03-31"),
        ("2020-D366", "2020-12-31"), ("FY2021", "FY2021"), (" 2019 ", "2019"),
    ])
    func sdmxTimePeriods(_ raw: String, _ iso: String) {
        #expect(SDMXPeriodParser.parse(raw)?.description == iso, "\(raw)")
    }

    @Test(arguments: ["2021-Q5", "2021-Q0", "2021-M13", "2021-13", "2021-S3", "2021-W53", "2021-02-29", "2021-04-31",
                      "2021-D366", "21", "20210", "2021-", "2021-X1", "abcd", "", "2021-03-1", "2021-3"])
    func invalidTimePeriods(_ raw: String) { #expect(SDMXPeriodParser.parse(raw) == nil, "\(raw)") }

    @Test(arguments: [
        ("2021000000", nil, "2021"), ("2021100000", nil, "FY2021"), ("1981100000", "1981年度", "FY1981"),
        ("2021000303", "2021年3月", "2021-03"), ("2019000505", "令和元年5月", "2019-05"), ("2021000303", nil, nil),
    ] as [(String, String?, String?)])
    func estatTimeCodes(_ code: String, _ label: String?, _ iso: String?) {
        #expect(EStatTimeCode.parse(code: code, label: label)?.description == iso)
    }

    /// Every period's ISO text reads back to the same period.
    @Test func isoTextRoundTrips() async {
        let kinds: [TimePeriod.Kind] = [.calendarYear, .fiscalYear, .halfYear, .quarter, .month, .week, .day]
        await propertyCheck(count: 500, input: Gen.int(in: 0...6), Gen.int(in: 1900...2100), Gen.int(in: 1...366)) { k, year, n in
            let kind = kinds[k]
            let period: TimePeriod = switch kind {
            case .calendarYear, .fiscalYear: TimePeriod(kind: kind, year: year)
            case .halfYear: TimePeriod(kind: kind, year: year, index: n % 2 + 1)
            case .quarter: TimePeriod(kind: kind, year: year, index: n % 4 + 1)
            case .month: TimePeriod(kind: kind, year: year, index: n % 12 + 1)
            case .week: TimePeriod(kind: kind, year: year, index: n % GregorianCalendar.isoWeeks(in: year) + 1)
            case .day:
                { let (m, d) = GregorianCalendar.monthDay(dayOfYear: min(n, GregorianCalendar.daysIn(year)), year: year)
                  return TimePeriod(kind: kind, year: year, month: m, day: d) }()
            }
            #expect(SDMXPeriodParser.parse(period.description) == period, "\(period)")
        }
    }

    @Test func weekdaysAndWeekCounts() {
        #expect(GregorianCalendar.weekday(year: 2026, month: 11, day: 25) == 3)   // a Wednesday
        #expect(GregorianCalendar.isoWeeks(in: 2020) == 53)
        #expect(GregorianCalendar.isoWeeks(in: 2026) == 53)
        #expect(GregorianCalendar.isoWeeks(in: 2021) == 52)
    }
}
