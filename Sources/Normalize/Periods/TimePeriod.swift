/// A reporting period of any length, as SDMX and e-Stat publish them. Its ISO text is what curated
/// files carry: `2021`, `FY2021`, `2021-S1`, `2021-Q1`, `2021-03`, `2021-W05`, `2021-03-31`.
public struct TimePeriod: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case calendarYear = "calendar-year"
        /// Japanese fiscal year (年度): April of `year` to March of `year + 1`.
        case fiscalYear = "fiscal-year"
        case halfYear = "half-year"
        case quarter, month, week, day
    }

    public var kind: Kind
    public var year: Int
    /// Half (1–2), quarter (1–4), month (1–12), ISO week (1–53); nil for years and days.
    public var index: Int?
    /// Day periods only.
    public var month: Int?
    public var day: Int?

    public init(kind: Kind, year: Int, index: Int? = nil, month: Int? = nil, day: Int? = nil) {
        self.kind = kind; self.year = year; self.index = index; self.month = month; self.day = day
    }

    public init(_ year: YearPeriod) { self.init(kind: year.kind == .fiscal ? .fiscalYear : .calendarYear, year: year.year) }

    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        switch kind {
        case .calendarYear: return String(year)
        case .fiscalYear: return "FY\(year)"
        case .halfYear: return "\(year)-S\(index!)"
        case .quarter: return "\(year)-Q\(index!)"
        case .month: return "\(year)-\(two(index!))"
        case .week: return "\(year)-W\(two(index!))"
        case .day: return "\(year)-\(two(month!))-\(two(day!))"
        }
    }
}

/// Reads SDMX TIME_PERIOD values (SDMX 2.1 Standards, Section 6, time period formats): `2021`,
/// `2021-A1`, `2021-S1`, `2021-Q1`, `2021-M03`, `2021-03`, `2021-W05`, `2021-03-31`, and `2021-D090`
/// (day of year); plus `FY2021` for a Japanese fiscal year.
public enum SDMXPeriodParser {
    public static func parse(_ raw: String) -> TimePeriod? {
        let text = raw.trimmingWhitespace
        if text.hasPrefix("FY"), let year = year(text.dropFirst(2)) { return TimePeriod(kind: .fiscalYear, year: year) }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, let year = year(first) else { return nil }
        switch parts.count {
        case 1: return TimePeriod(kind: .calendarYear, year: year)
        case 2:
            let p = parts[1]
            if p.count == 2, let month = Int(p), (1...12).contains(month) { return TimePeriod(kind: .month, year: year, index: month) }
            guard let letter = p.first, let n = Int(p.dropFirst()), p.dropFirst().allSatisfy(\.isASCIIDigit) else { return nil }
            switch letter {
            case "A" where n == 1: return TimePeriod(kind: .calendarYear, year: year)
            case "S" where (1...2).contains(n): return TimePeriod(kind: .halfYear, year: year, index: n)
            case "Q" where (1...4).contains(n): return TimePeriod(kind: .quarter, year: year, index: n)
            case "M" where (1...12).contains(n): return TimePeriod(kind: .month, year: year, index: n)
            case "W" where (1...GregorianCalendar.isoWeeks(in: year)).contains(n): return TimePeriod(kind: .week, year: year, index: n)
            case "D" where (1...GregorianCalendar.daysIn(year)).contains(n):
                let (month, day) = GregorianCalendar.monthDay(dayOfYear: n, year: year)
                return TimePeriod(kind: .day, year: year, month: month, day: day)
            default: return nil
            }
        case 3:
            guard parts[1].count == 2, parts[2].count == 2, let month = Int(parts[1]), let day = Int(parts[2]),
                  (1...12).contains(month), (1...GregorianCalendar.daysIn(month: month, year: year)).contains(day) else { return nil }
            return TimePeriod(kind: .day, year: year, month: month, day: day)
        default: return nil
        }
    }

    private static func year(_ text: Substring) -> Int? {
        text.count == 4 && text.allSatisfy(\.isASCIIDigit) ? Int(text) : nil
    }
}

/// e-Stat `time` codes are ten digits: `YYYY000000` a calendar year (年), `YYYY100000` a fiscal
/// year (年度). Other codes (months, quarters) are read from the code's CLASS name when the
/// response carries it, e.g. `2021年3月`.
public enum EStatTimeCode {
    public static func parse(code: String, label: String? = nil) -> TimePeriod? {
        if code.count == 10, code.allSatisfy(\.isASCIIDigit), let year = Int(code.prefix(4)) {
            switch code.dropFirst(4) {
            case "000000": return TimePeriod(kind: .calendarYear, year: year)
            case "100000": return TimePeriod(kind: .fiscalYear, year: year)
            default: break
            }
        }
        guard let label else { return nil }
        if case .success(let y) = PeriodParser().parse(label) { return TimePeriod(y) }
        return JapaneseMonth.parse(label)
    }
}

/// `2021年3月`, `令和3年3月`, `R3.3` style month labels.
enum JapaneseMonth {
    static func parse(_ raw: String) -> TimePeriod? {
        let text = Halfwidth.fold(raw.trimmingWhitespace)
        guard text.hasSuffix("月"), let yearEnd = text.range(of: "年") else { return nil }
        guard case .success(let y) = PeriodParser().parse(String(text[..<yearEnd.upperBound])),
              let month = PeriodParser.number(String(text[yearEnd.upperBound...].dropLast())), (1...12).contains(month) else { return nil }
        return TimePeriod(kind: .month, year: y.year, index: month)
    }
}

/// Proleptic Gregorian arithmetic, without Foundation.
enum GregorianCalendar {
    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }
    static func daysIn(_ year: Int) -> Int { isLeap(year) ? 366 : 365 }
    static func daysIn(month: Int, year: Int) -> Int {
        [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }
    static func monthDay(dayOfYear: Int, year: Int) -> (Int, Int) {
        var rest = dayOfYear
        for month in 1...12 {
            let days = daysIn(month: month, year: year)
            if rest <= days { return (month, rest) }
            rest -= days
        }
        return (12, 31)
    }
    /// ISO 8601 years have 53 weeks when 1 January is a Thursday, or a Wednesday in a leap year.
    static func isoWeeks(in year: Int) -> Int {
        let jan1 = weekday(year: year, month: 1, day: 1)   // 1 = Monday … 7 = Sunday
        return jan1 == 4 || (jan1 == 3 && isLeap(year)) ? 53 : 52
    }
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        // Sakamoto's method: 0 = Sunday.
        let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        let w = (y + y / 4 - y / 100 + y / 400 + t[month - 1] + day) % 7
        return w == 0 ? 7 : w
    }
}
