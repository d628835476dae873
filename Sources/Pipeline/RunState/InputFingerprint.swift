import Foundation
import Crypto
import CurateCore
import Validate
import Publish

/// What a dataset's curated output depends on, hashed: its raw file, its spec, the reference data
/// (unit table, code lists, rate tables), the releases it compares with, and the code itself.
/// A dataset whose fingerprint is the one recorded at its last successful run is skipped.
struct InputFingerprint {
    let project: Project
    /// The running code's identity (a hash of the executable); a new build reruns everything.
    let codeVersion: String

    /// `raw`: the raw file's hash as a run read it. Without it (deciding whether to skip), the file
    /// is hashed as it is now, streaming; it matches a recorded fingerprint only if those bytes are
    /// exactly the ones that run read.
    func compute(_ spec: PipelineSpec, raw: RawFileHash? = nil) throws -> String {
        var hasher = SHA256()
        func add(_ label: String, file relative: String) {
            hasher.update(data: Data(label.utf8))
            if let data = FileManager.default.contents(atPath: project.root + "/" + relative) { hasher.update(data: data) }
        }
        hasher.update(data: Data("code \(codeVersion)".utf8))
        if !spec.source.path.isEmpty {
            let hash = raw ?? (try? RawFileHash.of(project.root + "/" + spec.source.path, as: spec.source.path))
            hasher.update(data: Data("raw \(hash?.sha256 ?? "unreadable")".utf8))
        }
        add("spec", file: spec.file)
        add("units", file: "Pipelines/reference/units.yaml")
        for id in project.codeListIDs() { add("codelist \(id)", file: "Pipelines/reference/codelists/\(id).yaml") }
        let rates = (try? FileManager.default.contentsOfDirectory(atPath: project.root + "/Pipelines/reference/rates")) ?? []
        for name in rates.sorted() { add("rates \(name)", file: "Pipelines/reference/rates/\(name)") }
        // Revisions and cross-source checks read other releases: their identity is an input too.
        add("history", file: CuratedLayout.shown(spec.name + "/" + CuratedLayout.history))
        for other in Set(Runner.inputs(of: spec)).sorted() { add("other \(other)", file: CuratedLayout.shown(other + "/" + ReleaseFiles.descriptor)) }
        return hasher.finalize().hexDigits()
    }
}

/// Local state (not committed): each dataset's fingerprint at its last successful run.
struct RunState: Codable {
    var fingerprint: String
    var release: String
    var failOnWarning: Bool

    static func path(_ project: Project, _ dataset: String) -> String { CuratedLayout(root: project.curatedRoot).state(of: dataset) }

    static func load(_ project: Project, _ dataset: String) -> RunState? {
        FileManager.default.contents(atPath: path(project, dataset)).flatMap { try? JSONDecoder().decode(RunState.self, from: $0) }
    }

    func save(_ project: Project, _ dataset: String) {
        let file = Self.path(project, dataset)
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try? encoder.encode(self).write(to: URL(fileURLWithPath: file), options: .atomic)
    }

    static func clear(_ project: Project, _ dataset: String) { try? FileManager.default.removeItem(atPath: path(project, dataset)) }
}
