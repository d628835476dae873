import Foundation
import CurateCore
import Pipeline

/// The running executable's identity for incremental runs: a new build reruns every dataset.
enum CodeVersion {
    static let current: String = {
        let path = ProcessInfo.processInfo.arguments[0]
        let resolved = path.contains("/") ? path : "/proc/self/exe"
        // Streamed (one chunk in memory): the executable is about 100 MB.
        guard let hash = (try? SourceLock.sha256(ofFile: (resolved as NSString).resolvingSymlinksInPath))
                ?? (try? SourceLock.sha256(ofFile: "/proc/self/exe")) else { return "unknown-\(UUID().uuidString)" }
        return String(hash.digest.prefix(16))
    }()
}
