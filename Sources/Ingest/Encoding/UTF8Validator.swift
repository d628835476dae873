/// Checks UTF-8 without copying, chunk by chunk: UTF-8 input passes through as it is.
struct UTF8Validator {
    /// Bytes of a sequence cut at the end of the previous chunk.
    private var carry: [UInt8] = []

    /// Returns the index in `chunk` of the first invalid byte, or nil when the chunk is valid so far.
    /// A sequence cut at the chunk's end is kept and checked with the next chunk.
    mutating func firstInvalid(in chunk: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        if !carry.isEmpty {
            let need = Self.sequenceLength(carry[0]) - carry.count
            let take = min(need, chunk.count)
            let joined = carry + chunk[0..<take]
            if take < need {
                if Self.check(joined, at: 0, allowTruncated: true) == nil { carry = joined; return nil }
                return 0
            }
            if Self.check(joined, at: 0, allowTruncated: false) == nil { carry = []; i = take } else { return 0 }
        }
        while i < chunk.count {
            // ASCII runs: eight bytes at a time while no high bit is set.
            if let base = chunk.baseAddress {
                while i + 8 <= chunk.count,
                      UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
                if i == chunk.count { break }
            }
            let lead = chunk[i]
            if lead < 0x80 { i += 1; continue }
            // The common sequences (two bytes, and three bytes with no range limit on the second, as
            // for kana and kanji) checked inline; the rest below.
            if (0xC2...0xDF).contains(lead), i + 1 < chunk.count, chunk[i + 1] & 0xC0 == 0x80 { i += 2; continue }
            if (0xE1...0xEC).contains(lead) || lead == 0xEE || lead == 0xEF, i + 2 < chunk.count,
               chunk[i + 1] & 0xC0 == 0x80, chunk[i + 2] & 0xC0 == 0x80 { i += 3; continue }
            let length = Self.sequenceLength(chunk[i])
            if length == 0 { return i }
            if i + length > chunk.count {
                let tail = Array(chunk[i...])
                if Self.check(tail, at: 0, allowTruncated: true) == nil { carry = tail; return nil }
                return i
            }
            if Self.check(chunk, at: i, allowTruncated: false) != nil { return i }
            i += length
        }
        return nil
    }

    /// True when the input ended in the middle of a sequence.
    var hasPendingSequence: Bool { !carry.isEmpty }

    static func isValid(_ bytes: [UInt8], allowTruncatedEnd: Bool) -> Bool {
        var validator = UTF8Validator()
        let bad = bytes.withUnsafeBufferPointer { validator.firstInvalid(in: $0) }
        return bad == nil && (allowTruncatedEnd || !validator.hasPendingSequence)
    }

    static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    /// Validates one sequence (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
    /// Returns nil when valid.
    static func check<C: RandomAccessCollection>(_ bytes: C, at start: C.Index, allowTruncated: Bool) -> Int?
    where C.Element == UInt8, C.Index == Int {
        let lead = bytes[start]
        let length = sequenceLength(lead)
        if length == 0 { return start }
        for k in 1..<length {
            let index = start + k
            if index >= bytes.endIndex { return allowTruncated ? nil : start }
            let byte = bytes[index]
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            if k == 1 {
                switch lead {
                case 0xE0: low = 0xA0
                case 0xED: high = 0x9F
                case 0xF0: low = 0x90
                case 0xF4: high = 0x8F
                default: break
                }
            }
            if byte < low || byte > high { return start }
        }
        return nil
    }
}
