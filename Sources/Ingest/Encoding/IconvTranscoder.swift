#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams bytes in a legacy encoding to UTF-8 with glibc iconv.
///
/// glibc's CP932 table decodes as Windows does and stops with EILSEQ at the exact bad byte
/// (Foundation's decoder is ~4× slower and fails the whole input on one bad byte).
final class IconvTranscoder {
    enum Failure: Error { case invalid(offset: Int), truncated(offset: Int) }

    private let handle: iconv_t
    private var carry: [UInt8] = []
    private var output: [UInt8]
    /// Input bytes consumed so far, to turn a position in a chunk into a file offset.
    private(set) var consumed = 0

    init(from encoding: TextEncoding) throws {
        let h = iconv_open("UTF-8", encoding.iconvName)
        guard let h, h != iconv_t(bitPattern: -1) else { throw Failure.invalid(offset: 0) }
        handle = h
        output = [UInt8](repeating: 0, count: 1 << 16)
    }

    deinit { iconv_close(handle) }

    /// Converts one chunk, calling `emit` with UTF-8 pieces. A sequence cut at the chunk's end waits
    /// for the next chunk; at `isLast` it is an error.
    func convert(_ chunk: UnsafeBufferPointer<UInt8>, isLast: Bool, emit: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var input = carry
        input.append(contentsOf: chunk)
        let carried = carry.count
        carry = []
        try input.withUnsafeMutableBufferPointer { inBuf in
            guard let base = inBuf.baseAddress else { return }
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(base).assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count
            while inLeft > 0 {
                let (status, err, produced) = output.withUnsafeMutableBufferPointer { outBuf -> (Int, Int32, Int) in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count
                    let r = iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft)
                    return (r, r == -1 ? errno : 0, outBuf.count - outLeft)
                }
                if produced > 0 {
                    try output.withUnsafeBufferPointer { try emit(UnsafeBufferPointer(rebasing: $0[0..<produced])) }
                }
                if status != -1 { break }
                let position = inBuf.count - inLeft
                switch err {
                case E2BIG: continue
                case EINVAL where !isLast:
                    carry = Array(inBuf[position...])
                    inLeft = 0
                case EINVAL:
                    throw Failure.truncated(offset: consumed - carried + position)
                default:
                    throw Failure.invalid(offset: consumed - carried + position)
                }
            }
            consumed += chunk.count
        }
    }

    /// True when the sample decodes (a sequence cut at its end is allowed if asked).
    func accepts(_ sample: [UInt8], allowTruncatedEnd: Bool) -> Bool {
        do {
            try sample.withUnsafeBufferPointer { try convert($0, isLast: !allowTruncatedEnd) { _ in } }
            return true
        } catch { return false }
    }
}
