#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CurateError {
    /// The failure of the system call just made, in the system's words: `io-error` with
    /// "`what`: <strerror(errno)>" at `path`. Call it before anything else can change errno.
    package static func systemCall(_ what: String, path: String) -> CurateError {
        CurateError(.ioError, "\(what): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
    }
}
