import CurateCore
import Normalize
import Validate
import Publish
import Ingest

/// One dataset's pipeline, as declared in Pipelines/<name>.yaml: where its raw file is, how to
/// read it, how to turn it into a long table, its schema and its rules.
public struct PipelineSpec: Sendable {
    public struct Source: Sendable {
        public var title: String
        public var publisher: String?
        public var url: String?
        /// Relative to the project root; must stay inside it.
        public var path: String
        /// The publisher's table is known but not yet delivered to Raw/: until it is, the catalogue
        /// reports the dataset as awaiting its source (never a made-up number in its place).
        public var awaiting: Bool
        /// How `curate fetch` gets the file from its publisher; nil for a file delivered by hand.
        public var fetch: FetchSpec? = nil
    }

    public struct Read: Sendable {
        /// `csv` or `xlsx` (printed tables); SDMX and e-Stat sources come with their own shapes.
        public var format: FileFormat
        /// XLSX: the sheet, by name.
        public var sheet: String?
        public var encoding: TextEncoding?
        public var delimiter: Character?
        public var layout: TableLayout
    }

    /// A column (years-down) or row (years-across) of the raw table that becomes one measure.
    public struct Measure: Sendable {
        /// The header label (years-down) or row label (years-across) as printed.
        public var label: String
        public var name: String
        public var unit: String
    }

    public enum Layout: String, Sendable, CaseIterable {
        /// A period per row, a measure per column.
        case yearsDown = "years-down"
        /// A measure (or a category) per row, a period per column (wide year columns).
        case yearsAcross = "years-across"
        /// A category per row and a category per column, one period (obstacles × firm size,
        /// funding sector × performing sector).
        case matrix
        /// One value per row: a column of labels naming the measure, a column of values, and
        /// optionally a column of units (key figures, scheme parameters).
        case long
    }

    /// A category dimension: labels in the table become codes of a code list.
    public struct Dimension: Sendable {
        /// The curated field holding the code.
        public var field: String
        public var codeList: String
    }

    /// Wide table → long table: one row per period and measure.
    public struct Shape: Sendable {
        public var layout: Layout
        /// years-down: the column of period labels; years-across and matrix: the column of row labels.
        public var periodColumn: String
        /// matrix, and years-across without listed measures: row labels become codes of a code list.
        public var rowDimension: Dimension?
        /// matrix: header labels become codes of a code list.
        public var columnDimension: Dimension?
        /// A table of one period (a survey wave, a budget year): every value gets this period.
        public var fixedPeriod: YearPeriod?
        /// long: the column of values, and the column of printed units (checked against each measure's).
        public var valueColumn: String?
        public var unitColumn: String?
        /// long, without a fixed period: the column of period labels.
        public var periodLabelColumn: String?
        /// long: columns copied as they are into fields (a region code, a category), header → field.
        public var dimensionColumns: [(column: String, field: String)] = []
        /// The one measure of a table whose rows or columns are categories, not measures.
        public var fixedMeasure: Measure?
        /// years-across: header columns that are not periods (e.g. 備考).
        public var ignoreColumns: [String]
        /// years-across: rows the pipeline knowingly leaves out.
        public var ignoreRows: [String]
        public var periodField: String
        public var periodKind: YearPeriod.Kind
        public var measures: [Measure]
        /// The units the table's （単位：…） note must name; nil when the table has no note.
        public var unitNote: [String]?

        /// The shape of a pipeline that reads observations rather than a printed table.
        static func observations(periodField: String) -> Shape {
            Shape(layout: .yearsDown, periodColumn: "", ignoreColumns: [], ignoreRows: [], periodField: periodField,
                  periodKind: .calendar, measures: [], unitNote: nil)
        }
    }

    public var name: String
    public var title: String
    public var description: String?
    public var licenses: [DatasetDescription.License]
    public var source: Source
    public var read: Read
    public var shape: Shape
    /// SDMX pipelines: how observations become rows (then `shape` only carries the period field).
    public var observations: ObservationShape?
    /// Derived pipelines: figures computed from other curated datasets (no raw file of their own).
    public var derived: [DerivedFigure]?
    public var numbers: NumberFormat
    public var schema: TableSchema
    public var rules: [any ConsistencyRule]
    /// Severity overrides for the findings of reading and normalising (e.g. `period-error: warning`
    /// to accept 平成32年度 in an old plan, counted on as FY2020, with a warning).
    public var severities: [IssueCode: Severity]
    /// The spec file, relative to the project root.
    public var file: String

    func datasetDescription(codeLists: [CodeList]) -> DatasetDescription {
        var d = DatasetDescription(name: name, title: title, description: description,
                                   sources: [.init(title: source.title, publisher: source.publisher, url: source.url)],
                                   licenses: licenses, periodField: derived == nil ? shape.periodField : nil)
        d.codeLists = codeLists.map { .init(id: $0.id, title: $0.title, source: $0.source, codes: $0.codes.map { ($0.code, $0.label) }) }
        return d
    }

    /// The ids of the code lists the schema's foreign keys refer to.
    var referencedCodeLists: [String] { (schema.foreignKeys ?? []).compactMap(\.codeListID) }

    /// Every schema field must be one the shape fills; a spec naming another fails before any run.
    func requireSchemaFields(producedBy fillable: [String]) throws {
        for field in schema.fields where !fillable.contains(field.name) {
            throw CurateError(.specError, "schema field \(field.name) is not produced by the shape (fields: \(fillable.joined(separator: ", ")))",
                              at: SourceLocation(file: file))
        }
    }
}
