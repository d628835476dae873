import Foundation
import CurateCore

/// The pipelines of a project as loaded: the specs that load, and for each that does not, its
/// dataset name (the file's stem) and the error. One half-edited spec then fails its own dataset
/// while `run`, `status`, `list` and `diff` go on with the others.
struct SpecSet: Sendable {
    struct Broken: Sendable {
        /// The file's stem: the name the spec must carry.
        public var name: String
        public var file: String
        public var error: CurateError
    }

    public var specs: [PipelineSpec]
    public var broken: [Broken]

    /// Every dataset name, loaded or not, in file order.
    public var names: [String] { (specs.map(\.name) + broken.map(\.name)).sorted() }

    func brokenSpec(named name: String) -> Broken? { broken.first { $0.name == name } }
}

extension Project {
    /// Loads every spec in Pipelines/, keeping each failure with its dataset instead of stopping.
    /// Only a folder that cannot be listed throws.
    func loadSpecSet() throws -> SpecSet {
        var set = SpecSet(specs: [], broken: [])
        for file in try specFiles() {
            do {
                set.specs.append(try SpecLoader.load(file: file, root: root))
            } catch {
                let failure = (error as? CurateError) ?? CurateError(.specError, "\(error)", at: SourceLocation(file: file))
                let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
                set.broken.append(.init(name: stem, file: file, error: failure))
            }
        }
        return set
    }
}
