import Foundation

/// Reads a cell that carries its own unit, as Japanese reports print them: 「８９３億円」, `337.0十億円`,
/// `1,234件`, `12.5%`. The number is read by `NumberParser`, the unit by the registry.
public struct QuantityParser: Sendable {
    public var numbers: NumberParser
    public var units: UnitRegistry

    public init(numbers: NumberParser = NumberParser(), units: UnitRegistry) { self.numbers = numbers; self.units = units }

    public enum Failure: Error, Equatable, Sendable { case number(NumberError), unknownUnit(String), noUnit }

    /// The value in base units, the unit as printed, and its resolution.
    public struct Quantity: Equatable, Sendable {
        public var value: Decimal
        public var printed: Decimal
        public var decimals: Int
        public var unit: ResolvedUnit
    }

    public func parse(_ raw: String) -> Result<Quantity, Failure> {
        let text = Halfwidth.fold(raw.trimmingWhitespace)
        // The number is the longest prefix made of number characters; the rest is the unit.
        let numberChars = Set("0123456789.,+-△▲()eE ")
        var split = text.startIndex
        for index in text.indices {
            guard numberChars.contains(text[index]) else { break }
            // an `e` is part of the number only when digits follow (8.93E+10), not in a unit
            split = text.index(after: index)
        }
        while split > text.startIndex, "eE".contains(text[text.index(before: split)]) { split = text.index(before: split) }
        let unitText = String(text[split...]).trimmingWhitespace
        guard split > text.startIndex else { return .failure(.number(.notANumber)) }
        guard !unitText.isEmpty else { return .failure(.noUnit) }
        guard let unit = units.resolve(unitText) else { return .failure(.unknownUnit(unitText)) }
        switch numbers.parse(String(text[..<split])) {
        case .success(.value(let number, let decimals, _)):
            return .success(Quantity(value: number * unit.factor, printed: number, decimals: decimals, unit: unit))
        case .success: return .failure(.number(.notANumber))
        case .failure(let error): return .failure(.number(error))
        }
    }
}
