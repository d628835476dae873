extension Sequence where Element == UInt8 {
    /// Two hex digits per byte: lowercase for digests, uppercase and spaced for bad bytes in messages.
    package func hexDigits(uppercase: Bool = false, separator: String = "") -> String {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        return map { String(decoding: [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]], as: UTF8.self) }
            .joined(separator: separator)
    }
}
