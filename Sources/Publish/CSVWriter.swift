import CurateCore

/// Writes RFC 4180 CSV the way downstream tools read it most reliably: UTF-8, LF, no BOM, a field
/// quoted only when it holds a comma, quote or line break.
public enum CSVWriter {
    public static func line(_ cells: [String]) -> String {
        cells.map(quoted).joined(separator: ",") + "\n"
    }

    public static func quoted(_ cell: String) -> String {
        // A byte scan: this runs for every cell of every published row.
        guard CSVBytes.needsQuotes(cell.utf8) else { return cell }
        var out: [UInt8] = []
        CSVBytes.append(cell, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
