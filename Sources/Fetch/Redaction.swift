/// Secrets never reach a file, a lock entry, a log line or a message: every URL curate shows goes
/// through `redacted`, and every e-Stat response through `scrub` before it is written.
struct Redaction: Sendable {
    /// The secret values to hide (the e-Stat application id); short values are ignored, so that
    /// scrubbing can never rewrite ordinary text.
    let secrets: [String]

    init(secrets: [String?]) { self.secrets = secrets.compactMap { $0 }.filter { $0.count >= 4 } }

    static let placeholder = "REDACTED"

    func redacted(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingAll($1, with: Self.placeholder) }
    }

    /// The bytes with each secret replaced; nil when none occurs (the usual case: bytes kept as served).
    func scrub(_ bytes: [UInt8]) -> [UInt8]? {
        var out = bytes
        var changed = false
        for secret in secrets {
            let needle = Array(secret.utf8), replacement = Array(Self.placeholder.utf8)
            var result: [UInt8] = []
            result.reserveCapacity(out.count)
            var i = 0
            while i < out.count {
                if out[i] == needle[0], i + needle.count <= out.count, out[i..<(i + needle.count)].elementsEqual(needle) {
                    result += replacement; i += needle.count; changed = true
                } else {
                    result.append(out[i]); i += 1
                }
            }
            out = result
        }
        return changed ? out : nil
    }
}

import CurateCore
