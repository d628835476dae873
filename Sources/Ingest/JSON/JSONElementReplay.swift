import CurateCore

/// Replays JSON written from XML by the usual mapping back as element events, so one handler
/// reads both forms of a response. The mapping (e-Stat API JSON, BadgerFish-like): a key is an
/// element; `@name` keys are its attributes; `$` is its text; an array is the element repeated; an
/// element that occurs once may come as a single value rather than an array of one; a string or
/// number alone is an element with that text and no attributes.
enum JSONElementReplay {
    static func replay(_ root: JSONNode, into handler: XMLEventHandler, file: String) throws {
        guard case .object(let object, _) = root, object.list.count == 1 else {
            throw CurateError(.jsonError, "expected one root element (an object with one key)", at: SourceLocation(file: file, row: root.line))
        }
        try element(object.list[0].key, object.list[0].value, line: root.line ?? 1, into: handler)
    }

    private static func element(_ name: String, _ node: JSONNode, line: Int, into handler: XMLEventHandler) throws {
        switch node {
        case .array(let items, _):
            for item in items { try element(name, item, line: line, into: handler) }
        case .object(let object, let ownLine):
            let members = object.list
            let attributes = members.compactMap { member -> XMLAttribute? in
                guard member.key.hasPrefix("@"), let value = member.value.text else { return nil }
                return XMLAttribute(localName: String(member.key.dropFirst()), namespace: nil, value: value)
            }
            try handler.startElement(name, namespace: nil, attributes: attributes, line: ownLine)
            for member in members where !member.key.hasPrefix("@") && member.key != "$" {
                try element(member.key, member.value, line: ownLine, into: handler)
            }
            if let text = node["$"]?.text { try handler.characters(text) }
            try handler.endElement(name, namespace: nil)
        case .null:
            try handler.startElement(name, namespace: nil, attributes: [], line: line)
            try handler.endElement(name, namespace: nil)
        default:
            try handler.startElement(name, namespace: nil, attributes: [], line: line)
            if let text = node.text { try handler.characters(text) }
            try handler.endElement(name, namespace: nil)
        }
    }
}
