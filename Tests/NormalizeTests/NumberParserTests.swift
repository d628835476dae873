import Foundation
import Testing
import CurateCore
@testable import Normalize

@Suite struct NumberParserTests {
    static let valid: [(String, String, Int)] = [
        ("0", "0", 0), ("16925", "16925", 0), ("16,925", "16925", 0), ("1,234,567", "1234567", 0),
        ("１，２３４", "1234", 0), ("１２３４．５", "1234.5", 1), ("  341 ", "341", 0), ("\u{3000}893\u{3000}", "893", 0),
        ("△12", "-12", 0), ("▲1,028", "-1028", 0), ("△ 3.5", "-3.5", 1), ("-7", "-7", 0), ("－7", "-7", 0),
        ("+7", "7", 0), ("＋７", "7", 0), ("337.0", "337", 1), ("0.05", "0.05", 2), (".5", "0.5", 1),
        ("8.93E+10", "89300000000", 2), ("1e3", "1000", 0), ("1.5e-2", "0.015", 1), ("12.5%", "12.5", 1),
        ("１２．５％", "12.5", 1), ("3.14159", "3.14159", 5), ("999,999,999,999", "999999999999", 0),
    ]

    @Test(arguments: valid.indices)
    func readsNumbersExactly(_ i: Int) throws {
        let (raw, expected, decimals) = Self.valid[i]
        guard case .success(.value(let value, let d, _)) = NumberParser().parse(raw) else {
            Issue.record("\(raw.debugDescription) did not parse"); return
        }
        #expect(value.canonicalText == expected, "\(raw)")
        #expect(d == decimals, "\(raw)")
    }

    @Test(arguments: ["1,23", "12,34,567", ",123", "1,,234", "1.2.3", "abc", "12a", "1e", "e5", "--1", "1,234.5.6", "$12", "十二"])
    func rejectsWhatIsNotANumber(_ raw: String) {
        #expect(NumberParser().parse(raw) == .failure(.notANumber), "\(raw)")
    }

    @Test(arguments: Array(NumberParser.knownMarkers).sorted())
    func undeclaredMarkerIsUnknownMarker(_ marker: String) {
        #expect(NumberParser().parse(marker) == .failure(.unknownMarker))
    }

    @Test(arguments: MissingReason.allCases)
    func declaredMarkersBecomeMissingNeverNumbers(_ reason: MissingReason) {
        let parser = NumberParser(format: NumberFormat(markers: ["-": reason, "x": reason, "…": reason]))
        for marker in ["-", "x", "…"] {
            #expect(parser.parse(marker) == .success(.missing(reason, marker: marker)))
        }
    }

    @Test func parenthesesAreNegativeOnlyWhenDeclared() {
        #expect(NumberParser().parse("(123)") == .failure(.notANumber))
        guard case .success(.value(let v, _, _)) = NumberParser(format: NumberFormat(parenthesesNegative: true)).parse("(1,234)") else {
            Issue.record("not parsed"); return
        }
        #expect(v == -1234)
    }

    @Test func decimalCommaDialect() {
        let parser = NumberParser(format: NumberFormat(decimalSeparator: ","))
        guard case .success(.value(let v, let d, _)) = parser.parse("1.234,5") else { Issue.record("not parsed"); return }
        #expect(v.canonicalText == "1234.5")
        #expect(d == 1)
    }

    @Test func blankIsBlank() {
        #expect(NumberParser().parse("") == .success(.blank))
        #expect(NumberParser().parse(" \u{3000}") == .success(.blank))
    }

    @Test func percentIsFlagged() {
        guard case .success(.value(_, _, let percent)) = NumberParser().parse("45%") else { Issue.record("not parsed"); return }
        #expect(percent)
    }
}
