import Foundation
import CurateCore
import Normalize
import Validate
import Publish

/// The stages of `Runner.run` around the check of one dataset: preflight (the spec fits its shaper,
/// the source is there), skip-if-unchanged (the inputs' fingerprint), publish, and the run's end
/// (catalogue and store). `Runner.check` (read, sort, write, rules) is in `Runner.swift`.
extension Runner {
    /// Fails on a spec its shaper cannot fill; returns the catalogue entry of a dataset whose raw
    /// file is awaited and not yet in Raw/ (nothing else to do for it), nil when it can run.
    func preflight(_ spec: PipelineSpec, units: UnitRegistry) throws -> Catalog.Entry? {
        try checkSpec(spec, units: units)
        guard spec.source.awaiting && !FileManager.default.fileExists(atPath: project.root + "/" + spec.source.path) else { return nil }
        return Catalog.Entry(name: spec.name, title: spec.title, path: spec.name, status: .awaitingSource, release: nil, rows: nil, coverage: nil)
    }

    /// A dry run's outcome: the check's verdict and what publishing would change against the latest release.
    func preview(_ spec: PipelineSpec, rendered: Publisher.Rendered, report: ValidationReport) throws -> DatasetResult {
        let preview = try ReleaseDiff.preview(directory: rendered.directory, schema: spec.schema, release: rendered.release,
                                              dataset: spec.name, curatedRoot: project.curatedRoot)
        return DatasetResult(name: spec.name, status: .checked(valid: report.valid), report: report, preview: preview)
    }

    /// Publishes a checked dataset (or keeps its previous release when it failed validation), then
    /// records or clears its run state.
    func publish(_ spec: PipelineSpec, rendered: Publisher.Rendered, report: ValidationReport, raw: RawFileHash?, with publisher: Publisher,
                 fingerprints: InputFingerprint, failOnWarning: Bool) throws -> (DatasetResult, Catalog.Entry) {
        let codeLists = try spec.referencedCodeLists.map { try project.codeList($0) }
        var description = spec.datasetDescription(codeLists: codeLists)
        if let raw { description.sources[0].raw = .init(path: raw.path, sha256: raw.sha256, bytes: raw.bytes) }
        let (outcome, entry) = try publisher.publish(rendered, description: description, report: report)
        switch outcome {
        case .published(let release, let changed):
            // Recorded after publishing, with the history as it now stands, and the raw file as
            // it was read (never as it is now: it may have changed since).
            RunState(fingerprint: try fingerprints.compute(spec, raw: raw), release: release, failOnWarning: failOnWarning)
                .save(project, spec.name)
            return (DatasetResult(name: spec.name, status: .published(release: release, changed: changed), report: report), entry)
        case .keptPrevious(let previous):
            RunState.clear(project, spec.name)
            return (DatasetResult(name: spec.name, status: .failedValidation(previous: previous), report: report), entry)
        }
    }

    /// After every dataset: the catalogue rewritten (a dataset whose spec is broken keeps its entry
    /// and published release), and the store brought up to date.
    func finishRun(entries: [Catalog.Entry], keeping names: [String], specs: [PipelineSpec], with publisher: Publisher) throws {
        try publisher.updateCatalog(with: entries, keep: Set(names))
        // The store is a cache of Curated/: failing to update it never fails a run (the next rebuilds it).
        do {
            let outcome = try StoreSync(project: project).sync(specs: specs)
            if let reason = outcome.rebuilt {
                warn("store was corrupt and has been rebuilt from the release folders", ["store": CuratedLayout.shown(CuratedLayout.storeFile), "reason": reason])
            }
            for d in outcome.deferred {
                logger.notice("release registered in the store, not loaded (too large to load during a run): curate store --load \(d.dataset)",
                              metadata: ["dataset": .string(d.dataset), "release": .string(d.release), "rows": .stringConvertible(d.rows)])
            }
        } catch {
            warn("store not updated", ["store": CuratedLayout.shown(CuratedLayout.storeFile), "error": "\(error)"])
        }
    }
}

/// Skip-if-unchanged: a dataset whose inputs hash to the fingerprint recorded at its last
/// successful run, under the same `--fail-on-warning`, and whose release is still the one the
/// catalogue and its folder name, is not redone.
struct UnchangedInputs {
    let project: Project
    let fingerprints: InputFingerprint
    let failOnWarning: Bool
    /// Each dataset's release in the catalogue as the run started.
    let catalogued: [String: String?]

    init(project: Project, fingerprints: InputFingerprint, failOnWarning: Bool, catalogued catalog: Catalog?) {
        self.project = project; self.fingerprints = fingerprints; self.failOnWarning = failOnWarning
        catalogued = Dictionary((catalog?.datasets ?? []).map { ($0.name, $0.release) }, uniquingKeysWith: { a, _ in a })
    }

    /// The release to keep, or nil when the dataset must run.
    func release(of spec: PipelineSpec) throws -> String? {
        let fingerprint = try fingerprints.compute(spec)
        guard let state = RunState.load(project, spec.name), state.fingerprint == fingerprint, state.failOnWarning == failOnWarning,
              catalogued[spec.name] == state.release,
              Runner.published(spec.name, release: state.release, curatedRoot: project.curatedRoot) else { return nil }
        return state.release
    }
}
