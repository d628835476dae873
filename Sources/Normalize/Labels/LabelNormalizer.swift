import Foundation

/// Puts a label in canonical form before it is matched against a code list: Unicode NFKC (which
/// widens half-width katakana and narrows full-width ASCII), trimmed of ASCII and ideographic
/// spaces, inner runs of spaces collapsed to one.
public enum LabelNormalizer {
    public static func normalize(_ label: String) -> String {
        let nfkc = label.precomposedStringWithCompatibilityMapping
        var out = ""
        var pendingSpace = false
        for c in nfkc {
            if c == " " || c == "\t" || c == "\u{3000}" || c == "\u{00A0}" || c == "\n" || c == "\r" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(c)
            }
        }
        return out
    }
}
