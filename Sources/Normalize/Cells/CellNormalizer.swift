import Foundation
import CurateCore

/// One printed cell → a curated quantity, the same way for printed tables and keyed observations
/// (both shapers call this, so number handling and its lineage cannot drift apart): a blank, a
/// declared marker, or the printed number times the unit's factor with the precision of its last
/// printed digit.
public struct CellNormalizer: Sendable {
    public let numbers: NumberParser

    public init(numbers: NumberParser) { self.numbers = numbers }

    public enum Outcome: Equatable, Sendable {
        case blank
        /// A declared marker: no value, its meaning goes to `status`.
        case marker(MissingReason, marker: String)
        /// `value` = printed number × factor; `precision` = one unit of the last printed digit × factor;
        /// `approximate` when the source printed 約 (about).
        case quantity(value: Decimal, precision: Decimal, approximate: Bool)
        case unreadable(NumberError)
    }

    public func normalize(_ raw: String, scale: Scale) -> Outcome {
        switch numbers.parse(raw) {
        case .success(.blank): return .blank
        case .success(.missing(let reason, let marker)): return .marker(reason, marker: marker)
        case .success(.value(let number, let decimals, _)):
            let approximate = !raw.utf8.allSatisfy { $0 < 0x80 } && raw.contains("約")
            return .quantity(value: scale.apply(number), precision: scale.precision(decimals: decimals), approximate: approximate)
        case .failure(let error): return .unreadable(error)
        }
    }

    /// `normalize` of a cell's UTF-8 bytes when it is a plain number (no marker, no 約: see
    /// `NumberParser.parsePlain`): the value × factor and its printed decimals (the precision is
    /// `scale.precision(decimals:)`); nil for any other cell, which `normalize` reads.
    public func plainQuantity(utf8 bytes: UnsafeBufferPointer<UInt8>, scale: Scale) -> (value: Decimal, decimals: Int)? {
        guard let (number, decimals) = numbers.parsePlain(utf8: bytes) else { return nil }
        return (scale.apply(number), decimals)
    }
}

/// A unit's factor, with its power of ten found once (千, 百万, 億 are all powers of ten), so a
/// cell is scaled by moving its exponent: Foundation's Decimal multiplication costs microseconds
/// a value on Linux, which a table of millions of cells cannot pay. A class: a cell borrows it
/// rather than copying its table of precisions.
public final class Scale: Sendable {
    public let factor: Decimal
    private let powerOfTen: Int?
    /// The precision of a number printed with 0…12 decimals, made once.
    private let precisions: [Decimal]

    public init(_ factor: Decimal) {
        self.factor = factor
        let text = factor.canonicalText
        if text.first == "1", text.dropFirst().allSatisfy({ $0 == "0" }) { powerOfTen = text.count - 1 }
        else if text.hasPrefix("0."), text.hasSuffix("1"), text.dropFirst(2).dropLast().allSatisfy({ $0 == "0" }) { powerOfTen = -(text.count - 2) }
        else { powerOfTen = nil }
        let scale = powerOfTen
        precisions = (0...12).map { decimals in
            scale.map { Decimal(sign: .plus, exponent: $0 - decimals, significand: 1) } ?? Decimal(sign: .plus, exponent: -decimals, significand: 1) * factor
        }
    }

    /// `number` × factor.
    public func apply(_ number: Decimal) -> Decimal {
        guard let k = powerOfTen else { return number * factor }
        if k == 0 { return number }
        return Decimal(sign: number.sign, exponent: number.exponent + k, significand: number.significand)
    }

    /// One unit of the last of `decimals` printed decimals, in the curated unit.
    public func precision(decimals: Int) -> Decimal {
        decimals >= 0 && decimals < precisions.count ? precisions[decimals] : Decimal(sign: .plus, exponent: -decimals, significand: 1) * factor
    }
}
