import Foundation
import FuzzSupport
import Normalize

/// Built once: building it per input cost most of each execution.
let registry = UnitRegistry(units: ["円": "JPY", "件": "count", "人": "persons", "割": "percent*10", "x": "a*b*c"],
                            multipliers: ["千": "1000", "十億": "1000000000", "億": "100000000", "bad": "x"])

/// Unit labels and unit notes.
let fuzz: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = registry.resolve(text)
    for label in UnitRegistry.labels(inNote: text) { _ = registry.resolve(label) }
    _ = LabelNormalizer.normalize(text)
    return 0
}

@_cdecl("fuzz_units_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzz(data, size) }
