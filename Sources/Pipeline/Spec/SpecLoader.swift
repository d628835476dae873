import Foundation
import Yams
import CurateCore
import Ingest
import Normalize
import Validate
import Publish

/// Reads Pipelines/<name>.yaml into a `PipelineSpec`. Every unknown key and bad value is a
/// `spec-error` naming the file, line and key: a typo must never be silently ignored.
enum SpecLoader {
    static func load(file: String, root: String) throws -> PipelineSpec {
        let path = root + "/" + file
        guard let data = try SpecGuard.contents(of: file, root: root) else {
            throw CurateError(.ioError, "cannot read pipeline spec", at: SourceLocation(file: file))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CurateError(.specError, "pipeline spec is not UTF-8", at: SourceLocation(file: file))
        }
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw CurateError(.specError, "pipeline spec is empty", at: SourceLocation(file: file))
            }
            node = composed
        } catch let error as YamlError {
            throw CurateError(.specError, "not valid YAML: \(error)", at: SourceLocation(file: file))
        }
        let top = SpecNode(node: node, file: file, path: "")
        try SpecChecks.refusePlaceholders(top)
        if case .mapping(let m) = node, m["derive"] != nil { return try SpecChecks.complete(derivedSpec(top, file: file), top: top, root: root) }
        let keys = try top.mapping(allowed: ["name", "title", "description", "license", "source", "read", "shape", "numbers", "schema", "rules", "severities"])
        let name = try keys.required("name", in: top).string()
        try SpecGuard.checkName(name, at: keys["name"]!)
        let readSpec = try read(keys.required("read", in: top))
        let observations = readSpec.format == .sdmxML || readSpec.format == .sdmxCSV || readSpec.format == .sdmxJSON
            ? try observationShape(keys.required("shape", in: top)) : nil
        let expected = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        guard name == expected else { throw keys["name"]!.error("name \(name) must match the file name \(expected)") }
        return try SpecChecks.complete(PipelineSpec(
            name: name,
            title: try keys.required("title", in: top).string(),
            description: try keys["description"]?.string(),
            licenses: try keys["license"].map { [try license($0)] } ?? [],
            source: try source(keys.required("source", in: top), root: root),
            read: readSpec,
            shape: try observations.map { .observations($0) } ?? .table(shape(keys.required("shape", in: top))),
            numbers: try keys["numbers"].map(numbers) ?? NumberFormat(),
            schema: try SchemaSpec.schema(keys.required("schema", in: top)),
            rules: try keys["rules"]?.sequence().map { try RuleSpec.rule($0, root: root) } ?? [],
            severities: try keys["severities"].map(severities) ?? [:],
            file: file), top: top, root: root)
    }

    private static func severities(_ node: SpecNode) throws -> [IssueCode: Severity] {
        guard case .mapping(let mapping) = node.node else { throw node.error("expected code: severity pairs") }
        var out: [IssueCode: Severity] = [:]
        for (codeNode, severityNode) in mapping {
            let child = SpecNode(node: severityNode, file: node.file, path: "\(node.path).\(codeNode.string ?? "?")")
            guard let code = codeNode.string.flatMap(IssueCode.init(rawValue:)) else {
                throw CurateError(.specError, "unknown error code \(codeNode.string ?? "?") (see docs/errors.md)",
                                  at: SourceLocation(file: node.file, row: codeNode.mark?.line, raw: codeNode.string))
            }
            out[code] = try child.oneOf(Severity.self)
        }
        return out
    }

    private static func license(_ node: SpecNode) throws -> DatasetDescription.License {
        let keys = try node.mapping(allowed: ["name", "path", "title"])
        return .init(name: try keys.required("name", in: node).string(), path: try keys["path"]?.string(), title: try keys["title"]?.string())
    }

    private static func source(_ node: SpecNode, root: String) throws -> PipelineSpec.Source {
        let keys = try node.mapping(allowed: ["title", "publisher", "url", "document", "path", "awaiting", "fetch"])
        let pathNode = try keys.required("path", in: node)
        let path = try pathNode.string()
        if path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            throw pathNode.error("source path \(path) must be relative and stay inside the project")
        }
        return .init(title: try keys.required("title", in: node).string(), publisher: try keys["publisher"]?.string(),
                     url: try keys["url"]?.string(), path: path, awaiting: try keys["awaiting"]?.bool() ?? false,
                     fetch: try keys["fetch"].map(fetch))
    }

    private static func read(_ node: SpecNode) throws -> PipelineSpec.Read {
        let keys = try node.mapping(allowed: ["format", "sheet", "encoding", "delimiter", "header_row", "header_rows", "footnote_prefixes", "subtotal_labels"])
        var format = FileFormat.csv
        if let f = keys["format"] {
            format = try f.oneOf(FileFormat.self)
            guard format != .estatXML && format != .estatJSON else {
                throw f.error("e-Stat responses are read with curate read; pipelines read csv, xlsx, xls, sdmx-ml, sdmx-csv and sdmx-json")
            }
        }
        var encoding: TextEncoding?
        if let e = keys["encoding"], try e.string() != "auto" {
            guard let named = TextEncoding(name: try e.string()) else {
                throw e.error("unknown encoding \(try e.string()) (utf-8, shift_jis, cp932, euc-jp, utf-16, auto)")
            }
            encoding = named
        }
        var delimiter: Character?
        if let d = keys["delimiter"] {
            let text = try d.string() == "\\t" ? "\t" : try d.string()
            guard text.count == 1 else { throw d.error("delimiter must be one character") }
            delimiter = text.first
        }
        var layout = TableLayout()
        if let h = keys["header_row"] {
            layout.headerRecord = try h.int()
            guard layout.headerRecord! >= 1 else { throw h.error("header_row counts from 1") }
        }
        if let h = keys["header_rows"] {
            layout.headerRows = try h.int()
            guard (1...10).contains(layout.headerRows) else { throw h.error("header_rows must be 1 to 10") }
        }
        if let f = keys["footnote_prefixes"] { layout.footnotePrefixes = try f.strings() }
        if let t = keys["subtotal_labels"] { layout.subtotalLabels = try t.strings() }
        return .init(format: format, sheet: try keys["sheet"]?.string(), encoding: encoding, delimiter: delimiter, layout: layout)
    }

    private static func shape(_ node: SpecNode) throws -> PipelineSpec.TableShape {
        let keys = try node.mapping(allowed: ["layout", "period", "label_column", "measures", "measure", "rows", "columns",
                                              "unit_note", "ignore_columns", "ignore_rows", "value_column", "unit_column", "dimension_columns"])
        let layout = try keys["layout"]?.oneOf(PipelineSpec.Layout.self) ?? .yearsDown
        let periodNode = try keys.required("period", in: node)
        let period = try periodNode.mapping(allowed: layout == .yearsDown || layout == .long ? ["column", "field", "kind", "value"] : ["field", "kind", "value"])
        let kind = try period["kind"]?.oneOf(YearPeriod.Kind.self) ?? .calendar
        let labelKey = layout == .yearsDown ? "column" : "row"
        let measures = try keys["measures"]?.sequence().map { m -> PipelineSpec.Measure in
            let k = try m.mapping(allowed: [labelKey, "name", "unit"])
            return .init(label: try k.required(labelKey, in: m).string(), name: try k.required("name", in: m).string(),
                         unit: try k.required("unit", in: m).string())
        } ?? []
        let fixedMeasure = try keys["measure"].map { m -> PipelineSpec.Measure in
            let k = try m.mapping(allowed: ["name", "unit"])
            return .init(label: "", name: try k.required("name", in: m).string(), unit: try k.required("unit", in: m).string())
        }
        func dimension(_ key: String) throws -> PipelineSpec.Dimension? {
            guard let n = keys[key] else { return nil }
            let k = try n.mapping(allowed: ["field", "codelist"])
            return .init(field: try k.required("field", in: n).string(), codeList: try k.required("codelist", in: n).string())
        }
        let rows = try dimension("rows"), columns = try dimension("columns")
        let fixedPeriod = try period["value"].map { YearPeriod(year: try $0.int(), kind: kind) }
        try requireKeysOfLayout(layout, keys: keys, period: period, byRows: rows != nil, measureCount: measures.count)
        // Checked per layout below; read here so a bad value is an error whatever the layout.
        let labelColumn = layout == .yearsDown && rows == nil ? nil : try keys.required("label_column", in: node).string()
        let periodColumn = layout == .yearsDown && rows == nil ? try period.required("column", in: periodNode).string() : nil
        var dimensionColumns: [(column: String, field: String)] = []
        if let d = keys["dimension_columns"] {
            guard layout == .long, case .mapping(let m) = d.node else { throw d.error("dimension_columns (header: field pairs) belong to a long shape") }
            dimensionColumns = m.map { (column: $0.string ?? "", field: $1.string ?? "") }
        }
        let valueColumn = try keys["value_column"]?.string(), unitColumn = try keys["unit_column"]?.string()
        let periodLabelColumn = layout == .long ? try period["column"]?.string() : nil
        let ignoreColumns = try keys["ignore_columns"]?.strings() ?? [], ignoreRows = try keys["ignore_rows"]?.strings() ?? []
        let periodField = PipelineSpec.PeriodField(field: try period["field"]?.string() ?? "period", kind: kind)
        let unitNote = try keys["unit_note"].map { UnitRegistry.labels(inNote: try $0.string()) }
        switch layout {
        case .yearsDown:
            if let rows {
                // One period; each row a category (a country): label_column holds the row labels.
                guard !measures.isEmpty, let fixedPeriod else {
                    throw node.error("a years-down shape with rows lists its measures and gives period.value")
                }
                return .yearsDown(.init(rows: .categories(labelColumn: labelColumn!, dimension: rows, period: fixedPeriod), measures: measures,
                                        ignoreRows: ignoreRows, period: periodField, unitNote: unitNote))
            }
            guard !measures.isEmpty else { throw node.error("a years-down shape lists its measures (column, name, unit)") }
            return .yearsDown(.init(rows: .periods(column: periodColumn!), measures: measures, ignoreRows: ignoreRows,
                                    period: periodField, unitNote: unitNote))
        case .long:
            guard !measures.isEmpty, let valueColumn, let periods = fixedPeriod.map({ PipelineSpec.Long.Periods.fixed($0) }) ?? periodLabelColumn.map({ .column($0) }) else {
                throw node.error("a long shape needs label_column, value_column, measures (row, name, unit) and a period (value or column)")
            }
            return .long(.init(labelColumn: labelColumn!, valueColumn: valueColumn, unitColumn: unitColumn, dimensionColumns: dimensionColumns,
                               periods: periods, measures: measures, ignoreRows: ignoreRows, period: periodField, unitNote: unitNote))
        case .yearsAcross:
            let rowsOf: PipelineSpec.YearsAcross.Rows
            if let rows, let measure = measures.first ?? fixedMeasure {
                rowsOf = .categories(rows, measure: measure)
            } else if !measures.isEmpty {
                rowsOf = .measures(measures)
            } else {
                throw node.error("a years-across shape lists its measures (row, name, unit), or maps rows to a code list with one measure")
            }
            return .yearsAcross(.init(labelColumn: labelColumn!, rows: rowsOf, ignoreColumns: ignoreColumns, ignoreRows: ignoreRows,
                                      period: periodField, unitNote: unitNote))
        case .matrix:
            guard let rows, let columns, let measure = measures.first ?? fixedMeasure, fixedMeasure != nil, let fixedPeriod else {
                throw node.error("a matrix shape needs rows and columns (field, codelist), one measure (name, unit) and period.value")
            }
            return .matrix(.init(labelColumn: labelColumn!, rows: rows, columns: columns, measure: measure, fixedPeriod: fixedPeriod,
                                 ignoreColumns: ignoreColumns, ignoreRows: ignoreRows, period: periodField, unitNote: unitNote))
        }
    }

    /// A key the layout does not read is a `spec-error`, never ignored: a steward who writes
    /// `value_column` under a years-down shape, or both a period column and a period value, must
    /// learn that one of them does nothing.
    private static func requireKeysOfLayout(_ layout: PipelineSpec.Layout, keys: [String: SpecNode], period: [String: SpecNode],
                                            byRows: Bool, measureCount: Int) throws {
        let reads: [String]
        let periodReads: [String]
        switch layout {
        case .yearsDown:
            reads = byRows ? ["measures", "rows", "label_column", "ignore_rows"] : ["measures", "ignore_rows"]
            periodReads = byRows ? ["value"] : ["column"]
        case .long:
            reads = ["label_column", "value_column", "unit_column", "dimension_columns", "measures", "ignore_rows"]
            periodReads = period["column"] != nil ? ["column"] : ["value"]
        case .yearsAcross:
            reads = ["label_column", "rows", "ignore_columns", "ignore_rows"] + (byRows ? ["measure", "measures"] : ["measures"])
            periodReads = []
        case .matrix:
            reads = ["label_column", "rows", "columns", "measure", "ignore_columns", "ignore_rows"]
            periodReads = ["value"]
        }
        let always: Set<String> = ["layout", "period", "unit_note"]
        for key in keys.keys.sorted() where !always.contains(key) && !reads.contains(key) {
            throw keys[key]!.error("\(key) does not apply to a \(layout.rawValue) shape\(byRows ? " with rows" : ""), which reads "
                                   + reads.sorted().joined(separator: ", ") + " (remove it, or change the layout)")
        }
        for key in period.keys.sorted() where !["field", "kind"].contains(key) && !periodReads.contains(key) {
            let why = layout == .long ? "a long shape takes its periods from period.column or one period.value, not both"
                : "a \(layout.rawValue) shape\(byRows ? " with rows" : "") reads " + (periodReads.isEmpty ? "its periods from the header" : "period." + periodReads[0])
            throw period[key]!.error("period.\(key) does not apply: \(why)")
        }
        if layout == .yearsAcross, byRows, measureCount > 1 || (measureCount == 1 && keys["measure"] != nil) {
            throw keys["rows"]!.error("a years-across shape with rows has one measure (measure, or measures with one entry)")
        }
    }

    /// A spec with `derive:` computes figures from curated datasets; it has no source of its own.
    private static func derivedSpec(_ top: SpecNode, file: String) throws -> PipelineSpec {
        let keys = try top.mapping(allowed: ["name", "title", "description", "license", "derive"])
        let name = try keys.required("name", in: top).string()
        try SpecGuard.checkName(name, at: keys["name"]!)
        let expected = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        guard name == expected else { throw keys["name"]!.error("name \(name) must match the file name \(expected)") }
        let figures = try keys.required("derive", in: top).sequence().map { node -> DerivedFigure in
            let k = try node.mapping(allowed: ["name", "title", "op", "a", "b", "scale", "stated"])
            func input(_ key: String) throws -> DerivedFigure.Input {
                let n = try k.required(key, in: node)
                let i = try n.mapping(allowed: ["dataset", "measure", "where"])
                var filter: [(field: String, value: String)] = []
                if let w = i["where"] {
                    guard case .mapping(let m) = w.node else { throw w.error("expected field: value pairs") }
                    filter = m.map { (field: $0.string ?? "", value: $1.string ?? "") }
                }
                return .init(dataset: try i.required("dataset", in: n).string(), measure: try i.required("measure", in: n).string(), filter: filter)
            }
            var stated: (Decimal, Decimal, Severity)?
            if let s = k["stated"] {
                let sk = try s.mapping(allowed: ["value", "precision", "severity"])
                stated = (try decimalValue(sk.required("value", in: s)), try decimalValue(sk.required("precision", in: s)),
                          try sk["severity"]?.oneOf(Severity.self) ?? .error)
            }
            return DerivedFigure(name: try k.required("name", in: node).string(), title: try k.required("title", in: node).string(),
                                 operation: try k.required("op", in: node).oneOf(DerivedFigure.Operation.self),
                                 a: try input("a"), b: try input("b"), scale: try k["scale"].map(decimalValue) ?? 1,
                                 stated: stated.map { (value: $0.0, precision: $0.1, severity: $0.2) })
        }
        return PipelineSpec(
            name: name, title: try keys.required("title", in: top).string(), description: try keys["description"]?.string(),
            licenses: try keys["license"].map { [try license($0)] } ?? [],
            source: .init(title: "Derived from curated datasets", publisher: nil, url: nil, path: "", awaiting: false),
            read: .init(format: .csv, sheet: nil, encoding: nil, delimiter: nil, layout: TableLayout()),
            shape: .derived(figures),
            numbers: NumberFormat(), schema: DerivedFigures.schema, rules: [], severities: [:], file: file)
    }

    private static func decimalValue(_ node: SpecNode) throws -> Decimal {
        guard let value = Decimal(string: try node.string(), locale: Locale(identifier: "en_US_POSIX")) else { throw node.error("expected a number") }
        return value
    }

    private static func observationShape(_ node: SpecNode) throws -> ObservationShape {
        let keys = try node.mapping(allowed: ["layout", "period", "dimensions", "measure", "filter", "value", "unit", "convert"])
        if let layout = keys["layout"], try layout.string() != "observations" {
            throw layout.error("an SDMX pipeline's shape has layout: observations")
        }
        let periodNode = try keys.required("period", in: node)
        let period = try periodNode.mapping(allowed: ["dimension", "field"])
        func pairs(_ n: SpecNode?) throws -> [(String, String)] {
            guard let n else { return [] }
            guard case .mapping(let m) = n.node else { throw n.error("expected id: value pairs") }
            return m.map { ($0.string ?? "", $1.string ?? "") }
        }
        let measureNode = try keys.required("measure", in: node)
        let measure = try measureNode.mapping(allowed: ["dimension", "map"])
        let unitNode = try keys.required("unit", in: node)
        let unit = try unitNode.mapping(allowed: ["id", "map", "multiplier"])
        let convert = try keys["convert"]?.mapping(allowed: ["to", "rate_table"])
        return ObservationShape(
            periodDimension: try period["dimension"]?.string() ?? "TIME_PERIOD",
            periodField: try period["field"]?.string() ?? "year",
            dimensions: try pairs(keys["dimensions"]).map { (id: $0.0, field: $0.1) },
            measureDimension: try measure.required("dimension", in: measureNode).string(),
            measures: Dictionary(try pairs(measure.required("map", in: measureNode)), uniquingKeysWith: { a, _ in a }),
            filter: Dictionary(try pairs(keys["filter"]), uniquingKeysWith: { a, _ in a }),
            valueID: try keys["value"]?.string() ?? "OBS_VALUE",
            unitID: try unit["id"]?.string() ?? "UNIT_MEASURE",
            units: Dictionary(try pairs(unit.required("map", in: unitNode)), uniquingKeysWith: { a, _ in a }),
            multiplierID: try unit["multiplier"]?.string(),
            convertTo: try convert?["to"]?.string(),
            rateTable: try convert?["rate_table"]?.string())
    }

    private static func numbers(_ node: SpecNode) throws -> NumberFormat {
        let keys = try node.mapping(allowed: ["decimal", "parentheses_negative", "markers"])
        var format = NumberFormat()
        if let d = keys["decimal"] {
            let text = try d.string()
            guard text == "." || text == "," else { throw d.error("decimal must be . or ,") }
            format.decimalSeparator = text.first!
        }
        if let p = keys["parentheses_negative"] { format.parenthesesNegative = try p.bool() }
        if let m = keys["markers"] {
            guard case .mapping(let mapping) = m.node else { throw m.error("expected marker: meaning pairs") }
            for (markerNode, meaningNode) in mapping {
                let meaning = SpecNode(node: meaningNode, file: m.file, path: "\(m.path).\(markerNode.string ?? "?")")
                format.markers[markerNode.string ?? ""] = try meaning.oneOf(MissingReason.self)
            }
        }
        return format
    }
}

extension YearPeriod.Kind: CaseIterable {
    public static var allCases: [YearPeriod.Kind] { [.calendar, .fiscal] }
}
