import CurateCore

/// Reads year labels as Japanese tables print them: 令和5年度, 平成24年度, H30, R元年, 2021年度,
/// 二〇二一年, ２０２１. Output is the Gregorian year and whether it is a fiscal or calendar year.
///
/// 元年 is year 1. An era year past the era's end (平成32年) or year 0 is an error: a 年度 label
/// 平成31年度 is accepted, since the fiscal year April 2019 – March 2020 began under 平成.
public struct PeriodParser: Sendable {
    /// The kind when the label carries no 年/年度 suffix (e.g. `2021`, `R3`).
    public var defaultKind: YearPeriod.Kind

    public init(defaultKind: YearPeriod.Kind = .calendar) { self.defaultKind = defaultKind }

    public enum Failure: Error, Equatable, Sendable {
        case unreadable
        /// An era year the era never reached (平成32年) or year 0. `asCounted` is the year the label
        /// names if the era's count is simply continued (plans written before 2019 say 平成32年度
        /// for FY2020), for a source whose spec accepts such labels with a warning.
        case impossible(String, asCounted: YearPeriod)
    }

    public func parse(_ raw: String) -> Result<YearPeriod, Failure> {
        var text = Halfwidth.fold(raw.trimmingWhitespace).replacingAll(" ", with: "").replacingAll("\u{3000}", with: "")
        if let period = Self.eStatTimeCode(text) { return .success(period) }
        var kind = defaultKind
        if text.hasSuffix("年度") { kind = .fiscal; text.removeLast(2) }
        else if text.hasSuffix("年") { kind = .calendar; text.removeLast() }
        else if text.hasSuffix("FY") || text.hasPrefix("FY") { kind = .fiscal; text = text.replacingAll("FY", with: "") }

        var era: JapaneseEra?
        if let named = JapaneseEra.allCases.first(where: { text.hasPrefix($0.rawValue) }) {
            era = named; text.removeFirst(named.rawValue.count)
        } else if let first = text.first, first.isLetter, first.isASCII, let initial = JapaneseEra(initial: first) {
            era = initial; text.removeFirst()
            if text.hasPrefix(".") { text.removeFirst() }
        }
        guard let number = Self.number(text) else { return .failure(.unreadable) }
        guard let era else {
            guard (1000...9999).contains(number) else { return .failure(.unreadable) }
            return .success(YearPeriod(year: number, kind: kind))
        }
        let counted = YearPeriod(year: era.gregorian(number), kind: kind)
        if number < 1 { return .failure(.impossible("\(era.rawValue) has no year \(number)", asCounted: counted)) }
        if let last = era.lastYear, number > last {
            return .failure(.impossible("\(era.rawValue) ended in its year \(last)", asCounted: counted))
        }
        return .success(YearPeriod(year: era.gregorian(number), kind: kind))
    }

    /// e-Stat's 10-digit time codes for a year: `YYYY000000` is the calendar year, `YYYY100000` the
    /// fiscal year (年度). Other codes (months, quarters: `YYYY000101`…) are not years: nil.
    static func eStatTimeCode(_ text: String) -> YearPeriod? {
        guard text.utf8.count == 10, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let year = Int(text.prefix(4)),
              (1000...9999).contains(year) else { return nil }
        switch text.dropFirst(4) {
        case "000000": return YearPeriod(year: year, kind: .calendar)
        case "100000": return YearPeriod(year: year, kind: .fiscal)
        default: return nil
        }
    }

    /// ASCII digits, 元 (= 1) or kanji numerals (二十三, 二〇二一). A year has at most four digits, so
    /// longer numerals are not years (and cannot overflow: fuzzing found 二二〇二二〇… doing so).
    static func number(_ text: String) -> Int? {
        if text == "元" { return 1 }
        guard text.count <= 8 else { return nil }
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) { return Int(text) }
        let digits: [Character: Int] = ["〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
                                        "六": 6, "七": 7, "八": 8, "九": 9]
        guard !text.isEmpty, text.allSatisfy({ digits[$0] != nil || $0 == "十" || $0 == "百" || $0 == "千" }) else { return nil }
        if !text.contains(where: { $0 == "十" || $0 == "百" || $0 == "千" }) {
            return text.reduce(0) { $0 * 10 + digits[$1]! }          // positional: 二〇二一
        }
        var total = 0, current = 0
        for c in text {
            if let d = digits[c] { current = d; continue }
            let scale = c == "十" ? 10 : c == "百" ? 100 : 1000
            total += (current == 0 ? 1 : current) * scale
            current = 0
        }
        return total + current
    }
}
