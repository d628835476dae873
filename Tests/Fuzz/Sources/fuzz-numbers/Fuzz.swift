import Foundation
import FuzzSupport
import Normalize

/// Numbers as tables print them, in both dialects, and quantities with units.
let fuzz: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = NumberParser().parse(text)
    _ = NumberParser(format: NumberFormat(decimalSeparator: ",", parenthesesNegative: true, markers: ["-": .zero, "x": .confidential])).parse(text)
    _ = QuantityParser(units: UnitRegistry(units: ["円": "JPY", "件": "count", "割": "percent*10"], multipliers: ["千": "1000", "億": "100000000"])).parse(text)
    return 0
}

@_cdecl("fuzz_numbers_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzz(data, size) }
