import Foundation
import Ingest
import FuzzSupport

/// CSV reading of arbitrary bytes, in every encoding: any outcome but a crash is fine.
let fuzz: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    let path = FuzzFile.write(data, size)
    for encoding in [TextEncoding.utf8, .shiftJIS, .eucJP] {
        if let reader = try? CSVReader(path: path, encoding: encoding) {
            _ = try? TableReader(csv: reader, layout: TableLayout()).read(row: { _ in }, finding: { _ in })
        }
    }
    return 0
}

@_cdecl("fuzz_csv_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzz(data, size) }
