extension String {
    /// Trims ASCII whitespace, NBSP and the ideographic space U+3000 that Japanese tables pad with.
    package var trimmingWhitespace: String {
        // Most cells have nothing to trim: decided from the first and last bytes, with no Character work.
        if let first = utf8.first, let last = utf8.last, !Self.startsSpace(first), !endsWithSpace(last) { return self }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" || $0 == "\u{00A0}" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...lastIndex(where: { !isSpace($0) })!])
    }

    /// A byte that can begin a space the trim removes: ASCII space or tab, U+3000 (E3 80 80), NBSP (C2 A0).
    private static func startsSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0xE3 || b == 0xC2 }

    private func endsWithSpace(_ last: UInt8) -> Bool {
        switch last {
        case 0x20, 0x09: return true
        case 0x80: return utf8.reversed().prefix(3).elementsEqual([0x80, 0x80, 0xE3])
        case 0xA0: return utf8.reversed().prefix(2).elementsEqual([0xA0, 0xC2])
        default: return false
        }
    }
}
