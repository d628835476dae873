import CurateCore

/// Writes RFC 4180 CSV the way downstream tools read it most reliably: UTF-8, LF, no BOM, a field
/// quoted only when it holds a comma, quote or line break.
public enum CSVWriter {
    public static func line(_ cells: [String]) -> String {
        cells.map(quoted).joined(separator: ",") + "\n"
    }

    public static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingAll("\"", with: "\"\"") + "\""
    }
}
