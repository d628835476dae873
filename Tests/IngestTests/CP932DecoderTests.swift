#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Ingest

/// The table decoder must give exactly what glibc iconv gives, and fail at the same byte.
@Suite struct CP932DecoderTests {
    /// Every single byte and every lead-trail pair, decoded in one go and through iconv.
    @Test func everyCharacterDecodesAsIconvDoes() throws {
        var bytes: [UInt8] = []
        for b in 0x20..<0x80 { bytes.append(UInt8(b)) }
        for b in 0xA1...0xDF { bytes.append(UInt8(b)) }
        for lead in Array(0x81...0x9F) + Array(0xE0...0xFC) {
            for trail in 0x40...0xFC where iconvDecode([UInt8(lead), UInt8(trail)]).error == nil {
                bytes += [UInt8(lead), UInt8(trail)]
            }
        }
        let reference = iconvDecode(bytes)
        #expect(reference.error == nil)
        #expect(try decode(bytes, piece: bytes.count) == reference.utf8)
        #expect(String(decoding: try decode([0x81, 0x60, 0x81, 0x7C, 0x81, 0xCA, 0x87, 0x40], piece: 3), as: UTF8.self) == "\u{FF5E}\u{FF0D}\u{FFE2}①")
    }

    /// Random bytes, mostly valid: the same text up to the first bad byte, and the same offset.
    @Test func badBytesFailWhereIconvFails() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...64, using: &generator) {
                switch Int.random(in: 0..<10, using: &generator) {
                case 0: bytes.append(UInt8.random(in: 0x80...0xFF, using: &generator))
                case 1...4: bytes += [UInt8.random(in: 0x88...0x9F, using: &generator), UInt8.random(in: 0x40...0xFC, using: &generator)]
                default: bytes.append(UInt8.random(in: 0x20...0x7E, using: &generator))
                }
            }
            let reference = iconvDecode(bytes)
            for piece in [1, 2, 5, bytes.count] {
                do {
                    let got = try decode(bytes, piece: piece)
                    #expect(reference.error == nil && got == reference.utf8, "round \(round) piece \(piece): \(bytes)")
                } catch let CP932Decoder.Failure.invalid(offset), let CP932Decoder.Failure.truncated(offset) {
                    #expect(reference.error == offset, "round \(round) piece \(piece): \(bytes)")
                }
            }
        }
    }

    @Test func aCharacterCutAtEveryChunkEndDecodes() throws {
        let bytes: [UInt8] = [0x8A, 0xBF, 0x8E, 0x9A, 0x41, 0xB6, 0x82, 0xA0]   // 漢字Aｶあ
        for piece in 1...bytes.count {
            #expect(String(decoding: try decode(bytes, piece: piece), as: UTF8.self) == "漢字Aｶあ")
        }
    }

    @Test func aLeadByteAtTheEndIsTruncatedAtItsOffset() throws {
        #expect { _ = try decode([0x41, 0x42, 0x8A], piece: 2) } throws: { error in
            if case CP932Decoder.Failure.truncated(2) = error { return true }
            return false
        }
        // a lead byte ending one chunk and a bad trail starting the next: the lead's offset
        #expect { _ = try decode([0x41, 0x8A, 0x0A], piece: 2) } throws: { error in
            if case CP932Decoder.Failure.invalid(1) = error { return true }
            return false
        }
    }

    private func decode(_ bytes: [UInt8], piece: Int) throws -> [UInt8] {
        let decoder = try #require(CP932Decoder())
        var out: [UInt8] = []
        var start = 0
        repeat {
            let end = min(start + piece, bytes.count)
            try bytes[start..<end].withUnsafeBufferPointer { try decoder.convert($0, isLast: false) { out += $0 } }
            start = end
        } while start < bytes.count
        try [UInt8]().withUnsafeBufferPointer { try decoder.convert($0, isLast: true) { out += $0 } }
        return out
    }

    /// glibc iconv on the whole input: the text before the first error, and that error's offset.
    private func iconvDecode(_ bytes: [UInt8]) -> (utf8: [UInt8], error: Int?) {
        let handle = iconv_open("UTF-8", "CP932")!
        defer { iconv_close(handle) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        return input.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count, outLeft = outRaw.count
                let status = iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft)
                let produced = Array(outRaw[0..<(outRaw.count - outLeft)])
                return (produced, status == -1 ? inRaw.count - inLeft : nil)
            }
        }
    }
}
