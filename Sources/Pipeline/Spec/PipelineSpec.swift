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
    struct Measure: Sendable {
        /// The header label (years-down) or row label (years-across) as printed.
        public var label: String
        public var name: String
        public var unit: String
    }

    enum Layout: String, Sendable, CaseIterable {
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

    public var name: String
    public var title: String
    public var description: String?
    var licenses: [DatasetDescription.License]
    public var source: Source
    public var read: Read
    /// How the input becomes long rows: a printed table's layout, SDMX observations, or figures
    /// derived from other datasets (see `PipelineSpec+Shape.swift`).
    var shape: Shape
    public var numbers: NumberFormat
    public var schema: TableSchema
    public var rules: [any ConsistencyRule]
    /// Severity overrides for the findings of reading and normalising (e.g. `period-error: warning`
    /// to accept 平成32年度 in an old plan, counted on as FY2020, with a warning).
    var severities: [IssueCode: Severity]
    /// The spec file, relative to the project root.
    public var file: String

    func datasetDescription(codeLists: [CodeList]) -> DatasetDescription {
        var d = DatasetDescription(name: name, title: title, description: description,
                                   sources: [.init(title: source.title, publisher: source.publisher, url: source.url)],
                                   licenses: licenses, periodField: shape.isDerived ? nil : shape.periodField)
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
