import Foundation
import CurateCore

/// Reads back, one record at a time on demand, the CSV that `CSVWriter` writes (UTF-8, LF, a field
/// quoted only when it must be): a pull reader, so that a release's data.csv and lineage.csv —
/// written from one stream in the same row order — can be read side by side in step.
public final class CSVLineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    public let path: String

    public init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CurateError(.ioError, "cannot open \(path)", at: SourceLocation(file: path))
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    private func fill() throws -> Bool {
        if atEnd { return false }
        guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else { atEnd = true; return false }
        buffer.removeFirst(position)
        position = 0
        buffer.append(contentsOf: data)
        return true
    }

    /// The next record's fields, or nil at the end of the file.
    public func next() throws -> [String]? {
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false, started = false
        while true {
            if position == buffer.count {
                guard try fill() else {
                    if !started && field.isEmpty && fields.isEmpty { return nil }
                    fields.append(String(decoding: field, as: UTF8.self))
                    return fields
                }
            }
            let byte = buffer[position]
            position += 1
            started = true
            if quoted {
                if byte == 0x22 {
                    if position == buffer.count { _ = try fill() }
                    if position < buffer.count && buffer[position] == 0x22 { field.append(0x22); position += 1 } else { quoted = false }
                } else { field.append(byte) }
            } else if byte == 0x22 {
                quoted = true
            } else if byte == 0x2C {
                fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
            } else if byte == 0x0A {
                fields.append(String(decoding: field, as: UTF8.self))
                return fields
            } else {
                field.append(byte)
            }
        }
    }
}
