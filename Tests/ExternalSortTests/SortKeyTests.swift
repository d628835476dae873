import Foundation
import Testing
import PropertyBased
@testable import ExternalSort
import CurateCore
@testable import Validate

/// The byte order of encoded keys is the order `Value.sortsBefore` gives (the order data.csv has
/// always been written in), so the external sort publishes the same bytes as the in-memory one.
@Suite struct SortKeyTests {
    static func order(_ a: Value, _ b: Value) -> Int {
        a.sortsBefore(b) ? -1 : (b.sortsBefore(a) ? 1 : 0)
    }

    static func byteOrder(_ a: Value, _ b: Value) -> Int {
        let c = SortKey.compare(SortKey.encode([a]), SortKey.encode([b]))
        return c < 0 ? -1 : (c > 0 ? 1 : 0)
    }

    @Test(arguments: [
        (Value.integer(-10), Value.integer(-9)), (.integer(-1), .integer(0)), (.integer(0), .integer(1)),
        (.integer(9), .integer(10)), (.integer(99), .integer(100)), (.number(Decimal(string: "0.05")!), .number(Decimal(string: "0.5")!)),
        (.number(Decimal(string: "-0.123")!), .number(Decimal(string: "-0.12")!)), (.number(Decimal(string: "1.5")!), .integer(2)),
        (.number(Decimal(string: "34100000000")!), .number(Decimal(string: "34100000001")!)), (.null, .integer(-5)),
        (.null, .string("")), (.string(""), .string("a")), (.string("a"), .string("ab")), (.string("Z"), .string("a")),
        (.string("全国"), .string("北海道")), (.string("a\u{0}"), .string("a\u{1}")),
    ])
    func knownPairs(_ a: Value, _ b: Value) {
        #expect(Self.order(a, b) == -1, "reference order of \(a) and \(b)")
        #expect(Self.byteOrder(a, b) == -1, "\(a) should encode before \(b)")
        #expect(Self.byteOrder(b, a) == 1)
    }

    /// Equal numbers written differently (2 and 2.0) give equal keys: duplicates stay duplicates.
    @Test func equalNumbersEncodeEqually() {
        #expect(SortKey.encode([.integer(2)]) == SortKey.encode([.number(Decimal(string: "2.00")!)]))
        #expect(SortKey.encode([.integer(0)]) == SortKey.encode([.number(Decimal(string: "-0")!)]))
    }

    @Test func numbersAgreeWithReferenceOrder() async {
        await propertyCheck(count: 2000, input: Gen.int(in: -99_999_999...99_999_999), Gen.int(in: 0...6),
                            Gen.int(in: -99_999_999...99_999_999), Gen.int(in: 0...6)) { m1, s1, m2, s2 in
            let a = Value.number(Decimal(sign: m1 < 0 ? .minus : .plus, exponent: -s1, significand: Decimal(abs(m1))))
            let b = Value.number(Decimal(sign: m2 < 0 ? .minus : .plus, exponent: -s2, significand: Decimal(abs(m2))))
            #expect(Self.byteOrder(a, b) == Self.order(a, b), "\(a) vs \(b)")
        }
    }

    @Test func stringsAgreeWithReferenceOrder() async {
        let alphabet = ["", "a", "b", "A", "0", " ", "年", "度", "全", "\u{0}", "é", "😀", "ｱ"]
        await propertyCheck(count: 2000, input: Gen.int(in: 0...4), Gen.int(in: 0...4), Gen.int(in: 0...999_999), Gen.int(in: 0...999_999)) { n1, n2, seed1, seed2 in
            func make(_ n: Int, _ seed: Int) -> String {
                var s = "", x = seed
                for _ in 0..<n { s += alphabet[x % alphabet.count]; x /= alphabet.count }
                return s
            }
            let a = Value.string(make(n1, seed1)), b = Value.string(make(n2, seed2))
            #expect(Self.byteOrder(a, b) == Self.order(a, b), "\(a) vs \(b)")
        }
    }

    /// Two-component keys order by the first component, then the second.
    @Test func compositeKeysOrderComponentWise() async {
        await propertyCheck(count: 1000, input: Gen.int(in: 1990...1995), Gen.int(in: 0...3), Gen.int(in: 1990...1995), Gen.int(in: 0...3)) { y1, m1, y2, m2 in
            let measures = ["", "amount", "amount_10m_plus", "projects"]
            let a = SortKey.encode([.integer(y1), .string(measures[m1])])
            let b = SortKey.encode([.integer(y2), .string(measures[m2])])
            let expected = (y1, measures[m1]) < (y2, measures[m2]) ? -1 : ((y1, measures[m1]) == (y2, measures[m2]) ? 0 : 1)
            let c = SortKey.compare(a, b)
            #expect((c < 0 ? -1 : (c > 0 ? 1 : 0)) == expected)
        }
    }

    /// The buffers' comparison (a word, then memcmp) is plain byte order, whatever the lengths and
    /// wherever the first difference falls.
    @Test func bufferComparisonIsByteOrder() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let common = (0..<Int.random(in: 0...12, using: &rng)).map { _ in UInt8.random(in: 0...3, using: &rng) }
            let a = common + (0..<Int.random(in: 0...10, using: &rng)).map { _ in UInt8.random(in: 0...3, using: &rng) }
            let b = common + (0..<Int.random(in: 0...10, using: &rng)).map { _ in UInt8.random(in: 0...3, using: &rng) }
            let c = SortKey.compare(a, b)
            let expected = a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
            #expect((c < 0 ? -1 : (c > 0 ? 1 : 0)) == expected, "\(a) vs \(b)")
        }
    }

    /// Keys whose eight-byte prefixes differ are in the order of their prefixes (the sorter orders
    /// its index by them before it compares whole keys), whatever their lengths.
    @Test func prefixesOrderAsTheirKeys() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let common = (0..<Int.random(in: 0...9, using: &rng)).map { _ in UInt8.random(in: 0...2, using: &rng) }
            let a = common + (0..<Int.random(in: 0...6, using: &rng)).map { _ in UInt8.random(in: 0...2, using: &rng) }
            let b = common + (0..<Int.random(in: 0...6, using: &rng)).map { _ in UInt8.random(in: 0...2, using: &rng) }
            let pa = a.withUnsafeBytes(SortKey.prefix), pb = b.withUnsafeBytes(SortKey.prefix)
            if pa != pb { #expect((pa < pb) == a.lexicographicallyPrecedes(b), "\(a) vs \(b)") }
        }
    }
}
