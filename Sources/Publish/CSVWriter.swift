import CurateCore

/// Writes RFC 4180 CSV the way downstream tools read it most reliably: UTF-8, LF, no BOM, a field
/// quoted only when it holds a comma, quote or line break.
public enum CSVWriter {
    public static func line(_ cells: [String]) -> String {
        cells.map(quoted).joined(separator: ",") + "\n"
    }

    public static func quoted(_ cell: String) -> String {
        // A byte scan: this runs for every cell of every published row.
        guard cell.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return cell }
        var out: [UInt8] = [0x22]
        for byte in cell.utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }
}
