import Foundation
import Testing
@testable import Publish

/// The file is hashed and written on a background queue, three 256 kB buffers taking turns: what
/// lands on disk, its length and its SHA-256 must be exactly the bytes appended, in order.
@Suite struct HashingFileTests {
    @Test func bytesLengthAndDigestMatchWhatWasAppendedAcrossBuffers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashing-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try HashingFile(path: dir + "/out.bin")
        let total = 3_500_000
        var next = 0
        while next < total {
            try file.append { out in
                for i in next..<min(next + 1000, total) { out.append(UInt8(i % 251)) }
            }
            next += 1000
        }
        try file.close()
        // sha256 of bytes i % 251 for i in 0..<3,500,000, computed independently (Python's hashlib).
        #expect(file.digest() == "3e63f6c5d3d2c38bc809386d6ea822889b64bc953b427e398e77c29ebed2606d")
        #expect(file.bytes == total)
        let written = try Data(contentsOf: URL(fileURLWithPath: dir + "/out.bin"))
        #expect(written.count == total)
        #expect(written.enumerated().allSatisfy { $0.element == UInt8($0.offset % 251) })
    }

    @Test func aWriteThatFailsIsThrownNotLost() throws {
        // /dev/full accepts the open and fails every write with ENOSPC.
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let file = try HashingFile(path: "/dev/full")
        var thrown: Error?
        do {
            for _ in 0..<5 { try file.append { $0.append(contentsOf: [UInt8](repeating: 7, count: 1 << 20)) } }
            try file.close()
        } catch { thrown = error }
        #expect(thrown != nil)
    }
}
