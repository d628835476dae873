import Foundation

/// The one JSON form curate writes (packages, catalogue, releases, reports): pretty, sorted keys,
/// unescaped slashes and a final newline, so that the same content always gives the same bytes.
package enum CanonicalJSON {
    package static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
