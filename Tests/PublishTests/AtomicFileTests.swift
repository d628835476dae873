import Foundation
import Testing
@testable import Publish

/// A rerun leaves a published file alone only when the new one has exactly its bytes.
@Suite struct AtomicFileTests {
    @Test func sameContentsComparesEveryByte() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("same-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = dir + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        let big = (0..<(9 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 7) }   // three windows and a bit
        var lastDiffers = big; lastDiffers[lastDiffers.count - 1] ^= 1
        var middleDiffers = big; middleDiffers[5 << 20] ^= 1
        let a = try file("a", big), b = try file("b", big), c = try file("c", lastDiffers), d = try file("d", Array(big.dropLast()))
        #expect(AtomicFile.sameContents(a, b))
        #expect(!AtomicFile.sameContents(a, c), "the last byte differs")
        #expect(!AtomicFile.sameContents(a, try file("m", middleDiffers)), "a byte of the second window differs")
        #expect(!AtomicFile.sameContents(a, d), "one byte shorter")
        #expect(AtomicFile.sameContents(try file("e", []), try file("f", [])))
        #expect(!AtomicFile.sameContents(a, dir + "/missing"))
    }
}
