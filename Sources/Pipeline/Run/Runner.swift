import Foundation
import CurateCore
import Ingest
import Normalize
import Validate
import Publish

/// What happened to one dataset in a run.
public struct DatasetResult: Sendable {
    public enum Status: Sendable {
        case published(release: String, changed: Bool)
        /// Failed validation at error severity: reports written, previous release kept.
        case failedValidation(previous: String?)
        /// Checked only (`--dry-run` or `validate`): nothing written.
        case checked(valid: Bool)
        /// Could not be read (missing or undecodable file): nothing written.
        case failed(CurateError)
    }

    public var name: String
    public var status: Status
    public var report: ValidationReport?
}

/// Drives the stages for each pipeline: read (Ingest) → normalise (Normalize) → check (Validate)
/// → publish (Publish). One dataset's failure does not stop the others.
public struct Runner: Sendable {
    public let project: Project

    public init(project: Project) { self.project = project }

    /// Runs the named datasets (all when empty). Spec errors throw before anything runs; a lock
    /// held by another run throws `lock-held`.
    public func run(datasets names: [String], dryRun: Bool, failOnWarning: Bool = false) throws -> [DatasetResult] {
        let specs = try project.loadSpecs()
        let chosen = try select(names, from: specs)
        let units = try project.unitRegistry()
        for spec in chosen {
            let shaper = TableShaper(spec: spec, units: units, file: spec.source.path)
            try shaper.checkSchema()
            _ = try shaper.resolvedUnits()
        }
        let lock = dryRun ? nil : try RunLock(curatedRoot: project.curatedRoot)
        defer { withExtendedLifetime(lock) {} }
        let publisher = Publisher(curatedRoot: project.curatedRoot)
        var results: [DatasetResult] = []
        var entries: [Catalog.Entry] = []
        for spec in chosen {
            do {
                var (table, report) = try check(spec, units: units)
                if failOnWarning && report.stats.warnings > 0 { report.valid = false }
                if dryRun {
                    results.append(DatasetResult(name: spec.name, status: .checked(valid: report.valid), report: report))
                    continue
                }
                let (outcome, entry) = try publisher.publish(table, description: spec.datasetDescription, report: report)
                entries.append(entry)
                switch outcome {
                case .published(let release, let changed):
                    results.append(DatasetResult(name: spec.name, status: .published(release: release, changed: changed), report: report))
                case .keptPrevious(let previous):
                    results.append(DatasetResult(name: spec.name, status: .failedValidation(previous: previous), report: report))
                }
            } catch let error as CurateError {
                results.append(DatasetResult(name: spec.name, status: .failed(error), report: nil))
            }
        }
        if !dryRun { try publisher.updateCatalog(with: entries, keep: Set(specs.map(\.name))) }
        return results
    }

    /// Reads, normalises and checks one dataset without writing anything.
    func check(_ spec: PipelineSpec, units: UnitRegistry) throws -> (CuratedTable, ValidationReport) {
        let path = try project.resolveSource(spec.source.path)
        let source: any RecordSource = spec.read.format == .xlsx
            ? try XLSXReader(path: path, sheet: spec.read.sheet)
            : try CSVReader(path: path, encoding: spec.read.encoding, delimiter: spec.read.delimiter)
        let reader = TableReader(csv: source, layout: spec.read.layout)
        let shaper = TableShaper(spec: spec, units: units, file: spec.source.path)
        var report = ReportBuilder()
        let rows: [CuratedRow]
        do {
            rows = try shaper.shape(reader: reader, into: &report)
        } catch var error as CurateError {
            if error.location?.file == path { error.location?.file = spec.source.path }
            throw error
        }
        let table = CuratedTable(schema: spec.schema, rows: rows)
        SchemaValidator().check(table, into: &report)
        for rule in spec.rules { try rule.check(table, into: &report) }
        return (table, report.build(dataset: spec.name, rows: rows.count))
    }

    private func select(_ names: [String], from specs: [PipelineSpec]) throws -> [PipelineSpec] {
        if names.isEmpty { return specs }
        return try names.map { name in
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw CurateError(.specError, "no pipeline named \(name) (have: \(specs.map(\.name).joined(separator: ", ")))")
            }
            return spec
        }
    }
}
