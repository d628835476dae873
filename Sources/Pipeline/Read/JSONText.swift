/// JSON written by hand: keys stay in header order (JSONSerialization would not keep it), and a
/// row is assembled as bytes, since `curate read` writes millions of them.
enum JSONText {
    static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func object(keys: [String], values: [String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(keys.count * 24)
        for (index, (key, value)) in zip(keys, values).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(key, to: &out)
            out.append(UInt8(ascii: ":"))
            append(value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal; text with nothing to escape is copied as it is.
    static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxLength(bytes.count)) { scratch in
                let end = put(bytes, at: scratch.baseAddress!)
                out.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress!, count: end - scratch.baseAddress!))
            }
        }
    }

    /// The most bytes `put` writes for `count` bytes of text: every byte as `\u00XX`, and the quotes.
    static func maxLength(_ count: Int) -> Int { 6 * count + 2 }

    /// Writes `bytes` (valid UTF-8) as a JSON string literal at `out`, which has room for
    /// `maxLength(bytes.count)`; returns where it ends. The one escaping rule of every JSON writer:
    /// quote, backslash and control characters escaped (`\n`, `\r`, `\t`, else `\u00XX`), the rest as it is.
    @inline(__always)
    static func put(_ bytes: UnsafeBufferPointer<UInt8>, at out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var out = out
        out[0] = UInt8(ascii: "\""); out += 1
        if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            if let base = bytes.baseAddress { out.update(from: base, count: bytes.count) }
            out += bytes.count
        } else {
            for byte in bytes { out = escape(byte, at: out) }
        }
        out[0] = UInt8(ascii: "\""); out += 1
        return out
    }

    private static func escape(_ byte: UInt8, at out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        func two(_ second: Character) -> UnsafeMutablePointer<UInt8> {
            out[0] = 0x5C; out[1] = UInt8(ascii: second.unicodeScalars.first!); return out + 2
        }
        switch byte {
        case UInt8(ascii: "\""): return two("\"")
        case UInt8(ascii: "\\"): return two("\\")
        case 0x0A: return two("n")
        case 0x0D: return two("r")
        case 0x09: return two("t")
        case 0..<0x20:
            let hex: StaticString = "0123456789abcdef"
            out[0] = 0x5C; out[1] = UInt8(ascii: "u"); out[2] = 0x30; out[3] = 0x30
            out[4] = hex.utf8Start[Int(byte >> 4)]; out[5] = hex.utf8Start[Int(byte & 0xF)]
            return out + 6
        default:
            out[0] = byte; return out + 1
        }
    }
}
