import Foundation
import CurateCore

/// `Curated/catalog.json`: every dataset, what it covers, and whether its latest run published.
public struct Catalog: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// The latest run passed validation; the files are that release.
        case published
        /// The latest run failed validation; the files (if any) are the previous release.
        case failedValidation = "failed-validation"
        /// The pipeline exists but its raw file has not been delivered yet.
        case awaitingSource = "awaiting-source"
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var name: String
        public var title: String
        public var path: String
        public var status: Status
        /// The release in Curated/ (nil when nothing was ever published).
        public var release: String?
        public var rows: Int?
        public var coverage: Coverage?

        public init(name: String, title: String, path: String, status: Status, release: String?, rows: Int?, coverage: Coverage?) {
            self.name = name; self.title = title; self.path = path; self.status = status
            self.release = release; self.rows = rows; self.coverage = coverage
        }
    }

    public struct Coverage: Codable, Sendable, Equatable {
        public var field: String
        public var from: String
        public var to: String
    }

    public var datasets: [Entry]

    public init(datasets: [Entry]) { self.datasets = datasets }

    static func load(from path: String) -> Catalog? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Catalog.self, from: data)
    }

    func jsonData() throws -> Data {
        try CanonicalJSON.encode(self)
    }
}
