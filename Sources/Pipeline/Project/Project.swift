import Foundation
import Yams
import CurateCore
import Normalize
import Publish

/// The project layout: Pipelines/ (specs and reference tables), Raw/ (inputs), Curated/ (outputs).
public struct Project: Sendable {
    public let root: String

    public init(root: String) throws {
        let absolute = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        let resolved = (absolute as NSString).standardizingPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved + "/Pipelines", isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CurateError(.ioError, "no Pipelines/ folder here: run from the project root or pass --root",
                              at: SourceLocation(file: resolved))
        }
        self.root = resolved
    }

    public var curatedRoot: String { root + "/" + CuratedLayout.folderName }

    /// Pipeline spec files, sorted: `Pipelines/*.yaml` (reference tables live in Pipelines/reference/).
    func specFiles() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/Pipelines")
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "Pipelines/" + $0 }
    }

    public func loadSpecs() throws -> [PipelineSpec] {
        try specFiles().map { try SpecLoader.load(file: $0, root: root) }
    }

    /// The unit registry, from Pipelines/reference/units.yaml.
    public func unitRegistry() throws -> UnitRegistry {
        let file = "Pipelines/reference/units.yaml"
        guard let text = try? String(contentsOfFile: root + "/" + file, encoding: .utf8) else {
            throw CurateError(.ioError, "cannot read the unit table", at: SourceLocation(file: file))
        }
        do { return try YAMLDecoder().decode(UnitRegistry.self, from: text) } catch {
            throw CurateError(.specError, "unit table: \(error)", at: SourceLocation(file: file))
        }
    }

    /// A code list, from Pipelines/reference/codelists/<id>.yaml.
    public func codeList(_ id: String) throws -> CodeList {
        let file = "Pipelines/reference/codelists/\(id).yaml"
        guard let text = try? String(contentsOfFile: try SpecGuard.referenceFile(id, in: "Pipelines/reference/codelists", root: root, at: nil),
                                     encoding: .utf8) else {
            throw CurateError(.specError, "no code list \(id) (expected \(file))", at: SourceLocation(file: file))
        }
        do { return try YAMLDecoder().decode(CodeList.self, from: text) } catch {
            throw CurateError(.specError, "code list \(id): \(error)", at: SourceLocation(file: file))
        }
    }

    /// Every code list in Pipelines/reference/codelists/.
    public func codeListIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/Pipelines/reference/codelists")) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Resolves a spec's source path, refusing one that leaves Raw/ (through `..` or a symlink).
    func resolveSource(_ relative: String) throws -> String {
        let path = root + "/" + relative
        guard FileManager.default.fileExists(atPath: path) else {
            throw CurateError(.ioError, "raw file not found", at: SourceLocation(file: relative))
        }
        let real = (path as NSString).resolvingSymlinksInPath
        let realRoot = (root as NSString).resolvingSymlinksInPath
        guard real.hasPrefix(realRoot + "/Raw/") else {
            throw CurateError(.specError, "raw file resolves to \(real), outside the project's Raw/ folder", at: SourceLocation(file: relative))
        }
        return real
    }
}
