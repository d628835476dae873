import Foundation
import Testing
@testable import Publish

/// An integer's CSV text is its decimal digits, whichever of its two ways is taken (up to eight
/// digits packed in a word; more a byte at a time).
@Suite struct CSVBytesTests {
    @Test func integersAreTheirDecimalText() {
        var samples = [0, 1, -1, 9, 10, -10, 99, 100, 12_345_678, 99_999_999, 100_000_000, -99_999_999, -100_000_000,
                       Int.max, Int.min, Int.max - 1, Int.min + 1]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 { samples.append(Int.random(in: Int.min...Int.max, using: &rng) >> Int.random(in: 0...63, using: &rng)) }
        for i in samples {
            var out: [UInt8] = [UInt8(ascii: "x")]
            CSVBytes.append(i, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "x\(i)")
        }
    }

    /// A field is quoted when it holds a comma, quote or line break, its quotes doubled.
    @Test func fieldsAreQuotedAsTheyNeed() {
        for (text, expected) in [("7,919", "\"7,919\""), ("plain", "plain"), ("say \"hi\"", "\"say \"\"hi\"\"\""),
                                 ("a\nb", "\"a\nb\""), ("", ""), ("\"", "\"\"\"\"")] {
            var out: [UInt8] = []
            CSVBytes.append(text, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == expected, "\(text)")
        }
    }
}
