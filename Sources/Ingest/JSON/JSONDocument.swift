#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CurateCore

/// An object's members, in document order, behind a reference: a node's layout then never depends
/// on its members' (clean builds of the recursive enum with members inline reported "circular
/// reference" depending on the order the compiler met the files).
final class JSONMembers: @unchecked Sendable {
    let list: [(key: String, value: JSONNode)]
    init(_ list: [(key: String, value: JSONNode)]) { self.list = list }
}

/// A JSON value with object keys in document order and numbers as printed.
///
/// Foundation's JSONSerialization loses key order (which fixes the order of an observation's
/// fields) and turns `1.50` into 1.5; the JSON readers (e-Stat API, SDMX-JSON) need both kept, and
/// the line of each object for findings.
enum JSONNode {
    case object(JSONMembers, line: Int)
    case array([JSONNode], line: Int)
    case string(String)
    /// The number's text exactly as in the file.
    case number(String)
    case bool(Bool)
    case null

    subscript(key: String) -> JSONNode? {
        if case .object(let members, _) = self { return members.list.first { $0.key == key }?.value }
        return nil
    }

    /// Members of an object, in order; empty for anything else.
    var members: [(key: String, value: JSONNode)] {
        if case .object(let members, _) = self { return members.list }
        return []
    }

    /// The elements of an array; a single value is a list of one (JSON converted from XML writes an
    /// element that occurs once without the array); null is none.
    var list: [JSONNode] {
        switch self {
        case .array(let items, _): items
        case .null: []
        default: [self]
        }
    }

    /// Strings and numbers as text (a number as printed); nil for anything else.
    var text: String? {
        switch self {
        case .string(let s), .number(let s): s
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    /// The line where an object or array starts.
    var line: Int? {
        switch self {
        case .object(_, let line), .array(_, let line): line
        default: nil
        }
    }
}

/// Parses a whole JSON document (RFC 8259) into a `JSONNode` tree. The readers that use it need the
/// whole message (SDMX-JSON puts the structure after the data), so a file is bounded by `maxBytes`
/// and nesting by `maxDepth`: a hostile file is refused with `json-error`, never a crash.
struct JSONDocument {
    /// The largest JSON file read (an e-Stat page holds at most 100,000 values, about 20 MB).
    static let maxBytes = 512 << 20
    static let maxDepth = 128

    let root: JSONNode

    init(path: String) throws {
        var bytes: [UInt8] = []
        let source = try ByteSource(path: path, chunkSize: 1 << 20)
        while try source.nextChunk({ chunk in
            if bytes.count + chunk.count > Self.maxBytes {
                throw CurateError(.jsonError, "a JSON document larger than \(Self.maxBytes >> 20) MiB is refused", at: SourceLocation(file: path))
            }
            bytes.append(contentsOf: chunk)
        }) {}
        root = try Self.parse(bytes, file: path)
    }

    static func parse(_ bytes: [UInt8], file: String) throws -> JSONNode {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer, file: file)
            parser.skipBOM()
            parser.skipSpace()
            let value = try parser.value(depth: 0)
            parser.skipSpace()
            if parser.at < buffer.count { throw parser.error("text after the JSON value") }
            return value
        }
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        let file: String
        var at = 0
        var line = 1
        var lineStart = 0

        init(bytes: UnsafeBufferPointer<UInt8>, file: String) { self.bytes = bytes; self.file = file }

        func error(_ message: String) -> CurateError {
            let raw = at < bytes.count ? String(decoding: bytes[at..<min(bytes.count, at + 20)], as: UTF8.self) : nil
            return CurateError(.jsonError, message, at: SourceLocation(file: file, row: line, column: at - lineStart + 1, raw: raw))
        }

        mutating func skipBOM() {
            if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { at = 3 }
        }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x09, 0x0D: at += 1
                case 0x0A: at += 1; line += 1; lineStart = at
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws -> JSONNode {
            guard depth < JSONDocument.maxDepth else { throw error("JSON nested deeper than \(JSONDocument.maxDepth)") }
            guard at < bytes.count else { throw error("the JSON ends where a value was expected") }
            switch bytes[at] {
            case UInt8(ascii: "{"):
                let startLine = line
                at += 1
                var members: [(key: String, value: JSONNode)] = []
                skipSpace()
                if at < bytes.count && bytes[at] == UInt8(ascii: "}") { at += 1; return .object(JSONMembers(members), line: startLine) }
                while true {
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
                    let key = try string()
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
                    at += 1
                    skipSpace()
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard at < bytes.count else { throw error("an object is not closed") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(JSONMembers(members), line: startLine) }
                    throw error("expected ',' or '}' in an object")
                }
            case UInt8(ascii: "["):
                let startLine = line
                at += 1
                var items: [JSONNode] = []
                skipSpace()
                if at < bytes.count && bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items, line: startLine) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard at < bytes.count else { throw error("an array is not closed") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items, line: startLine) }
                    throw error("expected ',' or ']' in an array")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw error("not a JSON value")
            }
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard at + expected.count <= bytes.count, bytes[at..<(at + expected.count)].elementsEqual(expected) else {
                throw error("not a JSON value")
            }
            at += expected.count
        }

        mutating func number() throws -> String {
            let start = at
            if bytes[at] == UInt8(ascii: "-") { at += 1 }
            func digits() -> Int { let s = at; while at < bytes.count, (0x30...0x39).contains(bytes[at]) { at += 1 }; return at - s }
            guard digits() > 0 else { throw error("a number without digits") }
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") { at += 1; guard digits() > 0 else { throw error("a number without digits after '.'") } }
            if at < bytes.count, bytes[at] | 0x20 == UInt8(ascii: "e") {
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard digits() > 0 else { throw error("a number without an exponent") }
            }
            return String(decoding: bytes[start..<at], as: UTF8.self)
        }

        /// A string literal at `at` (on its opening quote), escapes decoded; `\u` pairs give one scalar.
        mutating func string() throws -> String {
            at += 1
            let start = at
            while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\"), bytes[at] >= 0x20 { at += 1 }
            guard at < bytes.count else { throw error("a string is not closed") }
            if bytes[at] == UInt8(ascii: "\"") {
                defer { at += 1 }
                return String(decoding: bytes[start..<at], as: UTF8.self)
            }
            var out = Array(bytes[start..<at])
            while true {
                guard at < bytes.count else { throw error("a string is not closed") }
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") { at += 1; return String(decoding: out, as: UTF8.self) }
                if byte < 0x20 { throw error("a control character inside a string") }
                if byte != UInt8(ascii: "\\") { out.append(byte); at += 1; continue }
                guard at + 1 < bytes.count else { throw error("a string is not closed") }
                at += 2
                switch bytes[at - 1] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") {
                        at += 2
                        let low = try hex4()
                        scalar = (0xDC00..<0xE000).contains(low) ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                    }
                    out.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
                default: at -= 1; throw error("an unknown escape in a string")
                }
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard at + 4 <= bytes.count else { throw error("a \\u escape without four hex digits") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[at]
                let digit: UInt8
                switch b {
                case 0x30...0x39: digit = b - 0x30
                case 0x41...0x46: digit = b - 0x41 + 10
                case 0x61...0x66: digit = b - 0x61 + 10
                default: throw error("a \\u escape without four hex digits")
                }
                value = value << 4 | UInt32(digit)
                at += 1
            }
            return value
        }
    }
}
