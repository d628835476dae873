import Foundation
import Testing
@testable import ExternalSort
import CurateCore

/// A run file (one record larger than the writer's buffer) read back with buffers of every awkward
/// size (a length split across two reads, a record larger than the buffer, empty keys and payloads)
/// gives back exactly what was written, and a run cut inside a record is an error, not a shorter run.
@Suite struct RunFileTests {
    @Test func recordsComeBackWhateverTheBufferSize() throws {
        let dir = try ExternalSorterTests.folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.bin"
        var rng = SystemRandomNumberGenerator()
        var records: [(key: [UInt8], payload: [UInt8])] = []
        for i in 0..<400 {
            let key = (0..<Int.random(in: 0...(i % 50 == 0 ? 300 : 40), using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let payload = (0..<Int.random(in: 0...(i % 37 == 0 ? 5_000 : 120), using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            records.append((key, payload))
        }
        // Larger than the writer's buffer: written straight through.
        records.insert((Array("big".utf8), (0..<(1 << 20) + 4_321).map { UInt8(truncatingIfNeeded: $0 &* 31) }), at: 200)
        records.append((Array("last".utf8), Array("its payload".utf8)))   // what the cut below falls inside
        let writer = try RunWriter(path: path)
        for r in records { try r.key.withUnsafeBytes { k in try r.payload.withUnsafeBytes { try writer.write(key: k, payload: $0) } } }
        try writer.close()

        for size in [16, 17, 64, 129, 1000, 1 << 20] {
            let reader = try RunReader(path: path, bufferSize: size)
            var read: [(key: [UInt8], payload: [UInt8])] = []
            while try reader.advance() { read.append((Array(reader.key), Array(reader.payload))) }
            #expect(read.count == records.count, "buffer \(size)")
            #expect(zip(read, records).allSatisfy { $0.key == $1.key && $0.payload == $1.payload }, "buffer \(size)")
        }

        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: path))
        let reader = try RunReader(path: path, bufferSize: 64)
        #expect(throws: CurateError.self) { while try reader.advance() {} }
    }
}
