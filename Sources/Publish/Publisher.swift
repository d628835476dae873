import Foundation
import Crypto
import CurateCore
import Validate

/// Writes curated packages into Curated/<dataset>/ and keeps `Curated/catalog.json` in step.
///
/// A dataset that fails validation gets its reports written and nothing else: its previous data,
/// lineage and datapackage.json stay as they were.
public struct Publisher: Sendable {
    public let curatedRoot: String

    /// Where each file goes in Curated/.
    public var layout: CuratedLayout { CuratedLayout(root: curatedRoot) }

    public init(curatedRoot: String) { self.curatedRoot = curatedRoot }

    public enum Outcome: Sendable, Equatable {
        case published(release: String, changed: Bool)
        case keptPrevious(release: String?)
    }

    public func directory(for dataset: String) -> String { layout.dataset(dataset) }

    /// A release rendered as it would be published: data.csv and lineage.csv written (rows in
    /// primary-key order) in a scratch folder, with their hashes and sizes, the period range and a
    /// summary of the series for the report. The release id is derived from the data, so it
    /// changes exactly when the data does.
    public struct Rendered: Sendable {
        public struct File: Sendable {
            public var path: String
            public var bytes: Int
            /// SHA-256 in hex.
            public var sha256: String
        }

        public var schema: TableSchema
        public var rows: Int
        /// Holds the files; removed when the last copy of this value goes away.
        let folder: ScratchFolder
        public var data: File
        public var lineage: File
        public var coverage: Catalog.Coverage?
        public var series: SeriesSummary
        /// SHA-256 of data.csv, in hex: the resource hash, and (its first 12 digits) the release id.
        public var dataHash: String { data.sha256 }
        public var release: String { String(dataHash.prefix(12)) }
        /// The folder holding data.csv and lineage.csv, to read them back (a dry run's preview).
        public var directory: String { folder.path }
    }

    /// A scratch folder for a dataset's rendered release, on Curated/'s file system (so publishing
    /// links its files in) and named so that `recover()` removes it after a killed run.
    public func scratchFolder(for dataset: String) -> String { layout.renderScratch(for: dataset) }

    /// Renders a table held in memory (sorted by primary key first).
    public func render(_ table: CuratedTable, periodField: String? = nil) throws -> Rendered {
        var sorted = table
        sorted.sortByPrimaryKey()
        let writer = try ReleaseWriter(schema: sorted.schema, periodField: periodField ?? sorted.schema.fields.first { $0.type == .year || $0.type == .integer }?.name,
                                       folder: scratchFolder(for: "table-" + UUID().uuidString))
        for row in sorted.rows { try writer.write(row) }
        return try writer.finish()
    }

    /// Publishes `rendered` if `report` is valid; always writes the reports. A new release is also
    /// kept under releases/<id>/ and listed in releases.json.
    public func publish(_ rendered: Rendered, description: DatasetDescription, report: ValidationReport) throws -> (Outcome, Catalog.Entry) {
        let dir = directory(for: description.name)
        let transaction = try DatasetTransaction(directory: dir)
        try transaction.write(try report.jsonData(), to: CuratedLayout.reportJSON)
        try transaction.write(Data(report.markdown().utf8), to: CuratedLayout.reportMarkdown)
        try transaction.write(Data(report.html(series: rendered.series, title: description.title).utf8),
                              to: CuratedLayout.reportHTML)
        guard report.valid else {
            try transaction.commit()
            let previous = previousRelease(of: description.name)
            let entry = Catalog.Entry(name: description.name, title: description.title, path: description.name,
                                      status: .failedValidation, release: previous?.release, rows: previous?.rows,
                                      coverage: previous?.coverage)
            return (.keptPrevious(release: previous?.release), entry)
        }
        let (data, lineage, release, schema) = (rendered.data, rendered.lineage, rendered.release, rendered.schema)
        var package = DataPackage(
            name: description.name, title: description.title, description: description.description, version: release,
            licenses: description.licenses.map { .init(name: $0.name, path: $0.path, title: $0.title) },
            sources: description.sources.map { .init(title: $0.title, path: $0.url, publisher: $0.publisher, raw: $0.raw) },
            resources: [
                .init(name: "data", path: ReleaseFiles.data, title: description.title, bytes: data.bytes,
                      hash: "sha256:" + data.sha256, schema: schema),
                .init(name: "lineage", path: ReleaseFiles.lineage, title: "Lineage of every value in data.csv",
                      description: "For each row of data.csv (matched by the primary key): the raw file, line, column and text it was read from, and each step applied.",
                      bytes: lineage.bytes, hash: "sha256:" + lineage.sha256, schema: Self.lineageSchema(for: schema)),
            ])
        var codeListFiles: [(path: String, data: Data)] = []
        for list in description.codeLists {
            let csv = Data((CSVWriter.line(["code", "label"]) + list.codes.map { CSVWriter.line([$0.code, $0.label]) }.joined()).utf8)
            let path = "codelists/\(list.id).csv"
            codeListFiles.append((path, csv))
            package.resources.append(DataPackage.Resource(
                name: "codelist-" + list.id, path: path, title: list.title, description: "Code list \(list.id): \(list.source)",
                bytes: csv.count, hash: "sha256:" + Self.sha256(csv),
                schema: TableSchema(fields: [Field(name: "code", type: .string, constraints: Constraints(required: true, unique: true)),
                                             Field(name: "label", type: .string)], primaryKey: ["code"])))
        }
        let descriptor = try package.jsonData()
        let coverage = rendered.coverage.flatMap { $0.field == description.periodField ? $0 : nil }
        // Everything goes into the staged folder; the commit swaps the whole folder in one step.
        let releaseDir = CuratedLayout.release(release)
        try transaction.stage(files: [(data.path, releaseDir + "/" + ReleaseFiles.data), (lineage.path, releaseDir + "/" + ReleaseFiles.lineage)])
        for file in codeListFiles {
            try transaction.write(file.data, to: releaseDir + "/" + file.path)
            try transaction.write(file.data, to: file.path)
        }
        try transaction.write(descriptor, to: releaseDir + "/" + ReleaseFiles.descriptor)
        if let history = ReleaseHistory.recording(.init(id: release, rows: rendered.rows, coverage: coverage,
                                                               raw: description.sources.compactMap(\.raw)), in: dir) {
            try transaction.write(history, to: CuratedLayout.history)
        }
        var changed = try transaction.stage(files: [(data.path, ReleaseFiles.data), (lineage.path, ReleaseFiles.lineage)])
        changed = try transaction.write(descriptor, to: ReleaseFiles.descriptor) || changed
        try transaction.commit()
        let entry = Catalog.Entry(name: description.name, title: description.title, path: description.name,
                                  status: .published, release: release, rows: rendered.rows, coverage: coverage)
        return (.published(release: release, changed: changed), entry)
    }

    /// The release a new one should be compared with: the latest kept release other than `release`.
    public func releaseBefore(_ release: String, of dataset: String) -> String? {
        releases(of: dataset).map(\.id).last { $0 != release }
    }

    /// Every kept release of a dataset, oldest first.
    public func releases(of dataset: String) -> [ReleaseHistory.Release] {
        ReleaseHistory.load(in: directory(for: dataset)).releases
    }

    /// Rewrites the catalogue with `entries` replacing those of the same name; datasets not in
    /// `keep` (their pipeline was removed) are dropped. Entries are sorted by name. The catalogue
    /// page (index.html) is rewritten from the same entries.
    public func updateCatalog(with entries: [Catalog.Entry], keep: Set<String>) throws {
        let path = layout.catalog
        var byName = Dictionary((Catalog.load(from: path)?.datasets ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for entry in entries { byName[entry.name] = entry }
        let datasets = byName.values.filter { keep.contains($0.name) }.sorted { $0.name < $1.name }
        let catalog = Catalog(datasets: datasets)
        try AtomicFile.write(try catalog.jsonData(), to: path)
        try CatalogPage.write(catalog, curatedRoot: curatedRoot)
    }

    /// Removes what a killed run left half-done (staging folders); call with the run lock held.
    public func recover() {
        DatasetTransaction.sweep(curatedRoot: curatedRoot)
    }

    public func catalog() -> Catalog? { Catalog.load(from: layout.catalog) }

    /// The report of the dataset's latest run (Curated/<dataset>/report.json), if it had one.
    public func latestReport(of dataset: String) -> ValidationReport? {
        FileManager.default.contents(atPath: directory(for: dataset) + "/" + CuratedLayout.reportJSON)
            .flatMap { try? JSONDecoder().decode(ValidationReport.self, from: $0) }
    }

    private func previousRelease(of dataset: String) -> Catalog.Entry? {
        catalog()?.datasets.first { $0.name == dataset && $0.release != nil }
    }

    static func lineageSchema(for schema: TableSchema) -> TableSchema {
        let keyFields = schema.primaryKey.compactMap { name in schema.fields.first { $0.name == name } }
            .map { Field(name: $0.name, type: $0.type, title: $0.title) }
        return TableSchema(fields: keyFields + [
            Field(name: "file", type: .string, description: "Raw file, relative to the project root"),
            Field(name: "row", type: .integer, description: "1-based line of the raw file"),
            Field(name: "column", type: .integer, description: "1-based column of the raw file"),
            Field(name: "field", type: .string, description: "Header label of that column"),
            Field(name: "raw", type: .string, description: "The cell text as decoded"),
            Field(name: "source_unit", type: .string, description: "Unit as printed by the source"),
            Field(name: "factor", type: .number, description: "What the printed number was multiplied by: value = raw × factor (unit, multiplier and any currency rate)"),
            Field(name: "precision", type: .number, description: "One unit of the last printed digit, in the curated unit: the value is exact to within half of it"),
            Field(name: "steps", type: .string, description: "What raw × factor does not say, in order: a period label read, a label looked up in a code list, a marker, 約, a currency conversion"),
        ], primaryKey: schema.primaryKey)
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).hexDigits()
    }
}
