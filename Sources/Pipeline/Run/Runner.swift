import Foundation
import Logging
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
        /// Inputs unchanged since its last successful run: not redone (`--force` redoes it).
        case skipped(release: String)
        /// The spec says its raw file is awaited, and it is not in Raw/ yet.
        case awaitingSource
    }

    public var name: String
    public var status: Status
    public var report: ValidationReport?
    /// A dry run's refresh preview: what publishing would change against the latest release.
    public var preview: ReleaseDiff? = nil
}

/// Drives the stages for each pipeline: read (Ingest) → normalise (Normalize) → check (Validate)
/// → publish (Publish). One dataset's failure does not stop the others.
public struct Runner: Sendable {
    public let project: Project
    /// Identifies the running code, for incremental runs (a hash of the executable).
    public var codeVersion: String
    /// Redo every dataset, even one whose inputs are unchanged.
    public var force = false
    /// Where run events go (cron reads them); silent unless the caller gives a handler.
    public var logger = Logger(label: "curate", factory: { _ in SwiftLogNoOpLogHandler() })
    /// What the row sorter may hold in memory before spilling sorted runs to disk.
    var sortMemoryBudget = RowSorter.memoryBudget
    /// Called as a raw file is read: dataset, bytes read, file size, rows read.
    public var progress: (@Sendable (String, Int, Int, Int) -> Void)?
    /// Tests: called after each chunk of a raw file is read (path as the spec names it, offset
    /// reached), to change the file in the middle of a read.
    var rawReadHook: (@Sendable (String, Int) -> Void)?

    public init(project: Project, codeVersion: String = "library", force: Bool = false) {
        self.project = project; self.codeVersion = codeVersion; self.force = force
    }

    /// Runs the named datasets (all when empty). A spec that does not load or does not fit its
    /// shaper fails its own dataset (`.failed` with its `spec-error`); the others run. A lock held
    /// by another run throws `lock-held`; so does a name no pipeline has (`spec-error`).
    public func run(datasets names: [String], dryRun: Bool, failOnWarning: Bool = false, waitForLock: Bool = false) throws -> [DatasetResult] {
        let set = try project.loadSpecSet()
        let specs = set.specs
        let (selected, brokenChosen) = try select(names, from: set)
        let chosen = try Self.dependencyOrder(selected)
        let units = try project.unitRegistry()
        let lock = dryRun ? nil : try RunLock(curatedRoot: project.curatedRoot, wait: waitForLock)
        defer { withExtendedLifetime(lock) {} }
        let publisher = Publisher(curatedRoot: project.curatedRoot)
        if lock != nil { publisher.recover() }
        var results: [DatasetResult] = brokenChosen.map { DatasetResult(name: $0.name, status: .failed($0.error), report: nil) }
        for broken in brokenChosen {
            var log = logger
            log[metadataKey: "dataset"] = .string(broken.name)
            Self.log(results.first { $0.name == broken.name }!, since: Date(), to: log)
        }
        var entries: [Catalog.Entry] = []
        let fingerprints = InputFingerprint(project: project, codeVersion: codeVersion)
        // The catalogue is rewritten only after the loop, so the one read here holds for every dataset.
        let unchanged = UnchangedInputs(project: project, fingerprints: fingerprints, failOnWarning: failOnWarning,
                                        catalogued: publisher.catalog())
        logger.info("run started", metadata: ["datasets": .array(chosen.map { .string($0.name) }), "dry_run": .stringConvertible(dryRun)])
        for spec in chosen {
            let started = Date()
            var log = logger
            log[metadataKey: "dataset"] = .string(spec.name)
            defer { if let last = results.last, last.name == spec.name { Self.log(last, since: started, to: log) } }
            do {
                if let awaiting = try preflight(spec, units: units) {
                    results.append(DatasetResult(name: spec.name, status: .awaitingSource, report: nil))
                    entries.append(awaiting)
                    continue
                }
                if !dryRun, !force, let release = try unchanged.release(of: spec) {
                    results.append(DatasetResult(name: spec.name, status: .skipped(release: release), report: nil))
                    continue
                }
                var (rendered, report, raw) = try checkSnapshot(spec, units: units, specs: specs)
                if failOnWarning && report.stats.warnings > 0 { report.valid = false }
                if dryRun {
                    results.append(try preview(spec, rendered: rendered, report: report))
                    continue
                }
                let (result, entry) = try publish(spec, rendered: rendered, report: report, raw: raw, with: publisher,
                                                  fingerprints: fingerprints, failOnWarning: failOnWarning)
                results.append(result)
                entries.append(entry)
            } catch let error as CurateError {
                results.append(DatasetResult(name: spec.name, status: .failed(error), report: nil))
            } catch {
                // Foundation's file errors (permission denied, no space) are input/output failures too.
                let failure = CurateError(.ioError, Self.describe(error), at: SourceLocation(file: "Curated/\(spec.name)"))
                results.append(DatasetResult(name: spec.name, status: .failed(failure), report: nil))
            }
        }
        if !dryRun { try finishRun(entries: entries, keeping: set.names, specs: specs, with: publisher) }
        logger.info("run finished", metadata: ["datasets": .stringConvertible(results.count)])
        return results
    }

    /// Fails on a spec its shaper cannot fill: a schema field it does not produce, an unknown unit.
    func checkSpec(_ spec: PipelineSpec, units: UnitRegistry) throws {
        switch spec.shape {
        case .derived:
            return
        case .observations(let observations):
            try ObservationShaper(spec: spec, shape: observations, units: units, numbers: NumberParser(format: spec.numbers),
                                  converter: nil, file: spec.source.path).checkSpec()
        case .table:
            try shaper(for: spec, units: units).checkSpec()
        }
    }

    /// `check`, with the raw file hashed in the same pass the readers make and checked unchanged at
    /// the end of it (`raw-changed` otherwise): the hash names exactly the bytes the rows came from.
    func checkSnapshot(_ spec: PipelineSpec, units: UnitRegistry, specs: [PipelineSpec]) throws -> (Publisher.Rendered, ValidationReport, RawFileHash?) {
        guard !spec.shape.isDerived else {
            let (rendered, report) = try check(spec, units: units, specs: specs)
            return (rendered, report, nil)
        }
        let snapshot = try RawSnapshot(path: try project.resolveSource(spec.source.path), relative: spec.source.path, hook: rawReadHook)
        let (rendered, report) = try ReadObservers.$current.withValue(snapshot) { try check(spec, units: units, specs: specs) }
        return (rendered, report, try snapshot.finish())
    }

    /// Reads, normalises and checks one dataset, writing nothing in Curated/ but its scratch
    /// folders: rows flow from the shaper into the sorter (spilling to disk past its budget), then
    /// in primary-key order through the schema checks into data.csv and lineage.csv (rendered in a
    /// scratch folder, hashed as they are written). Rules see the release now in Curated/
    /// (revisions) and the other datasets they compare with (cross-source).
    func check(_ spec: PipelineSpec, units: UnitRegistry, specs: [PipelineSpec]) throws -> (Publisher.Rendered, ValidationReport) {
        let started = Date()
        var report = ReportBuilder()
        let publisher = Publisher(curatedRoot: project.curatedRoot)
        let sortFolder = try ScratchFolder(path: publisher.layout.sortScratch(for: spec.name))
        let sorter = RowSorter(schema: spec.schema, directory: sortFolder.path, memoryBudget: sortMemoryBudget)
        var references: [String: Set<String>] = [:]
        for id in spec.referencedCodeLists { references["codelist-" + id] = Set(try project.codeList(id).codes.map(\.code)) }
        var schemaCheck = SchemaValidator(references: references).rowChecker(for: spec.schema, spillDirectory: sortFolder.path)
        // The schema's findings, collected on the other core (joined to `report` at the end).
        var schemaReport = ReportBuilder()
        schemaReport.begin(Stage.schema, severity: .error)
        // While this thread reads, shapes and encodes rows, the other core checks each row's cells
        // (types, constraints, codes: in input order) from its bytes, decoding its values only
        // when it may fail, and files it in the sorter.
        var cells: [Value] = []
        let layout = RowCodec.Layout()
        let places = RowCodec.Decoder(tables: sorter.tables)
        let cellChecks = schemaCheck.cells, fields = spec.schema.fields.count
        let toSorter = SorterFeed(tables: sorter.tables) { bytes in
            layout.load(bytes)
            var passed = cellChecks.surelyPasses(encoded: bytes, layout: layout, fields: fields)
            if !passed {
                RowCodec.values(of: bytes, into: &cells)
                passed = cellChecks.check(cells, at: { places.decode(bytes).lineage.source }, into: &schemaReport)
            }
            try sorter.append(encoded: bytes, layout: layout, cellsPassed: passed)
        }
        switch spec.shape {
        case .derived(let figures):
            for row in try DerivedFigures(project: project, specs: specs).compute(figures, file: spec.file, into: &report) { try toSorter.send(row) }
        case .observations(let observations):
            let path = try project.resolveSource(spec.source.path)
            try SourceLock.load(root: project.root).check(spec.source.path, root: project.root, into: &report)
            let converter = try observations.rateTable.map { CurrencyConverter(table: try project.rateTable($0), scale: 0) }
            let shaper = ObservationShaper(spec: spec, shape: observations, units: units, numbers: NumberParser(format: spec.numbers),
                                           converter: converter, file: spec.source.path)
            try shaper.shape(path: path, format: spec.read.format, into: &report, emit: toSorter.send)
        case .table:
            let path = try project.resolveSource(spec.source.path)
            try SourceLock.load(root: project.root).check(spec.source.path, root: project.root, into: &report)
            try shapeTable(spec, path: path, units: units, into: &report, to: toSorter)
        }
        try toSorter.finish()
        logger.debug("rows read, checked and sorted into runs", metadata: ["dataset": .string(spec.name), "rows": .stringConvertible(sorter.count),
                                                                          "seconds": .stringConvertible(Self.seconds(since: started))])
        let writer = try ReleaseWriter(schema: spec.schema, periodField: spec.shape.periodField, folder: publisher.scratchFolder(for: spec.name))
        // Rules check the same stream, keeping per-group state (see `RuleStream`); revisions
        // merge-join the latest two releases, as the new one may be the latest already (a rerun).
        let releaseFolders = publisher.releases(of: spec.name).map { (id: $0.id, folder: publisher.layout.release($0.id, of: spec.name)) }
            .filter { FileManager.default.fileExists(atPath: $0.folder + "/" + ReleaseFiles.data) }
        let previous = try releaseFolders.suffix(2).reversed().map { release in
            (release: release.id, rows: try ReleaseRows(directory: release.folder, schema: spec.schema) as any RowCursor)
        }
        let rules = try RuleStream(rules: spec.rules, schema: spec.schema, previous: spec.rules.contains { $0 is RevisionRule } ? previous : [],
                                   others: { other in
            guard let otherSpec = specs.first(where: { $0.name == other }) else {
                throw CurateError(.specError, "cross-source rule names dataset \(other), which has no pipeline", at: SourceLocation(file: spec.file))
            }
            let folder = project.curatedRoot + "/" + other
            guard FileManager.default.fileExists(atPath: folder + "/" + ReleaseFiles.data) else { return nil }
            return (otherSpec.schema, try ReleaseRows(directory: folder, schema: otherSpec.schema))
        })
        // Merging and the checks across rows (keys, unique values) on this thread, which decodes
        // only the rows those need; rules and writing on the other core.
        let output = SortedRowOutput(writer: writer, rules: rules, schema: spec.schema, tables: sorter.tables)
        var toWriter = EncodedRowPipe(consume: output.write)
        let decoder = RowCodec.Decoder(tables: sorter.tables)
        // Without rules the writer formats rows from their bytes: this core, which merges, makes
        // their data.csv lines (the writer's, making lineage.csv's, is the busier).
        let dataLines = RowCodec.Lines(keyIndexes: [], tables: sorter.tables), makesDataLines = !rules.wantsRows
        try sorter.forEach { row, firstOfKey in
            let decoded = firstOfKey != nil || schemaCheck.needsEveryRow ? decoder.decode(row) : nil
            schemaCheck.checkTable(decoded, cellsPassed: RowSorter.cellsPassed(row), duplicateOf: firstOfKey.map { decoder.decode($0).lineage.source },
                                   into: &schemaReport)
            if makesDataLines {
                try toWriter.send(row) { line in dataLines.load(row); dataLines.appendData(row, to: &line) }
            } else {
                try toWriter.send(row)
            }
        }
        try toWriter.finish()
        logger.debug("rows merged, checked and written", metadata: ["dataset": .string(spec.name), "seconds": .stringConvertible(Self.seconds(since: started))])
        try schemaCheck.finish(into: &schemaReport)
        report.merge(schemaReport)
        let rendered = try writer.finish()
        if rendered.rows == 0 {
            // A table with no row passes every schema check by checking nothing: never "valid".
            report.begin(Stage.schema, severity: .error)
            report.add(Finding(.checkedNothing, severity: .error, check: Stage.schema, location: SourceLocation(file: spec.shape.isDerived ? spec.file : spec.source.path),
                               expected: "at least one row", actual: "no rows to publish: every cell blank, or no row matched the spec"))
        }
        try rules.finish(release: rendered.release, into: &report)
        return (rendered, report.build(dataset: spec.name, rows: rendered.rows))
    }

    /// Reads a printed table (CSV or XLSX), handing each long row to `sink`.
    private func shapeTable(_ spec: PipelineSpec, path: String, units: UnitRegistry, into report: inout ReportBuilder,
                            to sink: some RowSink) throws {
        let source: any RecordSource
        if spec.read.format == .xlsx {
            source = try XLSXReader(path: path, sheet: spec.read.sheet)
        } else if spec.read.format == .xls {
            source = try XLSReader(path: path, sheet: spec.read.sheet)
        } else {
            let csv = try CSVReader(path: path, encoding: spec.read.encoding, delimiter: spec.read.delimiter)
            if let progress {
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                csv.progress = { progress(spec.name, $0, size, $1) }
            }
            source = csv
        }
        let reader = TableReader(csv: source, layout: spec.read.layout)
        let shaper = try shaper(for: spec, units: units)
        do {
            try shaper.shape(reader: reader, into: &report, to: sink)
        } catch var error as CurateError {
            if error.location?.file == path { error.location?.file = spec.source.path }
            throw error
        }
    }

    /// The shaper of a spec, with the code lists its dimensions name.
    func shaper(for spec: PipelineSpec, units: UnitRegistry) throws -> TableShaper {
        var shaper = TableShaper(spec: spec, units: units, file: spec.source.path)
        for id in spec.shape.dimensions.map(\.codeList) {
            shaper.codeLists[id] = try project.codeList(id)
        }
        return shaper
    }

    /// A warning a steward must see whatever the log format: through the logger when one is set
    /// (text or JSON lines), else as one `curate: warning: …` line on stderr.
    func warn(_ message: String, _ details: [String: String]) {
        if logger.handler is SwiftLogNoOpLogHandler {
            let text = details.keys.sorted().map { "\($0)=\(details[$0]!)" }.joined(separator: " ")
            FileHandle.standardError.write(Data("curate: warning: \(message) \(text)\n".utf8))
        } else {
            logger.warning("\(message)", metadata: details.mapValues { .string($0) })
        }
    }

    /// A file-system error in a steward's words: the path and the system's reason.
    public static func describe(_ error: Error) -> String {
        let ns = error as NSError
        let path = ns.userInfo[NSFilePathErrorKey] as? String
        let reason = (ns.userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) } ?? ns.localizedDescription
        return (path.map { "\($0): " } ?? "") + reason
    }

    /// Seconds since `start`, to the millisecond (a log event's `seconds`).
    static func seconds(since start: Date) -> Double { (Date().timeIntervalSince(start) * 1000).rounded() / 1000 }

    /// One structured event per dataset: what happened, how big, how long.
    static func log(_ result: DatasetResult, since start: Date, to logger: Logger) {
        // Numbers go in as numbers (`stringConvertible`), so a JSON log carries them as numbers.
        var metadata: Logger.Metadata = ["seconds": .stringConvertible(Self.seconds(since: start))]
        if let report = result.report {
            metadata["rows"] = .stringConvertible(report.stats.rows)
            metadata["errors"] = .stringConvertible(report.stats.errors)
            metadata["warnings"] = .stringConvertible(report.stats.warnings)
        }
        switch result.status {
        case .published(let release, let changed):
            metadata["release"] = .string(release); metadata["changed"] = .stringConvertible(changed)
            logger.notice("dataset published", metadata: metadata)
        case .skipped(let release):
            metadata["release"] = .string(release)
            logger.info("dataset skipped: inputs unchanged", metadata: metadata)
        case .checked(let valid):
            metadata["valid"] = .stringConvertible(valid)
            logger.notice("dataset checked", metadata: metadata)
        case .failedValidation(let previous):
            metadata["kept_release"] = .string(previous ?? "none")
            logger.error("dataset failed validation: not published", metadata: metadata)
        case .awaitingSource:
            logger.info("dataset awaiting its source", metadata: metadata)
        case .failed(let error):
            metadata["code"] = .string(error.code.rawValue)
            metadata["error"] = .string(error.description)
            if let place = error.location {
                metadata["file"] = .string(place.file)
                if let row = place.row { metadata["line"] = .stringConvertible(row) }
                if let column = place.column { metadata["column"] = .stringConvertible(column) }
            }
            logger.error("dataset not run", metadata: metadata)
        }
    }

    /// The dataset's folder holds `release`, as its descriptor says.
    static func published(_ dataset: String, release: String, curatedRoot: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: CuratedLayout(root: curatedRoot).dataset(dataset) + "/" + ReleaseFiles.descriptor),
              let package = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return package["version"] as? String == release
    }

    /// The datasets a spec reads besides its raw file: cross-source comparisons and derived inputs.
    static func inputs(of spec: PipelineSpec) -> [String] {
        spec.rules.compactMap { ($0 as? CrossSourceRule)?.dataset } + derivedInputs(of: spec)
    }

    private static func derivedInputs(of spec: PipelineSpec) -> [String] {
        guard case .derived(let figures) = spec.shape else { return [] }
        return figures.flatMap { [$0.a.dataset, $0.b.dataset] }
    }

    /// Datasets that others compare with (cross-source rules) or derive from run first.
    static func dependencyOrder(_ specs: [PipelineSpec]) throws -> [PipelineSpec] {
        var done: [PipelineSpec] = []
        var visiting = Set<String>()
        func visit(_ spec: PipelineSpec) throws {
            if done.contains(where: { $0.name == spec.name }) { return }
            guard visiting.insert(spec.name).inserted else {
                throw CurateError(.specError, "cross-source rules form a cycle through \(spec.name)", at: SourceLocation(file: spec.file))
            }
            for other in Self.inputs(of: spec) {
                if let dependency = specs.first(where: { $0.name == other }) { try visit(dependency) }
            }
            done.append(spec)
        }
        for spec in specs { try visit(spec) }
        return done
    }

    /// The named specs (all when none named), and the named datasets whose spec does not load.
    private func select(_ names: [String], from set: SpecSet) throws -> ([PipelineSpec], [SpecSet.Broken]) {
        if names.isEmpty { return (set.specs, set.broken) }
        var specs: [PipelineSpec] = [], broken: [SpecSet.Broken] = []
        for name in names {
            if let spec = set.specs.first(where: { $0.name == name }) { specs.append(spec); continue }
            if let failure = set.brokenSpec(named: name) { broken.append(failure); continue }
            throw CurateError(.specError, "no pipeline named \(name) (have: \(set.names.joined(separator: ", ")))")
        }
        return (specs, broken)
    }
}
