import Foundation

/// A code list kept as data (Pipelines/reference/codelists/*.yaml): codes with their label and
/// the other spellings sources use. Labels are matched after `LabelNormalizer`.
public struct CodeList: Sendable, Codable {
    public struct Code: Sendable, Codable, Equatable {
        public var code: String
        public var label: String
        public var aliases: [String]?
        /// A grouping (e.g. an obstacle's group, a prefecture's region), when the list has one.
        public var group: String?

        public init(code: String, label: String, aliases: [String]? = nil, group: String? = nil) {
            self.code = code; self.label = label; self.aliases = aliases; self.group = group
        }
    }

    public var id: String
    public var title: String
    /// Where the list comes from (a standard, a publication).
    public var source: String
    public var codes: [Code]

    /// Normalised label, alias or code → code; built once.
    private let index: [String: Code]

    private enum CodingKeys: String, CodingKey { case id, title, source, codes }

    public init(id: String, title: String, source: String, codes: [Code]) {
        self.id = id; self.title = title; self.source = source; self.codes = codes
        index = Self.makeIndex(codes)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), title: try c.decode(String.self, forKey: .title),
                  source: try c.decode(String.self, forKey: .source), codes: try c.decode([Code].self, forKey: .codes))
    }

    public enum Failure: Error, Equatable, Sendable {
        /// No code has this label; the nearest labels, best first.
        case unknown(label: String, suggestions: [String])
    }

    /// The code of a label (or of a code given as is).
    public func lookup(_ label: String) -> Result<Code, Failure> {
        let key = LabelNormalizer.normalize(label)
        if let code = index[key] { return .success(code) }
        return .failure(.unknown(label: label, suggestions: nearest(key)))
    }

    private static func makeIndex(_ codes: [Code]) -> [String: Code] {
        var out: [String: Code] = [:]
        for code in codes {
            for name in [code.code, code.label] + (code.aliases ?? []) where out[LabelNormalizer.normalize(name)] == nil {
                out[LabelNormalizer.normalize(name)] = code
            }
        }
        return out
    }

    /// Up to three labels closest by edit distance (and sharing a character), as `label (code)`.
    private func nearest(_ key: String) -> [String] {
        let scored = codes.map { code -> (Int, String) in
            let names = [code.label] + (code.aliases ?? [])
            let best = names.map { Self.distance(LabelNormalizer.normalize($0), key) }.min() ?? .max
            return (best, "\(code.label) (\(code.code))")
        }
        let limit = max(2, key.count / 2 + 1)
        return scored.filter { $0.0 <= limit }.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.prefix(3).map(\.1)
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
