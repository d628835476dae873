import Foundation
import Testing
@testable import Normalize

@Suite struct UnitRegistryTests {
    static let registry = UnitRegistry(
        units: ["円": "JPY", "件": "count", "人": "persons", "ドル": "USD"],
        multipliers: ["千": "1000", "万": "10000", "百万": "1000000", "千万": "10000000", "億": "100000000",
                      "十億": "1000000000", "兆": "1000000000000"])

    @Test(arguments: [
        ("円", "JPY", "1"), ("千円", "JPY", "1000"), ("百万円", "JPY", "1000000"), ("千万円", "JPY", "10000000"),
        ("億円", "JPY", "100000000"), ("十億円", "JPY", "1000000000"), ("兆円", "JPY", "1000000000000"),
        ("件", "count", "1"), ("千人", "persons", "1000"), ("万人", "persons", "10000"), ("百万ドル", "USD", "1000000"),
    ])
    func resolves(_ label: String, _ base: String, _ factor: String) throws {
        let unit = try #require(Self.registry.resolve(label))
        #expect(unit.base == base)
        #expect(unit.factor.canonicalText == factor)
    }

    @Test(arguments: ["億ドル円", "ポンド", "千", "", "十億"])
    func unknownUnits(_ label: String) { #expect(Self.registry.resolve(label) == nil) }

    @Test func conversionIsExact() throws {
        let unit = try #require(Self.registry.resolve("十億円"))
        #expect((Decimal(string: "337.0")! * unit.factor).canonicalText == "337000000000")
        let oku = try #require(Self.registry.resolve("億円"))
        #expect((Decimal(string: "1028")! * oku.factor).canonicalText == "102800000000")
        #expect((Decimal(string: "0.1")! * Decimal(3)).canonicalText == "0.3")
    }

    @Test func splitsMultiUnitNotes() {
        #expect(UnitRegistry.labels(inNote: "件、億円") == ["件", "億円"])
        #expect(UnitRegistry.labels(inNote: "人, 千円") == ["人", "千円"])
        #expect(UnitRegistry.labels(inNote: "千円") == ["千円"])
    }
}
