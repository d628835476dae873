import Testing
@testable import Normalize

/// e-Stat's 10-digit time codes for years (the `time_code` column of its long downloads).
@Suite struct EStatTimeCodeTests {
    @Test func yearAndFiscalYearCodes() throws {
        #expect(try PeriodParser().parse("2015000000").get() == YearPeriod(year: 2015, kind: .calendar))
        #expect(try PeriodParser().parse("1981100000").get() == YearPeriod(year: 1981, kind: .fiscal))
    }

    /// Months and quarters are not years; other 10-digit numbers are not periods.
    @Test func otherCodesAreUnreadable() {
        for text in ["2015000101", "2015000103", "0015000000", "20150000000", "1234567890"] {
            #expect(throws: PeriodParser.Failure.self) { try PeriodParser().parse(text).get() }
        }
    }
}
