#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import CurateCore

/// Pipeline specs are input like any other, and may be hostile: these limits hold before Yams sees
/// a byte (size, anchors and aliases, nodes, nesting: `YAMLPreflight`), on the dataset name (it
/// becomes a folder under Curated/), and on every file a spec names, which must resolve (symlinks
/// included) inside the folder it belongs to.
enum SpecGuard {
    /// Largest spec read (stated in README): the largest real one is ~3 kB.
    static let maxBytes = 1 << 20

    /// The spec's bytes, refused past `maxBytes` without reading the rest. Nil: cannot be read.
    static func contents(of file: String, root: String) throws -> Data? {
        let path = root + "/" + file
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFREG else {   // a FIFO would block the read forever
            throw CurateError(.specError, "pipeline spec is not a regular file", at: SourceLocation(file: file))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxBytes + 1) else { return nil }
        if data.count > maxBytes {
            throw CurateError(.specError, "pipeline spec is larger than \(maxBytes) bytes (1 MiB), the limit for a spec",
                              at: SourceLocation(file: file))
        }
        try YAMLPreflight().check([UInt8](data), file: file)
        return data
    }

    /// Dataset names become folders (Curated/<name>/) and URLs: lowercase letters, digits and `-`.
    static func checkName(_ name: String, at node: SpecNode) throws {
        guard isSafeName(name) else {
            throw node.error("dataset name \(name.debugDescription) must be lowercase letters, digits and - (^[a-z0-9][a-z0-9-]*$, at most 100)")
        }
    }

    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 100 && name.utf8.first != 45
            && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }

    /// The file of a reference table (`Pipelines/reference/codelists/<id>.yaml`, `…/rates/<id>.yaml`):
    /// the id is a plain name, and the file, symlinks resolved, lies inside `folder`.
    static func referenceFile(_ id: String, in folder: String, root: String, at place: SourceLocation?) throws -> String {
        let plain = !id.isEmpty && !id.hasPrefix(".") && !id.contains("/") && !id.contains("\\") && !id.contains("\0")
        guard plain else {
            throw CurateError(.specError, "reference \(id.debugDescription) must be a plain name inside \(folder)/",
                              at: place ?? SourceLocation(file: folder, raw: id))
        }
        let path = root + "/" + folder + "/" + id + ".yaml"
        try requireInside(path, folder: root + "/" + folder, named: folder + "/" + id + ".yaml", at: place)
        return path
    }

    /// Refuses `path` when it exists and resolves (through symlinks) outside `folder`.
    static func requireInside(_ path: String, folder: String, named relative: String, at place: SourceLocation?) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let real = (path as NSString).resolvingSymlinksInPath
        let realFolder = (folder as NSString).resolvingSymlinksInPath
        guard real.hasPrefix(realFolder + "/") else {
            throw CurateError(.specError, "\(relative) resolves to \(real), outside \(realFolder)/",
                              at: place ?? SourceLocation(file: relative))
        }
    }
}
