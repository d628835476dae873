/// Finding tags in a response's bytes without parsing it: the e-Stat and SDMX envelopes are
/// regular enough (STATUS, NEXT_KEY, DATA_INF, Footer) and a parse would hold the whole page.
extension Array where Element == UInt8 {
    /// memchr for the first byte, memcmp for the rest (memmem is not in Glibc's Swift module).
    func firstRange(of text: String, from start: Int = 0) -> Range<Int>? {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, start >= 0, start + needle.count <= count else { return nil }
        return withUnsafeBytes { hay -> Range<Int>? in
            needle.withUnsafeBytes { n -> Range<Int>? in
                let base = hay.baseAddress!
                var i = start
                while i + n.count <= hay.count {
                    guard let hit = memchr(base + i, Int32(n[0]), hay.count - i - n.count + 1) else { return nil }
                    i = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + i, n.baseAddress!, n.count) == 0 { return i..<(i + n.count) }
                    i += 1
                }
                return nil
            }
        }
    }

    func lastRange(of text: String) -> Range<Int>? {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, count >= needle.count else { return nil }
        var i = count - needle.count
        while i >= 0 {
            if self[i] == needle[0] && self[i..<(i + needle.count)].elementsEqual(needle) { return i..<(i + needle.count) }
            i -= 1
        }
        return nil
    }

    /// The text of the first `<tag>…</tag>` (no attributes), trimmed.
    func elementText(_ tag: String) -> String? {
        guard let open = firstRange(of: "<\(tag)>"), let close = firstRange(of: "</\(tag)>", from: open.upperBound) else { return nil }
        return String(decoding: self[open.upperBound..<close.lowerBound], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The range of the whole first `<tag>…</tag>` element.
    func elementRange(_ tag: String) -> Range<Int>? {
        guard let open = firstRange(of: "<\(tag)>"), let close = firstRange(of: "</\(tag)>", from: open.upperBound) else { return nil }
        return open.lowerBound..<close.upperBound
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
