import Foundation
import CurateCore

/// What a rule may compare the table with, besides itself.
public struct RuleContext: Sendable {
    /// The release now in Curated/ (for revisions), when there is one.
    public var previous: CuratedTable?
    /// Other curated datasets by name (for cross-source checks).
    public var datasets: [String: CuratedTable]
    /// The id of the release revisions compare with, when it is streamed rather than held in
    /// `previous` (see `RuleStream`).
    public var previousRelease: String?
    /// Other datasets a cross-source rule compared with, streamed rather than held in `datasets`.
    public var publishedDatasets: Set<String> = []

    public init(previous: CuratedTable? = nil, datasets: [String: CuratedTable] = [:]) {
        self.previous = previous; self.datasets = datasets
    }
}

extension Value {
    /// The value as a code: a string as it is, an integer as its digits (a year used as a category).
    var text: String? {
        switch self {
        case .string(let s): return s
        case .integer(let i): return String(i)
        default: return nil
        }
    }
}
