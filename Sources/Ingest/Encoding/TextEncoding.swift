import CurateCore

/// The text encodings government tables arrive in.
public enum TextEncoding: String, CaseIterable, Sendable, Codable {
    case utf8 = "utf-8"
    /// Shift_JIS as Windows decodes it (CP932: NEC and IBM extensions, 0x8160 → U+FF5E).
    case shiftJIS = "shift_jis"
    case eucJP = "euc-jp"
    case utf16 = "utf-16"

    /// Accepts the names stewards and other tools use: `cp932`, `windows-31j`, `sjis`, `utf8`, …
    public init?(name: String) {
        switch name.lowercased().replacingAll("_", with: "-") {
        case "utf-8", "utf8", "utf-8-sig": self = .utf8
        case "shift-jis", "shiftjis", "sjis", "cp932", "windows-31j", "ms932", "ms-kanji": self = .shiftJIS
        case "euc-jp", "eucjp": self = .eucJP
        case "utf-16", "utf16", "utf-16le", "utf-16be": self = .utf16
        default: return nil
        }
    }

    /// The glibc iconv name; CP932 rather than SHIFT_JIS so that decoding matches Windows.
    var iconvName: String {
        switch self {
        case .utf8: "UTF-8"
        case .shiftJIS: "CP932"
        case .eucJP: "EUC-JP"
        case .utf16: "UTF-16"
        }
    }
}
