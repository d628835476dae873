/// Finds the unit note printed above a Japanese table: （単位：千円）, 単位:百万円, (十億円).
public enum UnitNote {
    /// The unit text inside the note (`千円`, `件、億円`), or nil when the line has none.
    public static func find(in line: String) -> String? {
        if let marker = line.range(of: "単位") {
            var rest = line[marker.upperBound...].drop(while: { "：: 　\t".contains($0) })
            if let close = rest.firstIndex(where: { $0 == "）" || $0 == ")" }) { rest = rest[..<close] }
            let unit = String(rest).trimmingWhitespace
            return unit.isEmpty ? nil : unit
        }
        let trimmed = line.trimmingWhitespace
        for (open, close) in [("（", "）"), ("(", ")")] where trimmed.hasPrefix(open) && trimmed.hasSuffix(close) {
            let inner = String(trimmed.dropFirst().dropLast()).trimmingWhitespace
            if !inner.isEmpty, inner.count <= 8, inner.last.map({ "円人件社機関ドル".contains($0) || inner.hasSuffix("ユーロ") }) == true {
                return inner
            }
        }
        return nil
    }
}
