import Foundation
import Ingest
import FuzzSupport

/// SDMX-ML data messages (and, as structure messages, SDMXStructure).
let fuzz: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    let path = FuzzFile.write(data, size)
    try? SDMXMLReader(path: path).forEachObservation { _ in }
    _ = try? SDMXStructure(path: path)
    return 0
}

@_cdecl("fuzz_sdmx_ml_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzz(data, size) }
