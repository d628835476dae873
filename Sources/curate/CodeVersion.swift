import Foundation
import CurateCore
import Crypto

/// The running executable's identity for incremental runs: a new build reruns every dataset.
enum CodeVersion {
    static let current: String = {
        let path = ProcessInfo.processInfo.arguments[0]
        let resolved = path.contains("/") ? path : "/proc/self/exe"
        guard let data = FileManager.default.contents(atPath: (resolved as NSString).resolvingSymlinksInPath)
                ?? FileManager.default.contents(atPath: "/proc/self/exe") else { return "unknown-\(UUID().uuidString)" }
        return SHA256.hash(data: data).prefix(8).hexDigits()
    }()
}
