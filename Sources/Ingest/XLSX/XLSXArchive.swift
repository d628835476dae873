import Foundation
import ZIPFoundation
import CurateCore

/// A spreadsheet's zip container, opened with limits so that a zip bomb is refused while it inflates.
///
/// Sizes declared in the zip directory can lie (a 200 MB entry declared as 1,000 bytes keeps
/// inflating), so every limit is enforced on the bytes actually received.
final class XLSXArchive {
    struct Limits: Sendable {
        var maxEntries = 10_000
        /// Largest inflated entry: a sheet of ~4 million rows is far below it.
        var maxEntryBytes = 4 << 30
        /// Inflated ÷ compressed, checked once an entry has produced `ratioGrace` bytes.
        var maxRatio = 200
        var ratioGrace = 16 << 20
    }

    let path: String
    let limits: Limits
    private let archive: Archive

    init(path: String, limits: Limits = Limits()) throws {
        self.path = path
        self.limits = limits
        try ZipDirectoryCheck.check(path: path, maxEntries: limits.maxEntries)
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw CurateError(.zipError, "not a readable zip archive (XLSX): \(error)", at: SourceLocation(file: path))
        }
        var count = 0
        for entry in archive {
            count += 1
            if count > limits.maxEntries {
                throw CurateError(.zipLimit, "more than \(limits.maxEntries) entries", at: SourceLocation(file: path))
            }
            let name = entry.path
            if name.hasPrefix("/") || name.hasPrefix("\\") || name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..") {
                throw CurateError(.zipError, "entry name \(name.debugDescription) leaves the archive", at: SourceLocation(file: path, raw: name))
            }
        }
    }

    func contains(_ name: String) -> Bool { archive[name] != nil }

    /// Streams an entry's inflated bytes to `body`, enforcing the limits on what arrives.
    func stream(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard let entry = archive[name] else {
            throw CurateError(.zipError, "the archive has no \(name)", at: SourceLocation(file: path, raw: name))
        }
        var received = 0
        let declared = entry.uncompressedSize
        let compressed = max(Int(entry.compressedSize), 1)
        // An entry that says it inflates beyond the limits is refused before a byte is inflated; one
        // that lies about its size is stopped once it passes what it declared.
        if declared > UInt64(limits.maxEntryBytes) || (declared > UInt64(limits.ratioGrace) && declared / UInt64(compressed) > UInt64(limits.maxRatio)) {
            throw CurateError(.zipLimit, "\(name) declares \(declared) bytes from \(compressed) compressed: beyond the limits", at: SourceLocation(file: path, raw: name))
        }
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { data in
                received += data.count
                if received > self.limits.maxEntryBytes {
                    throw CurateError(.zipLimit, "\(name) inflates beyond \(self.limits.maxEntryBytes) bytes", at: SourceLocation(file: self.path, raw: name))
                }
                if UInt64(received) > declared {
                    throw CurateError(.zipLimit, "\(name) inflates beyond its declared size of \(declared) bytes", at: SourceLocation(file: self.path, raw: name))
                }
                if received > self.limits.ratioGrace && received / compressed > self.limits.maxRatio {
                    throw CurateError(.zipLimit, "\(name) inflates more than \(self.limits.maxRatio)× its compressed size", at: SourceLocation(file: self.path, raw: name))
                }
                try data.withUnsafeBytes { try body($0.bindMemory(to: UInt8.self)) }
            }
        } catch let error as CurateError {
            throw error
        } catch {
            throw CurateError(.zipError, "cannot inflate \(name): \(error)", at: SourceLocation(file: path, raw: name))
        }
    }

    /// Parses an XML entry with the project's safe SAX parser.
    func parseXML(_ name: String, handler: XMLEventHandler) throws {
        let parser = try XMLPushParser(handler: handler, file: path + "#" + name)
        try stream(name) { try parser.feed($0, isLast: false) }
        try [UInt8]().withUnsafeBufferPointer { try parser.feed($0, isLast: true) }
    }
}
