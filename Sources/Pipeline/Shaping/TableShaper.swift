import Foundation
import CurateCore
import Ingest
import Normalize
import Validate

/// Turns a printed table into curated long rows (one per period and measure), normalising each
/// cell on the way and recording its lineage, in each layout of `PipelineSpec.TableShape`
/// (years-down, years-across, matrix, long). A cell that cannot be read becomes a finding naming
/// the cell; it never becomes a number.
struct TableShaper {
    let spec: PipelineSpec
    let units: UnitRegistry
    /// The source path as shown in findings and lineage (relative to the project root).
    let file: String
    /// The code lists the shape's dimensions name, by id.
    var codeLists: [String: CodeList] = [:]
    /// The spec's table layout.
    private let shape: PipelineSpec.TableShape
    /// A long table's common rows are read from their bytes (`shapeLongFast`); tests turn it off
    /// to hold the two paths to the same rows and findings.
    var readsCommonRowsAsBytes = true

    /// `spec` must be a printed table's (`.table`); SDMX specs go to `ObservationShaper`.
    init(spec: PipelineSpec, units: UnitRegistry, file: String) {
        guard case .table(let table) = spec.shape else { preconditionFailure("\(spec.name): TableShaper reads printed tables only") }
        self.spec = spec; self.shape = table; self.units = units; self.file = file
    }

    /// The long-table fields a pipeline can fill: its period field, `measure`, `value`, `unit`, and
    /// `status` (empty for a number; the declared meaning of a marker, whose value is then empty).
    var fillable: [String] {
        var fields = [shape.periodField] + LongField.all + shape.dimensions.map(\.field)
        if case .long(let long) = shape { fields += long.dimensionColumns.map(\.field) }
        return fields
    }

    /// Fails on a spec this shaper cannot fill: a schema field it does not produce, an unknown unit.
    func checkSpec() throws {
        try spec.requireSchemaFields(producedBy: fillable)
        _ = try resolvedUnits()
    }

    /// The measures a table's cells belong to: the listed ones, or the one fixed measure.
    var allMeasures: [PipelineSpec.Measure] { shape.measures }

    func resolvedUnits() throws -> [ResolvedUnit] {
        try allMeasures.map { measure in
            guard let unit = units.resolve(measure.unit) else {
                throw CurateError(.specError, "measure \(measure.name): unknown unit \(measure.unit) (see Pipelines/reference/units.yaml)",
                                  at: SourceLocation(file: spec.file))
            }
            return unit
        }
    }

    /// Reads the table and hands each long row to `sink` as it is made (nothing is kept); findings
    /// go to `report`.
    func shape(reader: TableReader, into report: inout ReportBuilder, to sink: some RowSink) throws {
        let units = try resolvedUnits()
        var context = Context(units: units, periods: PeriodParser(defaultKind: shape.periodKind),
                              cells: CellNormalizer(numbers: NumberParser(format: spec.numbers)),
                              scales: units.map { Scale($0.factor) }, measureNames: allMeasures.map { .string($0.name) },
                              unitNames: units.map { .string($0.base) }, fieldSources: fieldSources(), hasStatus: spec.schema.index(of: LongField.status) != nil,
                              findings: ShapeFindings(severities: spec.severities))
        var values: [Value] = []
        try reader.readByteRows(header: { frame in
            context.findings.append(contentsOf: checkUnitNote(frame))
            switch shape {
            case .yearsDown(let s): readYearsDownHeader(s, frame, &context)
            case .yearsAcross(let s): readYearsAcrossHeader(s, frame, &context)
            case .matrix(let s): readMatrixHeader(s, frame, &context)
            case .long(let s): readLongHeader(s, frame, &context)
            }
        }, row: { rec, width in
            context.rowLines.insert(rec.line)
            guard context.ready else { return }
            if readsCommonRowsAsBytes, try shapeLongFast(rec, width, &context, &values, sink) {
                // The common row of a long table, read from its bytes and sent as its parts.
            } else {
                let row = reader.tableRow(rec, width: width)
                switch shape {
                case .yearsDown(let s): shapeYearsDown(s, row, &context)
                case .yearsAcross(let s): shapeYearsAcross(s, row, &context)
                case .matrix(let s): shapeMatrix(s, row, &context)
                case .long(let s): shapeLong(s, row, &context)
                }
            }
            // Moved out one by one (a copy would retain every String of a row, and the array's
            // clearing release them again): reversed, so popping keeps the rows' order.
            if context.rows.count > 1 { context.rows.reverse() }
            while let made = context.rows.popLast() { try sink.send(made) }
        }, finding: { finding in
            // The reader names the file by the path it opened; findings name it as the spec does.
            var finding = finding
            if finding.location?.file == reader.csv.path { finding.location?.file = file }
            context.findings.append(finding)
        })
        if context.ready {
            for (k, measure) in shape.labelledMeasures.enumerated() where !context.seenMeasures.contains(k) {
                context.findings.append(Finding(.missingLabel, check: Stage.ingest, location: SourceLocation(file: file),
                                                expected: "a row labelled \(measure.label)", actual: "none"))
            }
        }
        // Each data row counts once per stage: it passes when no finding of that stage names its line.
        for stage in [Stage.ingest, Stage.normalize] {
            report.begin(stage, severity: .error)
            let fails = context.findings.failingRows(of: stage, in: context.rowLines)
            report.count(passes: context.rowLines.count - fails, fails: fails)
        }
        context.findings.add(to: &report)
    }

    /// Where a schema field's value comes from.
    private enum FieldSource { case period, measure, value, status, unit, dimension(String) }

    private func fieldSources() -> [FieldSource] {
        var dimensions = Set(shape.dimensions.map(\.field))
        if case .long(let long) = shape { dimensions.formUnion(long.dimensionColumns.map(\.field)) }
        return spec.schema.fields.map { field in
            if dimensions.contains(field.name) { return .dimension(field.name) }
            switch field.name {
            case shape.periodField: return .period
            case LongField.measure: return .measure
            case LongField.value: return .value
            case LongField.status: return .status
            default: return .unit
            }
        }
    }

    struct MeasureFlags {
        private var seen: [Bool] = []
        mutating func insert(_ k: Int) {
            if k >= seen.count { seen += Array(repeating: false, count: k + 1 - seen.count) }
            seen[k] = true
        }
        func contains(_ k: Int) -> Bool { k < seen.count && seen[k] }
    }

    /// The text each period prints as, made once per period.
    private struct PeriodTexts {
        private var texts: [YearPeriod: String] = [:]
        subscript(period: YearPeriod) -> String {
            mutating get {
                if let text = texts[period] { return text }
                let text = "\(period)"
                texts[period] = text
                return text
            }
        }
    }

    /// What the shaper learns from the header and accumulates row by row.
    private struct Context {
        let units: [ResolvedUnit]
        let periods: PeriodParser
        let cells: CellNormalizer
        /// Per measure: its unit's factor, its name and base unit as values (made once, not per cell).
        let scales: [Scale]
        let measureNames: [Value]
        let unitNames: [Value]
        /// Where each schema field's value comes from, worked out once.
        let fieldSources: [FieldSource]
        /// The schema has a status field (a marker's row can say what it means).
        let hasStatus: Bool
        /// A period's own text: a label printed exactly so needs no lineage step.
        var periodTexts = PeriodTexts()
        /// The last period labels read, so a long table's repeated labels are parsed once.
        var periodCache: [String: YearPeriod] = [:]
        /// The rows the current source row made, handed on before the next is read.
        var rows: [CuratedRow] = []
        var findings: ShapeFindings
        var ready = false
        /// years-down: the period column and each measure's column.
        var periodColumn = 0
        var measureColumns: [Int] = []
        /// years-across: the label column and each period column with its period.
        var labelColumn = 0
        var periodColumns: [(column: Int, label: String, period: YearPeriod)] = []
        /// matrix: each category column with its code.
        var categoryColumns: [(column: Int, code: String)] = []
        /// long: the value, unit and period columns.
        var valueColumn = 0
        var unitColumn: Int?
        var periodColumnIndex: Int?
        var dimensionIndexes: [(column: Int, field: String)] = []
        /// Measures with a row so far (a flag per measure: set on every row, so no hashing).
        var seenMeasures = MeasureFlags()
        var header: [String] = []
        /// Lines of the data rows read, for the per-stage summaries.
        var rowLines = LineSet()
        /// long: what `shapeLongFast` compares cells with, as bytes.
        var fast: LongBytes?
        /// long: the period cell read last, as bytes, with what it gave (`lastPeriod` nil: none yet).
        var lastPeriodBytes: [UInt8] = []
        var lastPeriod: YearPeriod?
        var lastPeriodText = ""
        var lastPeriodIsCanonical = true
    }

    /// What `shapeLongFast` needs of a long table, made once its header is read: the measure
    /// labels and units as UTF-8 (for cells that spell them exactly, with no space to trim: a label
    /// maps to the measure `shapeLong` would find for it), the columns, the fixed period, and the
    /// parts and lineage templates its plain rows are encoded from.
    /// A class, so a row's read takes one reference, not a copy of the spec's arrays and Strings.
    private final class LongBytes {
        let labels: [(bytes: [UInt8], measure: Int)]
        let units: [[UInt8]?]
        let labelColumn: Int, unitColumn: Int?, periodColumn: Int, valueColumn: Int
        let dimensions: [(column: Int, field: String)]
        let valueLabel: String
        /// A table of one period: it, and the text its lineage gives it.
        let fixedPeriod: (period: YearPeriod, text: String)?
        /// Per schema field, where a row's value comes from (a dimension's column found once).
        private let sources: UnsafeMutableBufferPointer<Source>
        private enum Source { case period, measure, value, status, unit, column(Int) }
        /// Encoded once: per measure its name and unit as values. Held in a buffer, not an array:
        /// a row's read of them retains nothing.
        private struct MeasureParts {
            let name, unit: RowCodec.Part
            /// Its scale, unretained (`scales` keeps it).
            let scale: Unmanaged<Scale>
        }
        private let scales: [Scale]
        private let sourceUnits: [String]
        /// The source path the rows' lineage names.
        private let file: String
        private let measureParts: UnsafeMutableBufferPointer<MeasureParts>
        private let parts = RowCodec.Parts()
        private var rowBuffer = RawBytes()
        /// The lineage template of each measure and count of printed decimals (0…18) in `templatesOf`
        /// (-1: not made yet), the parts a table's rows share.
        private let templates: UnsafeMutableBufferPointer<Int>
        private var templatesOf: RowCodec.Tables?

        deinit { measureParts.deallocate(); sources.deallocate(); templates.deallocate() }

        init(_ long: PipelineSpec.Long, _ context: Context, file: String) {
            self.file = file
            scales = context.scales
            labels = long.measures.compactMap { m in
                guard m.label == m.label.trimmingWhitespace, !m.label.isEmpty,
                      let k = long.measures.firstIndex(where: { $0.label == m.label }) else { return nil }
                return (Array(m.label.utf8), k)
            }
            units = long.measures.map { $0.unit == $0.unit.trimmingWhitespace && !$0.unit.isEmpty ? Array($0.unit.utf8) : nil }
            labelColumn = context.labelColumn; unitColumn = context.unitColumn; valueColumn = context.valueColumn
            periodColumn = context.periodColumnIndex ?? 0
            dimensions = context.dimensionIndexes
            valueLabel = long.valueColumn
            if case .fixed(let fixed) = long.periods { fixedPeriod = (fixed, "\(fixed) (the table's period)") } else { fixedPeriod = nil }
            let dimensions = context.dimensionIndexes
            sources = .allocate(capacity: context.fieldSources.count)
            _ = sources.initialize(from: context.fieldSources.map { source in
                switch source {
                case .period: .period
                case .measure: .measure
                case .value: .value
                case .status: .status
                case .unit: .unit
                case .dimension(let field): dimensions.first { $0.field == field }.map { .column($0.column) } ?? .unit
                }
            })
            let parts = parts
            measureParts = .allocate(capacity: context.scales.count)
            _ = measureParts.initialize(from: context.scales.indices.map { k in
                MeasureParts(name: parts.value(context.measureNames[k]), unit: parts.value(context.unitNames[k]),
                             scale: Unmanaged.passUnretained(context.scales[k]))
            })
            sourceUnits = context.units.map(\.label)
            templates = .allocate(capacity: 19 * context.scales.count)
            templates.initialize(repeating: -1)
        }

        /// The template of measure `k`'s rows printed with `decimals`, in `tables`.
        private func template(_ k: Int, decimals: Int, in tables: RowCodec.Tables) -> Int {
            if templatesOf !== tables {
                templates.update(repeating: -1)
                templatesOf = tables
            }
            let slot = 19 * k + decimals
            if templates[slot] < 0 {
                templates[slot] = tables.template(file: file, field: valueLabel, sourceUnit: sourceUnits[k], factor: scales[k].factor,
                                                  precision: scales[k].precision(decimals: decimals))
            }
            return templates[slot]
        }

        /// The value cell of `rec` read by `cells` when it is a plain number (`CellNormalizer.plainQuantity`).
        func plainQuantity(_ rec: ByteRecord, measure k: Int, _ cells: CellNormalizer) -> (value: Decimal, decimals: Int)? {
            measureParts[k].scale._withUnsafeGuaranteedRef { cells.plainQuantity(utf8: rec[valueColumn], scale: $0) }
        }

        /// The row `shapeLong` makes of `rec` when its value cell is a plain number (`value`, already
        /// scaled, printed with `decimals`: at most 18) and its period label is the period's own
        /// text: encoded from the record's bytes, the parts made once and a lineage template, with
        /// no Value or String.
        func encode(_ rec: ByteRecord, year: Int, measure k: Int, value: Decimal, decimals: Int,
                    into bytes: inout [UInt8], tables: RowCodec.Tables) {
            let measure = measureParts[k], sources = sources
            let template = template(k, decimals: decimals, in: tables)
            // Encoded in this shaper's row buffer (see `RawBytes`), then appended to the batch whole.
            rowBuffer.clear()
            defer { bytes.append(contentsOf: rowBuffer.bytes) }
            RowCodec.encode(valueCount: sources.count, values: { bytes in
                for source in sources {
                    switch source {
                    case .period: RowCodec.appendValue(.integer(year), &bytes)
                    case .measure: RowCodec.append(measure.name, &bytes)
                    case .value: RowCodec.appendValue(.number(value), &bytes)
                    case .status: RowCodec.appendValue(.null, &bytes)
                    case .unit: RowCodec.append(measure.unit, &bytes)
                    case .column(let c): RowCodec.appendString(utf8: rec[c], &bytes)
                    }
                }
            }, template: template, row: rec.line, column: valueColumn + 1, raw: rec[valueColumn], into: &rowBuffer)
        }

        /// The label's measure: the label after the last one's tried first (long tables list their
        /// measures in turn), then every label.
        func measure(_ cell: UnsafeBufferPointer<UInt8>) -> Int? {
            if !labels.isEmpty {
                let next = lastLabel + 1 < labels.count ? lastLabel + 1 : 0
                if labels[next].bytes.sameBytes(as: cell) { lastLabel = next; return labels[next].measure }
            }
            for (i, label) in labels.enumerated() where label.bytes.sameBytes(as: cell) { lastLabel = i; return label.measure }
            return nil
        }
        private var lastLabel = -1

        func unitMatches(_ cell: UnsafeBufferPointer<UInt8>, measure k: Int) -> Bool {
            guard let unit = units[k] else { return false }
            return unit.sameBytes(as: cell)
        }
    }

    private func column(_ label: String, in frame: TableFrame, _ context: inout Context) -> Int? {
        let labels = frame.header.map(\.trimmingWhitespace)
        if let i = labels.firstIndex(of: label) { return i }
        context.findings.append(Finding(.missingLabel, check: Stage.ingest, location: SourceLocation(file: file, row: frame.headerLine),
                                        expected: label, actual: labels.joined(separator: " | ")))
        return nil
    }

    private func readLongHeader(_ long: PipelineSpec.Long, _ frame: TableFrame, _ context: inout Context) {
        guard let label = column(long.labelColumn, in: frame, &context), let value = column(long.valueColumn, in: frame, &context) else { return }
        context.labelColumn = label
        context.valueColumn = value
        if let unit = long.unitColumn { guard let index = column(unit, in: frame, &context) else { return }; context.unitColumn = index }
        if case .column(let periodColumn) = long.periods {
            guard let index = column(periodColumn, in: frame, &context) else { return }
            context.periodColumnIndex = index
        }
        for (label, field) in long.dimensionColumns {
            guard let index = column(label, in: frame, &context) else { return }
            context.dimensionIndexes.append((index, field))
        }
        context.header = frame.header
        context.fast = LongBytes(long, context, file: file)
        context.ready = true
    }

    /// A long table's row from its bytes when it is the common case: a listed label and the
    /// measure's unit spelled exactly, a period label already read cleanly, every cell there.
    /// A plain number printed with the period's own text is encoded straight from the bytes
    /// (`LongBytes.encode`); a marker, 約 or an era-named period goes through `read` and `fill`.
    /// Anything else returns false having done nothing, and `shapeLong` reads the row from its
    /// Strings: the paths agree by construction (and a test holds them to the same rows).
    private func shapeLongFast(_ rec: ByteRecord, _ width: Int, _ context: inout Context, _ values: inout [Value], _ sink: some RowSink) throws -> Bool {
        guard rec.count == width, let fast = context.fast, let k = fast.measure(rec[fast.labelColumn]) else { return false }
        if let unitColumn = fast.unitColumn, !fast.unitMatches(rec[unitColumn], measure: k) { return false }
        let period: YearPeriod, periodText: String, canonical: Bool
        if let fixed = fast.fixedPeriod {
            (period, periodText) = (fixed.period, fixed.text)
            canonical = periodText == context.periodTexts[period]
        } else {
            let cell = rec[fast.periodColumn]
            if let last = context.lastPeriod, context.lastPeriodBytes.sameBytes(as: cell) {
                (period, periodText, canonical) = (last, context.lastPeriodText, context.lastPeriodIsCanonical)
            } else {
                let text = String(decoding: cell, as: UTF8.self)
                guard let known = context.periodCache[text] else { return false }
                let isCanonical = text == context.periodTexts[known]
                context.lastPeriodBytes.removeAll(keepingCapacity: true)
                context.lastPeriodBytes.append(contentsOf: cell)
                (context.lastPeriod, context.lastPeriodText, context.lastPeriodIsCanonical) = (known, text, isCanonical)
                (period, periodText, canonical) = (known, text, isCanonical)
            }
        }
        context.seenMeasures.insert(k)
        if canonical, let (value, decimals) = fast.plainQuantity(rec, measure: k, context.cells) {
            try sink.sendEncoded { bytes, tables in
                fast.encode(rec, year: period.year, measure: k, value: value, decimals: decimals, into: &bytes, tables: tables)
            }
            return true
        }
        let raw = rec.string(fast.valueColumn)
        // A local copy for the closure below: naming `self.file` there would capture (and copy,
        // retaining every field of) the whole shaper for each row.
        let line = rec.line, file = self.file
        guard let reading = read(raw, measure: k, at: SourceLocation(file: file, row: line, column: fast.valueColumn + 1,
                                                                      field: fast.valueLabel, raw: raw), &context) else { return true }
        fill(&values, reading, period: period, measure: k, context) { field in
            fast.dimensions.first { $0.field == field }.map { .string(rec.string($0.column)) }
        }
        var steps: [String] = []
        if !canonical { steps.append("period \(periodText) → \(period)") }
        if let note = reading.note { steps.append(note) }
        let sourceUnit = context.units[k].label
        try sink.sendEncoded { bytes, tables in
            RowCodec.encode(values: values, file: file, row: line, column: fast.valueColumn + 1, field: fast.valueLabel, raw: raw,
                            sourceUnit: sourceUnit, factor: reading.factor, precision: reading.precision, steps: steps, into: &bytes, tables: tables)
        }
        return true
    }

    private func shapeLong(_ long: PipelineSpec.Long, _ row: TableRow, _ context: inout Context) {
        let labelPlace = place(row, context.labelColumn, long.labelColumn, file)
        let label = (labelPlace.raw ?? "").trimmingWhitespace
        guard let k = long.measures.firstIndex(where: { $0.label == label }) else {
            if !long.ignoreRows.contains(label) && !row.isSubtotal {
                context.findings.append(Finding(.unknownCode, check: Stage.ingest, location: labelPlace,
                                                expected: "a row the spec names (measures) or ignores (ignore_rows)", actual: label))
            }
            return
        }
        context.seenMeasures.insert(k)
        if let unitColumn = context.unitColumn {
            let printed = place(row, unitColumn, long.unitColumn ?? "", file)
            if (printed.raw ?? "").trimmingWhitespace != long.measures[k].unit {
                context.findings.append(Finding(.unitError, check: Stage.ingest, location: printed,
                                                expected: long.measures[k].unit, actual: printed.raw ?? ""))
                return
            }
        }
        let period: YearPeriod
        let periodText: String
        switch long.periods {
        case .fixed(let fixed):
            period = fixed
            periodText = "\(fixed) (the table's period)"
        case .column(let periodColumn):
            let periodPlace = place(row, context.periodColumnIndex ?? 0, periodColumn, file)
            guard let parsed = parsePeriod(periodPlace.raw ?? "", at: periodPlace, &context) else { return }
            period = parsed
            periodText = periodPlace.raw ?? ""
        }
        var dims: [(field: String, code: String)] = []
        for (column, field) in context.dimensionIndexes where column < row.cells.count { dims.append((field, row.cells[column])) }
        observe(place(row, context.valueColumn, long.valueColumn, file), period: period, periodText: periodText, measure: k, dims: dims,
                mapped: false, &context)
    }

    private func readYearsDownHeader(_ yearsDown: PipelineSpec.YearsDown, _ frame: TableFrame, _ context: inout Context) {
        let period = column(yearsDown.labelColumn, in: frame, &context)
        let measures = yearsDown.measures.map { column($0.label, in: frame, &context) }
        guard let period, measures.allSatisfy({ $0 != nil }) else { return }
        context.periodColumn = period
        context.measureColumns = measures.map { $0! }
        context.header = frame.header
        context.ready = true
    }

    private func readYearsAcrossHeader(_ yearsAcross: PipelineSpec.YearsAcross, _ frame: TableFrame, _ context: inout Context) {
        guard let label = column(yearsAcross.labelColumn, in: frame, &context) else { return }
        context.labelColumn = label
        context.header = frame.header
        for (index, text) in frame.header.enumerated() where index != label && !text.trimmingWhitespace.isEmpty {
            let place = SourceLocation(file: file, row: frame.headerLine, column: index + 1, raw: text)
            if yearsAcross.ignoreColumns.contains(text.trimmingWhitespace) { continue }
            if let period = parsePeriod(text, at: place, &context) { context.periodColumns.append((index, text, period)) }
        }
        context.ready = true
    }

    private func shapeYearsDown(_ yearsDown: PipelineSpec.YearsDown, _ row: TableRow, _ context: inout Context) {
        let measures = yearsDown.measures
        if case .categories(let labelColumn, let dimension, let period) = yearsDown.rows {
            // One period, a category per row (a country): the label column gives the category.
            let labelPlace = place(row, context.periodColumn, labelColumn, file)
            let label = (labelPlace.raw ?? "").trimmingWhitespace
            guard !yearsDown.ignoreRows.contains(label), let code = lookup(label, in: dimension, at: labelPlace, &context) else { return }
            for k in measures.indices {
                observe(place(row, context.measureColumns[k], measures[k].label, file), period: period, periodText: "\(period) (the table's period)",
                        measure: k, dims: [(dimension.field, code)], &context)
            }
            return
        }
        let periodPlace = place(row, context.periodColumn, yearsDown.labelColumn, file)
        guard let period = parsePeriod(periodPlace.raw ?? "", at: periodPlace, &context) else { return }
        for k in measures.indices {
            let cell = place(row, context.measureColumns[k], measures[k].label, file)
            observe(cell, period: period, periodText: periodPlace.raw ?? "", measure: k, &context)
        }
    }

    private func shapeYearsAcross(_ yearsAcross: PipelineSpec.YearsAcross, _ row: TableRow, _ context: inout Context) {
        let labelPlace = place(row, context.labelColumn, yearsAcross.labelColumn, file)
        let label = (labelPlace.raw ?? "").trimmingWhitespace
        let measures: [PipelineSpec.Measure]
        switch yearsAcross.rows {
        case .categories(let dimension, _):
            guard !yearsAcross.ignoreRows.contains(label), let code = lookup(label, in: dimension, at: labelPlace, &context) else { return }
            for (column, text, period) in context.periodColumns {
                observe(place(row, column, context.header[column], file), period: period, periodText: text, measure: 0,
                        dims: [(dimension.field, code)], &context)
            }
            return
        case .measures(let listed):
            measures = listed
        }
        guard let k = measures.firstIndex(where: { $0.label == label }) else {
            if !yearsAcross.ignoreRows.contains(label) {
                context.findings.append(Finding(.unknownCode, check: Stage.ingest, location: labelPlace,
                                                expected: "a row the spec names (measures) or ignores (ignore_rows)", actual: label))
            }
            return
        }
        context.seenMeasures.insert(k)
        for (column, text, period) in context.periodColumns {
            observe(place(row, column, context.header[column], file), period: period, periodText: text, measure: k, &context)
        }
    }

    private func readMatrixHeader(_ matrix: PipelineSpec.Matrix, _ frame: TableFrame, _ context: inout Context) {
        guard let label = column(matrix.labelColumn, in: frame, &context) else { return }
        let dimension = matrix.columns
        context.labelColumn = label
        context.header = frame.header
        for (index, text) in frame.header.enumerated() where index != label && !text.trimmingWhitespace.isEmpty {
            if matrix.ignoreColumns.contains(text.trimmingWhitespace) { continue }
            let place = SourceLocation(file: file, row: frame.headerLine, column: index + 1, raw: text)
            if let code = lookup(text, in: dimension, at: place, &context) { context.categoryColumns.append((index, code)) }
        }
        context.ready = true
    }

    private func shapeMatrix(_ matrix: PipelineSpec.Matrix, _ row: TableRow, _ context: inout Context) {
        let rows = matrix.rows, columns = matrix.columns, period = matrix.fixedPeriod
        let labelPlace = place(row, context.labelColumn, matrix.labelColumn, file)
        let label = (labelPlace.raw ?? "").trimmingWhitespace
        guard !matrix.ignoreRows.contains(label), let rowCode = lookup(label, in: rows, at: labelPlace, &context) else { return }
        for (column, code) in context.categoryColumns {
            observe(place(row, column, context.header[column], file), period: period, periodText: "\(period) (the table's period)", measure: 0,
                    dims: [(rows.field, rowCode), (columns.field, code)], &context)
        }
    }

    /// A label's code in a dimension's code list; an unknown label is `unknown-code` with the nearest codes.
    private func lookup(_ label: String, in dimension: PipelineSpec.Dimension, at place: SourceLocation, _ context: inout Context) -> String? {
        guard let list = codeLists[dimension.codeList] else { return nil }
        switch list.lookup(label) {
        case .success(let code): return code.code
        case .failure(.unknown(_, let suggestions)):
            context.findings.append(Finding(.unknownCode, check: Stage.normalize, location: place,
                                            expected: "a code of \(dimension.codeList)" + (suggestions.isEmpty ? "" : " (nearest: \(suggestions.joined(separator: ", ")))"),
                                            actual: label))
            return nil
        }
    }

    private func place(_ row: TableRow, _ column: Int, _ label: String, _ file: String) -> SourceLocation {
        SourceLocation(file: file, row: row.line, column: column + 1, field: label,
                       raw: column < row.cells.count ? row.cells[column] : nil)
    }

    private func parsePeriod(_ text: String, at place: SourceLocation, _ context: inout Context) -> YearPeriod? {
        if let known = context.periodCache[text] { return known }
        let result = context.periods.parse(text)
        let parsed = judgePeriod(result, at: place, &context)
        // Only labels read cleanly are remembered (a finding must name every cell that has one),
        // and only a few hundred: a long table repeats a handful of years.
        if let parsed, context.periodCache.count < 512, case .success(let p) = result, p == parsed { context.periodCache[text] = parsed }
        return parsed
    }

    /// A parsed label as the shape wants it, or a finding and nil.
    private func judgePeriod(_ result: Result<YearPeriod, PeriodParser.Failure>, at place: SourceLocation, _ context: inout Context) -> YearPeriod? {
        switch result {
        case .success(let p) where p.kind == shape.periodKind:
            return p
        case .success(let p):
            context.findings.append(Finding(.periodError, check: Stage.normalize, location: place,
                                            expected: shape.periodKind.rawValue, actual: p.kind.rawValue))
        case .failure(.impossible(let why, let counted)):
            context.findings.append(Finding(.periodError, check: Stage.normalize, location: place,
                                            expected: shape.periodKind.rawValue + " year", actual: why))
            // Accepted only where the spec lowers period-error to a warning: the era counted on.
            if spec.severities[.periodError] == .warning && counted.kind == shape.periodKind { return counted }
        case .failure(.unreadable):
            context.findings.append(Finding(.periodError, check: Stage.normalize, location: place,
                                            expected: shape.periodKind.rawValue + " year", actual: "unreadable"))
        }
        return nil
    }

    /// What a cell gives its row: the value, its status (a marker's meaning), and how the printed
    /// text became it (factor, precision, and a note for the lineage's steps).
    private struct CellReading {
        var value: Value
        var status: MissingReason? = nil
        var factor: Decimal? = nil
        var precision: Decimal? = nil
        var note: String? = nil
    }

    /// A cell's text → its row's value; nil for a blank, for a marker when the schema has no status
    /// field (SpecChecks refuses those), and for an unreadable cell (a finding at `place`).
    private func read(_ raw: String, measure k: Int, at place: @autoclosure () -> SourceLocation, _ context: inout Context) -> CellReading? {
        switch context.cells.normalize(raw, scale: context.scales[k]) {
        case .blank:
            return nil
        case .marker(let reason, let marker):
            // A declared marker never becomes a number: an empty value and its meaning in `status`.
            guard context.hasStatus else { return nil }
            return CellReading(value: .null, status: reason, note: "marker \(marker.debugDescription) → \(reason.rawValue), no value")
        case .quantity(let value, let precision, let approximate):
            return CellReading(value: .number(value), factor: context.scales[k].factor, precision: precision,
                               note: approximate ? "approximate as printed (約)" : nil)
        case .unreadable(let error):
            context.findings.append(Finding(error.code, check: Stage.normalize, location: place(),
                                            expected: error == .unknownMarker ? "a declared marker" : "number", actual: raw))
            return nil
        }
    }

    /// A row's values in schema order into `values` (emptied first); `dimension` gives a category
    /// field's code (the unit's name when the row has none).
    private func fill(_ values: inout [Value], _ reading: CellReading, period: YearPeriod, measure k: Int, _ context: Context,
                      dimension: (String) -> Value?) {
        values.removeAll(keepingCapacity: true)
        for source in context.fieldSources {
            switch source {
            case .period: values.append(.integer(period.year))
            case .measure: values.append(context.measureNames[k])
            case .value: values.append(reading.value)
            case .status: values.append(reading.status.map { .string($0.rawValue) } ?? .null)
            case .unit: values.append(context.unitNames[k])
            case .dimension(let field): values.append(dimension(field) ?? context.unitNames[k])
            }
        }
    }

    /// One cell → one long row (or a finding, or nothing for a blank or a declared marker). `dims`
    /// are the category fields the row's labels gave, `mapped` when a code list turned a label into
    /// the code (a lineage step); a code copied from its column is not a step.
    private func observe(_ cell: __owned SourceLocation, period: YearPeriod, periodText: String, measure k: Int,
                         dims: [(field: String, code: String)] = [], mapped: Bool = true, _ context: inout Context) {
        guard let raw = cell.raw, let reading = read(raw, measure: k, at: cell, &context) else { return }
        var values: [Value] = []
        values.reserveCapacity(context.fieldSources.count)
        fill(&values, reading, period: period, measure: k, context) { field in dims.first { $0.field == field }.map { .string($0.code) } }
        var steps: [String] = []
        if periodText != context.periodTexts[period] { steps.append("period \(periodText) → \(period)") }
        if mapped { for (field, code) in dims.sorted(by: { $0.field < $1.field }) { steps.append("\(field) → \(code)") } }
        if let note = reading.note { steps.append(note) }
        context.rows.append(CuratedRow(values: values, lineage: Lineage(source: cell, sourceUnit: context.units[k].label, factor: reading.factor,
                                                                        precision: reading.precision, steps: steps)))
    }

    /// The printed unit note against the spec. A declared `unit_note` must be printed as declared;
    /// whether declared or not, a printed note is compared with each measure's unit (see `UnitNoteCheck`).
    private func checkUnitNote(_ frame: TableFrame) -> [Finding] {
        var findings: [Finding] = []
        if let declared = shape.unitNote {
            guard let note = frame.unitNote else {
                return [Finding(.unitError, check: Stage.ingest, location: SourceLocation(file: file, row: frame.headerLine),
                                expected: "a unit note （単位：\(declared.joined(separator: "、"))） above the header", actual: "none")]
            }
            let found = UnitRegistry.labels(inNote: note.text)
            if found != declared {
                findings.append(Finding(.unitError, check: Stage.ingest, location: SourceLocation(file: file, row: note.line, raw: note.text),
                                        expected: declared.joined(separator: "、"), actual: found.joined(separator: "、")))
            }
        }
        if let note = frame.unitNote {
            findings += UnitNoteCheck(units: units).contradictions(note: note.text, line: note.line, file: file, measures: allMeasures)
        }
        return findings
    }
}

extension Array where Element == UInt8 {
    /// The same bytes as `cell` (memcmp: the generic `elementsEqual` costs a few percent of a
    /// long table's read).
    func sameBytes(as cell: UnsafeBufferPointer<UInt8>) -> Bool { sameBytes(as: UnsafeRawBufferPointer(cell)) }

    func sameBytes(as bytes: UnsafeRawBufferPointer) -> Bool {
        guard count == bytes.count else { return false }
        guard count > 0 else { return true }
        return withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, count) == 0 }
    }
}
