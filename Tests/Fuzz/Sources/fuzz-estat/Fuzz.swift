import Foundation
import Ingest
import FuzzSupport

/// e-Stat getStatsData responses.
let fuzz: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    let path = FuzzFile.write(data, size)
    _ = try? EStatReader(path: path).forEachObservation { _ in }
    
    return 0
}

@_cdecl("fuzz_estat_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzz(data, size) }
