import Foundation
import Ingest
import FuzzSupport

/// CSV reading of arbitrary bytes, in every encoding: any outcome but a crash is fine.
let fuzz: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    let path = FuzzFile.write(data, size)
    // The delimiter is sniffed once (UTF-8), named for the other two: sniffing is half the time of
    // a run, and fuzz-encoding sniffs every input too.
    for (encoding, delimiter) in [(TextEncoding.utf8, nil), (.shiftJIS, ","), (.eucJP, "\t")] as [(TextEncoding, Character?)] {
        if let reader = try? CSVReader(path: path, encoding: encoding, delimiter: delimiter) {
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
