import Foundation
import Testing
@testable import Normalize

/// The byte-level fast path must give exactly what the general parser gives, for every text it
/// accepts, and leave everything else to it.
@Suite struct NumberParserFastPathTests {
    @Test func fastPathAgreesWithGeneralParser() {
        let alphabet: [String] = ["0", "1", "2", "5", "9", "0", "7", ",", ".", "-", "+", " ", "△", "e", "%", "x", "１"]
        var rng = SystemRandomNumberGenerator()
        for separator in [Character("."), Character(",")] {
            let parser = NumberParser(format: NumberFormat(decimalSeparator: separator))
            for _ in 0..<30_000 {
                let text = (0..<Int.random(in: 1...14, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
                if let fast = NumberParser.plainNumber(text, decimalSeparator: separator) {
                    #expect(Result<ParsedNumber, NumberError>.success(fast) == parser.parseGeneral(text), "\(text.debugDescription)")
                }
                #expect(parser.parse(text) == parser.parseGeneral(text), "\(text.debugDescription)")
            }
        }
    }

    @Test func groupedAndSignedValues() {
        let parser = NumberParser()
        for (text, value, decimals) in [("1,234,567", "1234567", 0), ("-12.50", "-12.5", 2), (" 007 ", "7", 0), ("+3", "3", 0), ("-0", "0", 0)] {
            #expect(NumberParser.plainNumber(text, decimalSeparator: ".") == .value(Decimal(string: value)!, decimals: decimals, percent: false), "\(text)")
            #expect(parser.parse(text) == parser.parseGeneral(text))
        }
        for text in ["1,23", "12,3456", "1234,567", "5.", ".5", "1e3", "△5", "-", "1,234.5.6", "１２"] {
            #expect(NumberParser.plainNumber(text, decimalSeparator: ".") == nil, "\(text)")
        }
    }
}

extension NumberParserFastPathTests {
    /// A marker that reads as a number (`0` for "less than half a unit") is still a marker.
    @Test func numericMarkerWinsOverFastPath() {
        var format = NumberFormat()
        format.markers = ["0": .notAvailable]
        #expect(NumberParser(format: format).parse("0") == .success(.missing(.notAvailable, marker: "0")))
    }
}
