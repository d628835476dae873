import CurateCore

/// The parts of a workbook a sheet reader needs: sheet names and paths, shared strings, which
/// cell styles are dates, and the date system. (ECMA-376 Part 1, SpreadsheetML.)
struct XLSXWorkbook {
    var sheets: [(name: String, path: String)] = []
    var sharedStrings: [String] = []
    /// Indexes into `cellXfs` whose number format shows a date or time.
    var dateStyles: Set<Int> = []
    var date1904 = false

    init(archive: XLSXArchive) throws {
        let workbook = WorkbookHandler()
        try archive.parseXML("xl/workbook.xml", handler: workbook)
        date1904 = workbook.date1904
        let rels = RelationshipsHandler()
        if archive.contains("xl/_rels/workbook.xml.rels") { try archive.parseXML("xl/_rels/workbook.xml.rels", handler: rels) }
        sheets = workbook.sheets.map { sheet in
            var target = rels.targets[sheet.relationship] ?? "worksheets/sheet\(sheets.count + 1).xml"
            if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
            return (sheet.name, target)
        }
        if archive.contains("xl/sharedStrings.xml") {
            let strings = SharedStringsHandler()
            try archive.parseXML("xl/sharedStrings.xml", handler: strings)
            sharedStrings = strings.strings
        }
        if archive.contains("xl/styles.xml") {
            let styles = StylesHandler()
            try archive.parseXML("xl/styles.xml", handler: styles)
            dateStyles = styles.dateStyles
        }
    }
}

private final class WorkbookHandler: XMLEventHandler {
    var sheets: [(name: String, relationship: String)] = []
    var date1904 = false
    func startElement(_ name: String, namespace: String?, attributes: [XMLAttribute], line: Int) throws {
        if name == "sheet" {
            let sheetName = attributes.first { $0.localName == "name" }?.value ?? ""
            let id = attributes.first { $0.localName == "id" && $0.namespace != nil }?.value ?? ""
            sheets.append((sheetName, id))
        } else if name == "workbookPr" {
            date1904 = attributes.contains { $0.localName == "date1904" && ($0.value == "1" || $0.value == "true") }
        }
    }
    func endElement(_ name: String, namespace: String?) throws {}
    func characters(_ text: String) throws {}
}

private final class RelationshipsHandler: XMLEventHandler {
    var targets: [String: String] = [:]
    func startElement(_ name: String, namespace: String?, attributes: [XMLAttribute], line: Int) throws {
        guard name == "Relationship", let id = attributes.first(where: { $0.localName == "Id" })?.value,
              let target = attributes.first(where: { $0.localName == "Target" })?.value else { return }
        targets[id] = target
    }
    func endElement(_ name: String, namespace: String?) throws {}
    func characters(_ text: String) throws {}
}

/// `<si>` items: plain `<t>` or rich-text runs `<r><t>…</t></r>`, joined; phonetic `<rPh>` skipped.
private final class SharedStringsHandler: XMLEventHandler {
    var strings: [String] = []
    private var current = "", inText = false, inPhonetic = false
    func startElement(_ name: String, namespace: String?, attributes: [XMLAttribute], line: Int) throws {
        switch name {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }
    func endElement(_ name: String, namespace: String?) throws {
        switch name {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
    func characters(_ text: String) throws { if inText { current += text } }
}

/// Which cell formats are dates: built-in ids 14–22 and 45–47, and custom formats whose code has
/// y, m, d, h or s outside quotes and brackets.
private final class StylesHandler: XMLEventHandler {
    var dateStyles: Set<Int> = []
    private var customDates: Set<Int> = []
    private var inCellXfs = false
    private var xfIndex = 0
    /// Built-in date formats, including the East Asian ones (27–36, 50–58) that Japanese Excel uses.
    static let builtInDates: Set<Int> = Set(14...22).union(45...47).union(27...36).union(50...58)

    func startElement(_ name: String, namespace: String?, attributes: [XMLAttribute], line: Int) throws {
        func attribute(_ id: String) -> String? { attributes.first { $0.localName == id }?.value }
        switch name {
        case "numFmt":
            if let id = attribute("numFmtId").flatMap(Int.init), let code = attribute("formatCode"), Self.isDateFormat(code) {
                customDates.insert(id)
            }
        case "cellXfs": inCellXfs = true; xfIndex = 0
        case "xf" where inCellXfs:
            let id = attribute("numFmtId").flatMap(Int.init) ?? 0
            if Self.builtInDates.contains(id) || customDates.contains(id) { dateStyles.insert(xfIndex) }
            xfIndex += 1
        default: break
        }
    }
    func endElement(_ name: String, namespace: String?) throws { if name == "cellXfs" { inCellXfs = false } }
    func characters(_ text: String) throws {}

    static func isDateFormat(_ code: String) -> Bool {
        var inQuotes = false, inBrackets = false
        for c in code.lowercased() {
            switch c {
            case "\"": inQuotes.toggle()
            case "[": inBrackets = true
            case "]": inBrackets = false
            case let letter where "ymdhs".contains(letter) && !inQuotes && !inBrackets: return true
            default: break
            }
        }
        return false
    }
}
