import Foundation
import Ingest
import FuzzSupport

/// SDMX-CSV 1.0 and 2.0.
let fuzz: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    let path = FuzzFile.write(data, size)
    try? SDMXCSVReader(path: path).forEachObservation { _ in }
    
    return 0
}

@_cdecl("fuzz_sdmx_csv_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzz(data, size) }
