import Foundation
import Testing
import PropertyBased
@testable import Normalize

/// Round trips over generated inputs: whatever a source prints, reading it gives the value back.
@Suite struct PropertyTests {
    /// Gregorian year → era label (元年 for year 1, kanji or ASCII digits, full-width or not) → year.
    @Test func eraLabelsRoundTrip() async {
        await propertyCheck(count: 1000, input: Gen.int(in: 1868...2200), Gen.bool, Gen.int(in: 0...2)) { year, fiscal, style in
            guard let (era, n) = JapaneseEra.label(for: year) else { Issue.record("no era for \(year)"); return }
            let digits: String = switch style {
            case 0: n == 1 ? "元" : String(n)
            case 1: Halfwidth.fullWidthDigits(String(n))
            default: Self.kanji(n)
            }
            let label = era.rawValue + digits + (fiscal ? "年度" : "年")
            #expect(PeriodParser().parse(label) == .success(YearPeriod(year: year, kind: fiscal ? .fiscal : .calendar)), "\(label)")
            let abbreviated = String(era.initial) + (n == 1 ? "元" : String(n))
            #expect(PeriodParser(defaultKind: .fiscal).parse(abbreviated) == .success(YearPeriod(year: year, kind: .fiscal)), "\(abbreviated)")
        }
    }

    /// A value converted to base units and back is the value, exactly.
    @Test func unitConversionsRoundTrip() async {
        let registry = UnitRegistryTests.registry
        let labels = ["円", "千円", "万円", "百万円", "千万円", "億円", "十億円", "兆円", "件", "千人", "百万ドル"]
        await propertyCheck(count: 1000, input: Gen.int(in: -999_999_999...999_999_999), Gen.int(in: 0...4), Gen.int(in: 0..<labels.count)) { units, scale, k in
            let printed = Decimal(sign: units < 0 ? .minus : .plus, exponent: -scale, significand: Decimal(abs(units)))
            guard let unit = registry.resolve(labels[k]) else { Issue.record("unknown \(labels[k])"); return }
            let base = printed * unit.factor
            #expect(base / unit.factor == printed)
            #expect(Decimal(string: base.canonicalText) == base, "\(base.canonicalText)")
        }
    }

    /// An integer printed with thousands separators, in full width, with △ for minus, reads back.
    @Test func printedNumbersRoundTrip() async {
        await propertyCheck(count: 1000, input: Gen.int(in: -9_999_999_999...9_999_999_999), Gen.int(in: 0...3)) { n, style in
            var text = Self.grouped(abs(n))
            if style & 1 == 1 { text = Halfwidth.fullWidthDigits(text) }
            if n < 0 { text = (style & 2 == 2 ? "△" : "-") + text }
            guard case .success(.value(let value, 0, false)) = NumberParser().parse(text) else { Issue.record("\(text)"); return }
            #expect(value == Decimal(n), "\(text)")
        }
    }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return out
    }

    static func kanji(_ n: Int) -> String {
        let d = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        var out = ""
        if n >= 100 { out += (n / 100 == 1 ? "" : d[n / 100]) + "百" }
        if n % 100 >= 10 { out += (n % 100 / 10 == 1 ? "" : d[n % 100 / 10]) + "十" }
        out += d[n % 10]
        return out
    }
}
