import Foundation
import Ingest
import FuzzSupport

/// Encoding detection and decoding with detection.
let fuzz: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = EncodingDetector.detect(bytes, complete: true)
    _ = EncodingDetector.detect(bytes, complete: false)
    let path = FuzzFile.write(data, size)
    if let reader = try? CSVReader(path: path) { try? reader.forEachRecord { _ in } }
    return 0
}

@_cdecl("fuzz_encoding_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzz(data, size) }
