import Foundation
import CurateCore
import Crypto

/// The running executable's identity for incremental runs: a new build reruns every dataset.
enum CodeVersion {
    static let current: String = {
        let path = ProcessInfo.processInfo.arguments[0]
        let resolved = path.contains("/") ? path : "/proc/self/exe"
        guard let digest = hash((resolved as NSString).resolvingSymlinksInPath) ?? hash("/proc/self/exe") else {
            return "unknown-\(UUID().uuidString)"
        }
        return digest
    }()

    /// Hashed 1 MB at a time: the executable is about 100 MB, which read whole was most of a run's
    /// peak memory.
    private static func hash(_ path: String) -> String? {
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        var hasher = SHA256()
        do {
            while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        } catch { return nil }
        return hasher.finalize().prefix(8).hexDigits()
    }
}
