import Foundation

/// The readers work on files: each input is written to one scratch file, reused.
public enum FuzzFile {
    static let path = NSTemporaryDirectory() + "curate-fuzz-\(getpid())"

    public static func write(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
        FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
        return path
    }
}

@_exported import CFuzz

/// The entry point SwiftPM links as `main` for an executable target (`<module>_main`): hands the
/// command line to libFuzzer's driver with the target's callback.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}
