import Foundation
import CurateCore

/// Checks a zip's central directory against the file before ZIPFoundation walks it.
///
/// ZIPFoundation 0.9.20 traps (the process dies) on a ZIP64 offset that does not fit in `off_t`,
/// so the offsets and sizes every entry declares — in the 32-bit fields or in their ZIP64 extra
/// field (APPNOTE.TXT 4.5.3) — must lie inside the file before it sees them. Reads only the end
/// records and the central directory entries ZIPFoundation will read, which `maxEntries` bounds.
enum ZipDirectoryCheck {
    static func check(path: String, maxEntries: Int) throws {
        func refuse(_ why: String) -> CurateError {
            CurateError(.zipError, "not a readable zip archive (XLSX): \(why)", at: SourceLocation(file: path))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CurateError(.ioError, "cannot read", at: SourceLocation(file: path)) }
        defer { try? handle.close() }
        let size = UInt64((try? handle.seekToEnd()) ?? 0)
        // The end of central directory record: 22 bytes plus a comment of at most 65,535.
        let tailLength = min(size, 22 + 65_535)
        try handle.seek(toOffset: size - tailLength)
        let tail = [UInt8](try handle.read(upToCount: Int(tailLength)) ?? Data())
        guard tail.count >= 22, let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: { tail.le32($0) == 0x0605_4b50 }) else {
            throw refuse("no end of central directory record")
        }
        var entries = UInt64(tail.le16(eocd + 10)), directorySize = UInt64(tail.le32(eocd + 12)), directoryOffset = UInt64(tail.le32(eocd + 16))
        if eocd >= 20, tail.le32(eocd - 20) == 0x0706_4b50 {
            // ZIP64 end of central directory locator → record.
            let recordOffset = tail.le64(eocd - 12)
            guard recordOffset <= size &- 56, recordOffset < size else { throw refuse("ZIP64 end record beyond the file") }
            try handle.seek(toOffset: recordOffset)
            let record = [UInt8](try handle.read(upToCount: 56) ?? Data())
            guard record.count == 56, record.le32(0) == 0x0606_4b50 else { throw refuse("bad ZIP64 end record") }
            entries = record.le64(32); directorySize = record.le64(40); directoryOffset = record.le64(48)
        }
        guard entries <= UInt64(maxEntries) else {
            throw CurateError(.zipLimit, "more than \(maxEntries) entries", at: SourceLocation(file: path))
        }
        guard directoryOffset <= size, directorySize <= size - directoryOffset else { throw refuse("central directory beyond the file") }
        // ZIPFoundation walks as many entries as the end record counts, from the directory's offset,
        // whatever the directory's declared size (fuzzing found a size of 0 hiding 33 entries), and
        // stops at the first that is not an entry: so does this check, reading each as it goes.
        var position = directoryOffset
        for _ in 0..<entries {
            guard position <= size &- 46, position < size else { break }
            try handle.seek(toOffset: position)
            let header = [UInt8](try handle.read(upToCount: 46) ?? Data())
            guard header.count == 46, header.le32(0) == 0x0201_4b50 else { break }
            let variable = Int(header.le16(28)) + Int(header.le16(30)) + Int(header.le16(32))
            let rest = [UInt8](try handle.read(upToCount: variable) ?? Data())
            guard rest.count == variable else { throw refuse("central directory entry cut short") }
            let directory = header + rest
            let at = 0
            position += UInt64(46 + variable)
            let nameLength = Int(directory.le16(at + 28)), extraLength = Int(directory.le16(at + 30))
            var compressed = UInt64(directory.le32(at + 20)), uncompressed = UInt64(directory.le32(at + 24)), local = UInt64(directory.le32(at + 42))
            // ZIP64 extra field: the 64-bit values of the fields whose 32-bit value is 0xFFFFFFFF, in order.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = directory.le16(extra), length = Int(directory.le16(extra + 2))
                guard extra + 4 + length <= extraEnd else { throw refuse("extra field cut short") }
                if id == 0x0001 {
                    var field = extra + 4
                    func next() throws -> UInt64 {
                        guard field + 8 <= extra + 4 + length else { throw refuse("ZIP64 extra field cut short") }
                        defer { field += 8 }
                        return directory.le64(field)
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = try next() }
                    if compressed == 0xFFFF_FFFF { compressed = try next() }
                    if local == 0xFFFF_FFFF { local = try next() }
                }
                extra += 4 + length
            }
            guard local < size, compressed <= size, local <= size - compressed else {
                throw refuse("an entry's data lies beyond the file (offset \(local), \(compressed) bytes, file \(size) bytes)")
            }
            _ = uncompressed   // inflated sizes are limited while inflating (XLSXArchive.Limits)
        }
    }
}

private extension Array where Element == UInt8 {
    func le16(_ i: Int) -> UInt16 { i + 2 <= count ? UInt16(self[i]) | UInt16(self[i + 1]) << 8 : 0 }
    func le32(_ i: Int) -> UInt32 { i + 4 <= count ? UInt32(le16(i)) | UInt32(le16(i + 2)) << 16 : 0 }
    func le64(_ i: Int) -> UInt64 { i + 8 <= count ? UInt64(le32(i)) | UInt64(le32(i + 4)) << 32 : 0 }
}
