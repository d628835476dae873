import Foundation
import Pipeline
import FuzzSupport

/// Pipeline specs: arbitrary bytes as Pipelines/fuzz.yaml, through the spec guard (size, aliases,
/// nodes, names, paths) and the loader. Any outcome but a crash or a hang is fine.
let root = FuzzFile.project()
let project = try! Project(root: root)
let specFile = open(root + "/Pipelines/fuzz.yaml", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)

let fuzz: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data else { return 0 }
    FuzzFile.write(data, size, to: specFile)
    _ = try? project.loadSpecs()
    return 0
}

@_cdecl("fuzz_spec_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzz(data, size) }
