#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to stdout and stderr: `curate read` prints millions of lines.
enum FileHandleOutput {
    static func stderr(_ text: String) { raw(text, fd: 2) }

    static func raw(_ text: String, fd: Int32) {
        var text = text
        text.withUTF8 { raw($0, fd: fd) }
    }

    static func raw(_ bytes: UnsafeBufferPointer<UInt8>, fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n <= 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }
}

/// Collects output and writes it in 256 KiB blocks.
final class BufferedStdout {
    private var buffer = ""
    init() { buffer.reserveCapacity(1 << 18) }
    func write(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 1 << 18 { flush() }
    }
    /// A block of UTF-8 written as it is, after what is buffered (`curate read`'s JSON lines).
    func write(bytes: UnsafeBufferPointer<UInt8>) {
        flush()
        FileHandleOutput.raw(bytes, fd: 1)
    }
    func flush() {
        FileHandleOutput.raw(buffer, fd: 1)
        buffer.removeAll(keepingCapacity: true)
    }
    deinit { flush() }
}
