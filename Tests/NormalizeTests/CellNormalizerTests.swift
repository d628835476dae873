import Foundation
import Testing
import CurateCore
@testable import Normalize

@Suite struct CellNormalizerTests {
    /// Scaling by a power of ten moves the exponent; it must equal Decimal multiplication exactly.
    @Test func scaleEqualsMultiplication() {
        var rng = SystemRandomNumberGenerator()
        for factor in ["1", "1000", "1000000", "100000000", "1000000000", "0.001", "0.1", "10", "2.5", "1000.5"] {
            let scale = Scale(Decimal(string: factor)!)
            for _ in 0..<2_000 {
                let n = Decimal(sign: Bool.random(using: &rng) ? .minus : .plus, exponent: Int.random(in: -6...6, using: &rng),
                                significand: Decimal(UInt64.random(in: 0...999_999_999_999, using: &rng)))
                #expect(scale.apply(n) == n * scale.factor, "\(n) × \(factor)")
                #expect(scale.apply(n).canonicalText == (n * scale.factor).canonicalText)
            }
            for decimals in 0...14 {
                #expect(scale.precision(decimals: decimals) == Decimal(sign: .plus, exponent: -decimals, significand: 1) * scale.factor)
            }
        }
    }

    @Test func outcomes() {
        let cells = CellNormalizer(numbers: NumberParser(format: NumberFormat(markers: ["-": .notAvailable])))
        let thousand = Scale(1000)
        #expect(cells.normalize("1,234", scale: thousand) == .quantity(value: 1_234_000, precision: 1000, approximate: false))
        #expect(cells.normalize("約893", scale: thousand) == .quantity(value: 893_000, precision: 1000, approximate: true))
        #expect(cells.normalize("△1.5", scale: thousand) == .quantity(value: -1500, precision: 100, approximate: false))
        #expect(cells.normalize("-", scale: thousand) == .marker(.notAvailable, marker: "-"))
        #expect(cells.normalize("  ", scale: thousand) == .blank)
        #expect(cells.normalize("x", scale: thousand) == .unreadable(.unknownMarker))
        #expect(cells.normalize("abc", scale: thousand) == .unreadable(.notANumber))
    }
}
