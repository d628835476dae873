import Foundation
import CurateCore

/// `Curated/<dataset>/releases.json`: every release published, oldest first. Each one's files are
/// kept in `releases/<id>/` so that revisions and `curate diff` can compare any two. No dates: the
/// file depends only on the data, so reruns leave it unchanged.
public struct ReleaseHistory: Codable, Sendable, Equatable {
    public struct Release: Codable, Sendable, Equatable {
        public var id: String
        public var rows: Int
        public var coverage: Catalog.Coverage?
        /// The raw files it was read from, with their sha256 (empty for derived datasets and for
        /// releases recorded before hashes were kept), so an old release names the bytes it came from.
        public var raw: [DatasetDescription.RawFile]?

        public init(id: String, rows: Int, coverage: Catalog.Coverage?, raw: [DatasetDescription.RawFile]? = nil) {
            self.id = id; self.rows = rows; self.coverage = coverage; self.raw = raw.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    public var releases: [Release]

    static func load(in directory: String) -> ReleaseHistory {
        guard let data = FileManager.default.contents(atPath: directory + "/" + CuratedLayout.history),
              let history = try? JSONDecoder().decode(ReleaseHistory.self, from: data) else { return ReleaseHistory(releases: []) }
        return history
    }

    /// The releases.json bytes with `release` appended, or nil when it is already the latest.
    static func recording(_ release: Release, in directory: String) -> Data? {
        var history = load(in: directory)
        if var last = history.releases.last, last.id == release.id {
            // The same data again: only a raw file it now names (read from other bytes) is news.
            guard let raw = release.raw, last.raw != raw else { return nil }
            last.raw = raw
            history.releases[history.releases.count - 1] = last
            return try? CanonicalJSON.encode(history)
        }
        history.releases.removeAll { $0.id == release.id }   // republishing an older release makes it the latest again
        history.releases.append(release)
        return try? CanonicalJSON.encode(history)
    }
}
