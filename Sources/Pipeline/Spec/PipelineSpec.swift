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

    /// A column of the raw table that becomes one measure in the long table.
    public struct Measure: Sendable {
        public var column: String
        public var name: String
        public var unit: String
    }

    /// Wide table → long table: one row per period and measure.
    public struct Shape: Sendable {
        public var periodColumn: String
        public var periodField: String
        public var periodKind: YearPeriod.Kind
        public var measures: [Measure]
        /// The units the table's （単位：…） note must name; nil when the table has no note.
        public var unitNote: [String]?
    }

    public var name: String
    public var title: String
    public var description: String?
    public var licenses: [DatasetDescription.License]
    public var source: Source
    public var read: Read
    public var shape: Shape
    public var numbers: NumberFormat
    public var schema: TableSchema
    public var rules: [any ConsistencyRule]
    /// The spec file, relative to the project root.
    public var file: String

    var datasetDescription: DatasetDescription {
        DatasetDescription(name: name, title: title, description: description,
                           sources: [.init(title: source.title, publisher: source.publisher, url: source.url)],
                           licenses: licenses, periodField: shape.periodField)
    }
}
