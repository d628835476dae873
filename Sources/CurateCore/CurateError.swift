/// An operational failure: the run cannot go on (unreadable file, bad spec, lock held).
/// Bad *data* is a `Finding` instead. The description reads `[code] place: message`.
public struct CurateError: Error, Sendable, CustomStringConvertible, Codable {
    public var code: IssueCode
    public var message: String
    public var location: SourceLocation?

    public init(_ code: IssueCode, _ message: String, at location: SourceLocation? = nil) {
        self.code = code; self.message = message; self.location = location
    }

    public var description: String {
        if let location { return "[\(code.rawValue)] \(location): \(message)" }
        return "[\(code.rawValue)] \(message)"
    }
}
