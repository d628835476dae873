#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The readers work on files: each input is written over one scratch file, kept open.
///
/// One descriptor, `ftruncate` + `pwrite`: no Foundation `Data` or file creation per input, which
/// took most of an execution's time in the reader targets.
public enum FuzzFile {
    /// On tmpfs when there is one: truncating and rewriting a file on ext4 costs a journal write.
    static let path = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()) + "curate-fuzz-\(getpid())"
    nonisolated(unsafe) static var fd: Int32 = -1

    public static func write(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
        if fd < 0 { fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) }
        write(data, size, to: fd)
        return path
    }

    /// Replaces the contents of the file open as `fd` (no fsync: Foundation's `createFile` syncs,
    /// which took most of the spec target's time).
    public static func write(_ data: UnsafePointer<UInt8>, _ size: Int, to fd: Int32) {
        precondition(fd >= 0, "cannot open the fuzz scratch file \(path)")
        precondition(ftruncate(fd, 0) == 0, "ftruncate failed")
        var done = 0
        while done < size {
            let n = pwrite(fd, data + done, size - done, off_t(done))
            precondition(n > 0, "cannot write the fuzz scratch file")
            done += n
        }
    }

    /// A scratch project (Pipelines/, Raw/) for the spec target, written once per process.
    public static func project() -> String {
        let root = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()) + "curate-fuzz-project-\(getpid())"
        try? FileManager.default.createDirectory(atPath: root + "/Pipelines/reference/codelists", withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: root + "/Raw", withIntermediateDirectories: true)
        return root
    }
}

@_exported import CFuzz

nonisolated(unsafe) var keptConverters: [iconv_t?] = []

/// The entry point SwiftPM links as `main` for an executable target (`<module>_main`): hands the
/// command line to libFuzzer's driver with the target's callback.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    // glibc unloads an iconv module (dlclose) when its last descriptor closes, and loads it again
    // (dlopen, symbol lookup) at the next iconv_open: per input, that was a tenth of a reader
    // target's time. One descriptor per encoding kept open, as in a long-running process.
    keptConverters = ["CP932", "EUC-JP", "UTF-16"].map { (name: String) in iconv_open("UTF-8", name) }   // held: not a leak
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}
