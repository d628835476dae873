import Foundation
import Testing
@testable import CurateCore

/// The fast canonical text must equal Foundation's for every value it takes on.
@Suite struct DecimalTextTests {
    @Test func layoutMatchesFoundation() { #expect(DecimalText.layoutHolds) }

    @Test func knownValues() {
        for (text, expected) in [("337.0", "337"), ("-1.50", "-1.5"), ("0.05", "0.05"), ("-0", "0"), ("1e3", "1000"),
                                 ("0.000000000000000000001", "0"), ("123456789012345678901234", "123456789012345678901234"),
                                 ("6.5", "6.5"), ("100.001", "100.001")] {
            #expect(Decimal(string: text)!.canonicalText == expected, "\(text)")
        }
    }

    /// Random mantissas and exponents, and the products a unit factor makes, against NSDecimalNumber.
    @Test func randomValuesAgreeWithFoundation() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let mantissa = UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator)
            let exponent = Int.random(in: -24...12, using: &generator)
            var d = Decimal(sign: Bool.random() ? .minus : .plus, exponent: exponent, significand: Decimal(mantissa))
            if Bool.random() { d *= Decimal([1000, 100_000_000, 1_000_000_000, 1][Int.random(in: 0..<4)]) }
            var fast: [UInt8] = []
            if DecimalText.fast(d, into: &fast) {
                #expect(String(decoding: fast, as: UTF8.self) == DecimalText.foundation(d), "mantissa \(mantissa) exponent \(exponent)")
            }
            #expect(d.canonicalText == DecimalText.foundation(d))
            // Read back from its compact bytes (the sorter's runs), the text is the same.
            var compact: [UInt8] = [0xAA]
            #expect(d.appendCompactBytes(to: &compact))
            var text: [UInt8] = []
            let read = compact.withUnsafeBytes { Decimal.appendCanonicalText(compactBytes: $0, at: 1, to: &text) }
            #expect(read == compact.count - 1 && String(decoding: text, as: UTF8.self) == DecimalText.foundation(d), "compact \(d)")
        }
    }
}

extension DecimalTextTests {
    @Test func fastComparisonAgreesWithFoundation() {
        var rng = SystemRandomNumberGenerator()
        func random() -> Decimal {
            Decimal(sign: Bool.random(using: &rng) ? .minus : .plus, exponent: Int.random(in: -8...8, using: &rng),
                    significand: Decimal(UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...63, using: &rng)))
        }
        for _ in 0..<20_000 {
            let a = random(), b = Bool.random(using: &rng) ? random() : a * 10 / 10
            #expect(a.fastLess(than: b) == (a < b), "\(a) < \(b)")
            #expect(b.fastLess(than: a) == (b < a), "\(b) < \(a)")
        }
        #expect(Decimal(0).fastLess(than: Decimal(string: "-0.5")!) == false)
        #expect(Decimal(string: "-1")!.fastLess(than: 0))
    }
}
