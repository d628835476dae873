import CurateCore

/// A scan of a spec's YAML bytes before Yams sees them, so that a hostile spec is refused before
/// anything is built or hashed.
///
/// Yams resolves aliases while composing and hashes mapping keys: a 448-byte alias bomb used as a
/// key (`{? [&a [x,x], &b [*a,*a], …] : 1}`) sends it into hashing 9^9 nodes; a deep `[[[[…` nesting
/// recurses once per level; memory grows ~35 bytes per byte of YAML. So the scan refuses anchors and
/// aliases outright (a pipeline spec has no use for them), and bounds the node count and nesting.
/// It is a tokenizer's first pass, not a parser: it finds where nodes start (after indentation,
/// `- `, `? `, `: `, `[`, `{`, `,`) and skips quoted scalars, block scalars and comments, so that an
/// `&` or `*` inside text is not mistaken for one. Anything it lets through, Yams still checks.
struct YAMLPreflight {
    var maxNodes = 100_000
    /// Indentation + block indicators on a line + flow nesting.
    var maxDepth = 256

    func check(_ bytes: [UInt8], file: String) throws {
        let n = bytes.count
        var i = 0, line = 1, lineStart = 0
        var flow = 0, nodes = 0, indicators = 0, indent = 0
        var nodeStart = true, atLineStart = true
        var blockScalarIndent: Int?

        func refuse(_ message: String, at offset: Int) -> CurateError {
            let position = min(offset, n)
            let raw = String(decoding: bytes[position..<min(n, position + 20)].prefix { $0 != 10 }, as: UTF8.self)
            return CurateError(.specError, message, at: SourceLocation(file: file, row: line, column: position - lineStart + 1, raw: raw))
        }
        func isBreak(_ j: Int) -> Bool { j >= n || bytes[j] == 10 || bytes[j] == 13 }
        func isBlank(_ j: Int) -> Bool { isBreak(j) || bytes[j] == 32 || bytes[j] == 9 }
        func countNode(at position: Int) throws {
            nodes += 1
            if nodes > maxNodes { throw refuse("more than \(maxNodes) YAML nodes: too large for a pipeline spec", at: position) }
        }
        func checkDepth(at position: Int) throws {
            if indent + indicators + flow > maxDepth {
                throw refuse("YAML nested more than \(maxDepth) levels deep: too deep for a pipeline spec", at: position)
            }
        }

        while i < n {
            if atLineStart {
                atLineStart = false
                var j = i
                while j < n && bytes[j] == 32 { j += 1 }
                indent = j - i
                indicators = 0
                if let parent = blockScalarIndent {
                    if isBreak(j) || indent > parent {   // a block scalar's content line: text, not YAML
                        while i < n && bytes[i] != 10 { i += 1 }
                        if i < n { i += 1; line += 1; lineStart = i; atLineStart = true }
                        continue
                    }
                    blockScalarIndent = nil
                }
                i = j
                nodeStart = true
                try checkDepth(at: i)
                continue
            }
            let c = bytes[i]
            switch c {
            case 10:
                i += 1; line += 1; lineStart = i; atLineStart = true
                continue
            case 32, 9, 13:
                i += 1
                continue
            case UInt8(ascii: "#"):   // only reached at a token boundary, so it starts a comment
                while i < n && bytes[i] != 10 { i += 1 }
                continue
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                flow = max(0, flow - 1); nodeStart = false; i += 1
                continue
            case UInt8(ascii: ",") where flow > 0:
                nodeStart = true; i += 1
                continue
            default: break
            }
            guard nodeStart else {
                if c == UInt8(ascii: ":") && (isBlank(i + 1) || (flow > 0 && [44, 93, 125].contains(bytes[i + 1]))) { nodeStart = true }
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: "&"):
                throw refuse("YAML anchors (&name) are not allowed in a pipeline spec", at: i)
            case UInt8(ascii: "*"):
                throw refuse("YAML aliases (*name) are not allowed in a pipeline spec", at: i)
            case _ where (c == UInt8(ascii: "-") || c == UInt8(ascii: "?") || c == UInt8(ascii: ":")) && isBlank(i + 1):
                indicators += 1; i += 1
                try checkDepth(at: i)
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                try countNode(at: i)
                flow += 1; i += 1
                try checkDepth(at: i)
            case UInt8(ascii: "!"):   // a tag: the node follows it
                while !isBlank(i) { i += 1 }
            case UInt8(ascii: "\""):
                try countNode(at: i)
                i += 1
                while i < n && bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") { i += 1 } else if bytes[i] == 10 { line += 1 }
                    i += 1
                }
                i += 1; nodeStart = false
            case UInt8(ascii: "'"):
                try countNode(at: i)
                i += 1
                while i < n {
                    if bytes[i] == UInt8(ascii: "'") {
                        if i + 1 < n && bytes[i + 1] == UInt8(ascii: "'") { i += 2; continue }
                        break
                    }
                    if bytes[i] == 10 { line += 1 }
                    i += 1
                }
                i += 1; nodeStart = false
            case _ where (c == UInt8(ascii: "|") || c == UInt8(ascii: ">")) && flow == 0:
                try countNode(at: i)
                blockScalarIndent = indent
                while i < n && bytes[i] != 10 { i += 1 }
            default:   // a plain scalar: up to `: `, ` #`, the end of the line, or a flow indicator
                try countNode(at: i)
                while i < n && bytes[i] != 10 {
                    let b = bytes[i]
                    if b == UInt8(ascii: ":") && (isBlank(i + 1) || (flow > 0 && [44, 93, 125].contains(bytes[i + 1]))) { break }
                    if b == UInt8(ascii: "#") && i > 0 && (bytes[i - 1] == 32 || bytes[i - 1] == 9) { break }
                    if flow > 0 && [44, 91, 93, 123, 125].contains(b) { break }
                    i += 1
                }
                nodeStart = false
            }
        }
    }
}
