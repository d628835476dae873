import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import CurateCore
@testable import Ingest

@Suite struct EncodingTests {
    @Test func decodesCP932AsWindowsDoes() throws {
        let rows = try records(fixture("csv/cp932-windows-extensions.csv"), encoding: .shiftJIS)
        let symbols = rows.dropFirst().map { $0.fields[1] }
        #expect(symbols == ["①", "㈱", "ⅰ", "ⅰ", "∵", "\u{FF5E}", "\u{FF0D}", "\u{FFE2}", "髙"])
        #expect(rows[0].fields == ["名称", "記号", "備考"])
        #expect(rows.map(\.line) == Array(1...10))
    }

    @Test func detectsCP932() throws {
        let reader = try CSVReader(path: fixture("csv/cp932-windows-extensions.csv"))
        #expect(reader.encoding == .shiftJIS)
    }

    @Test(arguments: ["cp932", "CP932", "windows-31j", "Shift_JIS", "sjis"])
    func encodingAliases(_ name: String) { #expect(TextEncoding(name: name) == .shiftJIS) }

    @Test func badCP932ByteIsAnEncodingErrorWithItsPlace() throws {
        let dir = try TemporaryDirectory()
        // line 2: "ab" then 0x81 0x20 (0x20 is not a valid trail byte) at byte offset 11
        let bytes: [UInt8] = Array("x,y\r\n".utf8) + Array("ab,".utf8) + [0x82, 0xA0] + [0x81, 0x20] + Array("\r\n".utf8)
        let file = try dir.write("bad.csv", bytes)
        #expect {
            _ = try records(file, encoding: .shiftJIS)
        } throws: { error in
            guard let e = error as? CurateError else { return false }
            return e.code == .encodingError && e.location?.row == 2 && e.location?.column == 5
                && e.message.contains("byte offset 10") && e.location?.raw?.hasPrefix("81 20") == true
        }
    }

    @Test func invalidUTF8IsAnEncodingErrorNeverReplacement() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("bad.csv", Array("a,b\nc,d\ne,f".utf8) + [0xC3, 0x28] + Array(",g\n".utf8))
        #expect {
            _ = try records(file, encoding: .utf8)
        } throws: { error in
            let e = error as? CurateError
            return e?.code == .encodingError && e?.location?.row == 3 && e?.location?.column == 4
                && e?.message.contains("byte offset 11") == true
        }
    }

    @Test(arguments: [
        [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0x80],
    ] as [[UInt8]])
    func rejectsOverlongsSurrogatesAndStrayBytes(_ bad: [UInt8]) {
        #expect(!UTF8Validator.isValid(Array("ok".utf8) + bad, allowTruncatedEnd: false))
    }

    @Test func truncatedUTF8AtEndOfFileIsAnError() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("cut.csv", Array("a,b\n1,".utf8) + [0xE6, 0x97])
        #expect(throws: CurateError.self) { _ = try records(file, encoding: .utf8) }
    }

    @Test func multibyteSequencesAcrossChunkBoundariesDecode() throws {
        let dir = try TemporaryDirectory()
        let line = "令和5年度,１，０２８,△12\n"
        let text = String(repeating: line, count: 40_000)   // > 1 MiB: several read chunks
        let utf8 = try dir.write("big-utf8.csv", text)
        let sjisBytes = try transcode(text, to: "CP932")
        let sjis = try dir.write("big-sjis.csv", sjisBytes)
        let eucBytes = try transcode(text, to: "EUC-JP")
        let euc = try dir.write("big-euc.csv", eucBytes)
        for (file, encoding) in [(utf8, TextEncoding.utf8), (sjis, .shiftJIS), (euc, .eucJP)] {
            let rows = try records(file, encoding: encoding)
            #expect(rows.count == 40_000)
            #expect(rows.allSatisfy { $0.fields == ["令和5年度", "１，０２８", "△12"] })
        }
        #expect(try CSVReader(path: euc).encoding == .eucJP)
        #expect(try CSVReader(path: sjis).encoding == .shiftJIS)
        #expect(try CSVReader(path: utf8).encoding == .utf8)
    }

    @Test func utf8BOMIsDroppedAndUTF16Decodes() throws {
        let dir = try TemporaryDirectory()
        let bom = try dir.write("bom.csv", [0xEF, 0xBB, 0xBF] + Array("年度,値\n2021,1\n".utf8))
        #expect(try records(bom).map(\.fields) == [["年度", "値"], ["2021", "1"]])
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "年度,値\r\n2021,1\r\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let file = try dir.write("utf16.csv", utf16)
        let reader = try CSVReader(path: file)
        #expect(reader.encoding == .utf16)
        #expect(try records(file).map(\.fields) == [["年度", "値"], ["2021", "1"]])
    }

    @Test func missingFileIsAnIOError() {
        #expect { _ = try CSVReader(path: "/nonexistent/file.csv") } throws: { ($0 as? CurateError)?.code == .ioError }
    }

    /// Encodes with iconv in the other direction (UTF-8 → legacy) than the decoder under test.
    private func transcode(_ text: String, to encoding: String) throws -> [UInt8] {
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
}
