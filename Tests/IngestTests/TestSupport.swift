import Foundation
import Testing
@testable import Ingest

/// A fresh folder per test, removed afterwards.
final class TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "curate-ingest-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}

func fixture(_ name: String) -> String {
    Bundle.module.path(forResource: "Fixtures/" + name, ofType: nil)!
}

func records(_ path: String, encoding: TextEncoding? = nil, delimiter: Character? = nil) throws -> [RawRecord] {
    var out: [RawRecord] = []
    try CSVReader(path: path, encoding: encoding, delimiter: delimiter).forEachRecord { out.append($0) }
    return out
}

/// Parses `bytes` fed in pieces of `piece` bytes, to test records that cross chunk boundaries.
func parse(_ bytes: [UInt8], piece: Int, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [RawRecord] {
    let parser = CSVParser(delimiter: delimiter)
    var out: [RawRecord] = []
    var start = 0
    while start < bytes.count {
        let end = min(start + piece, bytes.count)
        try bytes[start..<end].withUnsafeBufferPointer { try parser.feed($0) { out.append($0) } }
        start = end
    }
    try parser.finish(file: "test.csv") { out.append($0) }
    return out
}
