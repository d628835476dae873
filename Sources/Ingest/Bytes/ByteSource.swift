#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CurateCore

/// Reads a file in fixed-size chunks with read(2): memory stays at one chunk whatever the file size.
final class ByteSource {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8]
    /// Bytes delivered so far: the offset of the next chunk in the file.
    private(set) var offset = 0
    /// The current `ReadObserver`'s view of this read (a sniffed prefix is not observed).
    private var observation: (any ReadObservation)?

    init(path: String, chunkSize: Int = 1 << 18, observed: Bool = true) throws {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CurateError.systemCall("cannot open", path: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw CurateError(.ioError, "not a regular file", at: SourceLocation(file: path))
        }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CurateError.systemCall("cannot open", path: path)
        }
        // No bigger than the file (a small file is the common case, and a zero-filled 256 kB
        // buffer was most of the cost of opening one); a file that grows while read is still read
        // whole, in more chunks.
        let size = max(Int(info.st_size) + 1, 4096)
        buffer = [UInt8](unsafeUninitializedCapacity: min(chunkSize, size)) { _, count in count = min(chunkSize, size) }
        if observed { observation = ReadObservers.current?.opened(path: path, descriptor: fd) }
    }

    deinit { close(fd) }

    /// Calls `body` with the next chunk; returns false at end of file. The chunk is only valid inside `body`.
    func nextChunk(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Bool {
        let count = try buffer.withUnsafeMutableBytes { raw -> Int in
            while true {
                let n = read(fd, raw.baseAddress, raw.count)
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw CurateError.systemCall("read failed", path: path)
            }
        }
        if count == 0 {
            try observation?.ended()
            return false
        }
        offset += count
        try buffer.withUnsafeBufferPointer { chunk in
            let bytes = UnsafeBufferPointer(rebasing: chunk[0..<count])
            try observation?.received(bytes, at: offset - count)
            try body(bytes)
        }
        return true
    }

    /// The first `limit` bytes of a file, for sniffing encodings and formats.
    static func prefix(of path: String, limit: Int) throws -> [UInt8] {
        let source = try ByteSource(path: path, chunkSize: limit, observed: false)
        var bytes: [UInt8] = []
        _ = try source.nextChunk { bytes = Array($0) }
        return bytes
    }
}
