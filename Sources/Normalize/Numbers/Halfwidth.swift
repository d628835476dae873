/// Folds the full-width forms Japanese tables use for digits and signs to ASCII
/// (the part of NFKC that matters for numbers, without touching other text).
enum Halfwidth {
    static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19, 0xFF0B, 0xFF0C, 0xFF0E, 0xFF05, 0xFF08, 0xFF09, 0xFF25, 0xFF45:
                out.append(Unicode.Scalar(scalar.value - 0xFEE0)!)   // ０-９ ＋ ， ． ％ （ ） Ｅ ｅ
            case 0xFF0D, 0x2212, 0x2010, 0x2011, 0x2012, 0x2013, 0xFE63:
                out.append("-")                                     // －, minus sign, hyphens
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// ASCII digits and `,` `.` as their full-width forms (for tests and for printing like a source).
    static func fullWidthDigits(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { s in
            ("0"..."9").contains(s) || s == "," || s == "." ? Unicode.Scalar(s.value + 0xFEE0)! : s
        }))
    }
}
