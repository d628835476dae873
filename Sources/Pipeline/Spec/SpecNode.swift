import Yams
import CurateCore

/// A YAML node that remembers its file and line, so every spec error names where to look.
struct SpecNode {
    let node: Node
    let file: String
    /// The key path from the document root, e.g. `shape.measures[1].unit`.
    let path: String

    var line: Int? { node.mark?.line }

    func error(_ message: String) -> CurateError {
        CurateError(.specError, (path.isEmpty ? "" : "\(path): ") + message,
                    at: SourceLocation(file: file, row: line, column: node.mark?.column))
    }

    /// The mapping's entries; a key not in `allowed` is an error naming the key and its line.
    func mapping(allowed: Set<String>) throws -> [String: SpecNode] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping") }
        var out: [String: SpecNode] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { throw error("keys must be text") }
            let child = SpecNode(node: valueNode, file: file, path: path.isEmpty ? key : "\(path).\(key)")
            guard allowed.contains(key) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw CurateError(.specError, "unknown key \(key.debugDescription) in \(path.isEmpty ? "spec" : path) (known: \(known))",
                                  at: SourceLocation(file: file, row: keyNode.mark?.line, column: keyNode.mark?.column, raw: key))
            }
            if out[key] != nil { throw child.error("key \(key) appears twice") }
            out[key] = child
        }
        return out
    }

    func sequence() throws -> [SpecNode] {
        guard case .sequence(let items) = node else { throw error("expected a list") }
        return items.enumerated().map { SpecNode(node: $1, file: file, path: "\(path)[\($0)]") }
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected text") }
        return scalar.string
    }

    func int() throws -> Int {
        guard let value = Int(try string()) else { throw error("expected a whole number, found \(try string().debugDescription)") }
        return value
    }

    func bool() throws -> Bool {
        switch try string() {
        case "true", "yes": return true
        case "false", "no": return false
        case let other: throw error("expected true or false, found \(other.debugDescription)")
        }
    }

    func strings() throws -> [String] { try sequence().map { try $0.string() } }

    func oneOf<T: RawRepresentable>(_ type: T.Type) throws -> T where T.RawValue == String, T: CaseIterable {
        let text = try string()
        guard let value = T(rawValue: text) else {
            throw error("\(text.debugDescription) is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension Dictionary where Key == String, Value == SpecNode {
    /// The child at `key`, or an error naming the missing key at the parent's line.
    func required(_ key: String, in parent: SpecNode) throws -> SpecNode {
        guard let child = self[key] else { throw parent.error("missing required key \(key)") }
        return child
    }
}
