#if canImport(Glibc)
import Glibc
#endif
import Testing
import CurateCore
@testable import Ingest

/// The byte representation of records: fields as ranges in the parser's window, cut across chunks.
@Suite struct ByteRecordTests {
    /// Texts whose every tricky part (a field, a quote, `""`, CRLF, a quoted newline, text after a
    /// closing quote, a multibyte character) is cut at every possible place.
    static let texts = [
        "year,area,value\r\n2021,\"東京, 都\",\"1,234\"\r\n2022,大阪,\"say \"\"hi\"\"\"\r\n",
        "a,\"multi\r\nline\",c\rd,\"ab\"cd,e\n\n\"\"\"\",x",
        "\"crlf\r\ninside\",x\r\ny,\"\"\r\n",
        "only,one,record,no,newline",
    ]

    @Test(arguments: texts.indices)
    func everySplitGivesTheSameRecords(_ index: Int) throws {
        let bytes = Array(Self.texts[index].utf8)
        let whole = try parse(bytes, piece: bytes.count)
        for cut in 0...bytes.count {
            let got = try parseInTwo(bytes, at: cut)
            #expect(got == whole, "cut at \(cut)")
        }
        for piece in 1...9 {
            #expect(try parse(bytes, piece: piece) == whole, "piece \(piece)")
        }
    }

    @Test func aRecordLongerThanTheWindowGrowsIt() throws {
        let field = String(repeating: "長い値", count: 5000)
        let text = "a,\"\(field)\"\"x\",b\r\nc,d\r\n"
        let parser = CSVParser(delimiter: UInt8(ascii: ","), capacity: 16)
        var out: [RawRecord] = []
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: 100) {
            try bytes[start..<min(start + 100, bytes.count)].withUnsafeBufferPointer { try parser.feed($0) { out.append($0) } }
        }
        try parser.finish(file: "t.csv") { out.append($0) }
        #expect(out == [RawRecord(line: 1, fields: ["a", field + "\"x", "b"]), RawRecord(line: 2, fields: ["c", "d"])])
    }

    @Test func byteViewsMatchTheStrings() throws {
        let text = "\"\",,\n,\"x\"\"y\",z\n"
        let parser = CSVParser(delimiter: UInt8(ascii: ","))
        var checked = 0
        Array(text.utf8).withUnsafeBufferPointer { parser.append($0) }
        let check: (ByteRecord) -> Void = { record in
            if record.line == 1 {
                #expect(record.isBlank && record.count == 3 && record.firstNonEmpty == nil)
            } else {
                #expect(!record.isBlank && record.count == 3)
                #expect(record.firstNonEmpty.map { String(decoding: $0, as: UTF8.self) } == "x\"y")
                #expect(record.raw == RawRecord(line: 2, fields: ["", "x\"y", "z"]))
                record.raw.withByteRecord { packed in
                    #expect(packed.raw == record.raw && packed.line == 2 && !packed.isBlank)
                }
            }
            checked += 1
        }
        try parser.parse(emit: check)
        try parser.finish(file: "t.csv", emit: check)
        #expect(checked == 2)
        RawRecord(line: 7, fields: []).withByteRecord { #expect($0.count == 0 && $0.isBlank && $0.line == 7) }
    }

    @Test func aFieldOverTheLimitIsACSVLimitErrorEvenAcrossChunks() throws {
        let parser = CSVParser(delimiter: UInt8(ascii: ","))
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        #expect {
            try Array("a,b\nc,".utf8).withUnsafeBufferPointer { try parser.feed($0) { _ in } }
            for _ in 0..<17 { try chunk.withUnsafeBufferPointer { try parser.feed($0) { _ in } } }
        } throws: { error in
            let e = error as? CurateError
            return e?.code == .csvLimit && e?.location?.row == 2 && e?.location?.column == 2
        }
    }

    @Test func tooManyFieldsIsACSVLimitError() throws {
        let text = String(repeating: ",", count: CSVParser.maxFields) + "\n"
        #expect {
            _ = try parse(Array(text.utf8), piece: 4096)
        } throws: { ($0 as? CurateError)?.code == .csvLimit }
        // exactly the limit is fine
        let fits = String(repeating: ",", count: CSVParser.maxFields - 1) + "\n"
        #expect(try parse(Array(fits.utf8), piece: 4096).first?.fields.count == CSVParser.maxFields)
    }

    /// Through the whole reader: a CRLF, a quote and a CP932 character placed exactly on the
    /// read-chunk boundary.
    @Test(arguments: Array(-3...6))
    func readerChunkBoundaries(_ shift: Int) throws {
        let dir = try TemporaryDirectory()
        let boundary = TextDecoder.chunkSize
        let head = "h1,h2\r\n"
        let padding = String(repeating: "p", count: boundary - head.utf8.count - 6 + shift)
        let text = head + padding + ",x\r\n\"q\"\"\",\"y\"\r\n" + "漢字,ｶﾅ\r\n"
        let utf8 = try dir.write("b.csv", text)
        let expected = [["h1", "h2"], [padding, "x"], ["q\"", "y"], ["漢字", "ｶﾅ"]]
        #expect(try records(utf8, encoding: .utf8).map(\.fields) == expected)
        // CP932: the kanji (2 bytes each) moved over the boundary byte by byte
        for extra in 0..<4 {
            let sjisText = head + String(repeating: "p", count: boundary - head.utf8.count - 2 + shift - extra) + ",漢字,ｶﾅ,ok\r\n"
            let file = try dir.write("s\(extra).csv", try encode(sjisText, "CP932"))
            let rows = try records(file, encoding: .shiftJIS)
            #expect(rows.count == 2 && rows[1].fields.dropFirst() == ["漢字", "ｶﾅ", "ok"])
        }
    }

    // MARK: helpers

    private func parseInTwo(_ bytes: [UInt8], at cut: Int) throws -> [RawRecord] {
        let parser = CSVParser(delimiter: UInt8(ascii: ","), capacity: 16)
        var out: [RawRecord] = []
        try bytes[..<cut].withUnsafeBufferPointer { try parser.feed($0) { out.append($0) } }
        try bytes[cut...].withUnsafeBufferPointer { try parser.feed($0) { out.append($0) } }
        try parser.finish(file: "t.csv") { out.append($0) }
        return out
    }
}

/// UTF-8 text in a legacy encoding, by iconv.
func encode(_ text: String, _ encoding: String) throws -> [UInt8] {
    let handle = try #require(iconv_open(encoding, "UTF-8"))
    defer { iconv_close(handle) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    let produced = input.withUnsafeMutableBytes { inRaw in
        output.withUnsafeMutableBytes { outRaw in
            var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var inLeft = inRaw.count, outLeft = outRaw.count
            let status = iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft)
            return status == -1 ? -1 : outRaw.count - outLeft
        }
    }
    try #require(produced >= 0)
    return Array(output[..<produced])
}

/// UTF-8 validation with its inline fast paths, cut at every place.
@Suite struct UTF8ValidatorSplitTests {
    static let text = Array("ab令和5年度é,𝟘x\r\nｶﾅ-—end12345678".utf8)

    @Test func validTextCutAnywhereIsValid() {
        for cut in 0...Self.text.count {
            var validator = UTF8Validator()
            let first = Self.text[..<cut].withUnsafeBufferPointer { validator.firstInvalid(in: $0) }
            let second = Self.text[cut...].withUnsafeBufferPointer { validator.firstInvalid(in: $0) }
            #expect(first == nil && second == nil && !validator.hasPendingSequence, "cut at \(cut)")
        }
    }

    @Test(arguments: [[0xE3, 0x28, 0xA1], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xE6, 0x97, 0x41], [0xC3, 0x41]] as [[UInt8]])
    func aBadSequenceIsFoundAtItsOffsetWhereverTheCut(_ bad: [UInt8]) {
        for at in [0, 2, 5, 9] {
            let bytes = Array(Self.text[..<at]) + bad + Self.text[at...]
            for cut in 0...bytes.count {
                var validator = UTF8Validator()
                var found: Int?
                if let i = bytes[..<cut].withUnsafeBufferPointer({ validator.firstInvalid(in: $0) }) { found = i }
                else if let i = bytes[cut...].withUnsafeBufferPointer({ validator.firstInvalid(in: $0) }) { found = cut + i }
                // a sequence started before the cut is reported at the start of the second piece
                #expect(found == at || (found == cut && cut > at && cut < at + bad.count), "bad at \(at), cut at \(cut)")
            }
        }
    }
}
