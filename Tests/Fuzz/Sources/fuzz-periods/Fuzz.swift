import Foundation
import FuzzSupport
import Normalize

/// Era and fiscal-year labels, SDMX time periods, e-Stat time codes.
let fuzz: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = PeriodParser().parse(text)
    _ = PeriodParser(defaultKind: .fiscal).parse(text)
    _ = SDMXPeriodParser.parse(text)
    _ = EStatTimeCode.parse(code: text, label: text)
    return 0
}

@_cdecl("fuzz_periods_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzz(data, size) }
