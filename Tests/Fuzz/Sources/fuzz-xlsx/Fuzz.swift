import Foundation
import Ingest
import FuzzSupport

/// XLSX workbooks (zip + SpreadsheetML).
nonisolated(unsafe) var registered = false

let fuzz: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    let path = FuzzFile.write(data, size)
    if !registered {
        // CURATE_FUZZ_ZIP_LEAK=keep leaves ZIPFoundation's leak in place, to see detection switch off.
        if getenv("CURATE_FUZZ_ZIP_LEAK").map({ String(cString: $0) }) != "keep" { curate_fuzz_free_zipfoundation_path(path) }
        registered = true
    }
    if let reader = try? XLSXReader(path: path) { try? reader.forEachRecord { _ in } }
    
    return 0
}

@_cdecl("fuzz_xlsx_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzz(data, size) }
