import Foundation
import CurateCore
import Validate

/// A Frictionless Data Package descriptor (v1, https://specs.frictionlessdata.io/data-package/).
struct DataPackage: Encodable {
    var profile = "tabular-data-package"
    var name: String
    var title: String
    var description: String?
    /// The release id: derived from the data's hash, so it changes exactly when the data does.
    var version: String
    var licenses: [License]
    var sources: [Source]
    var resources: [Resource]

    struct License: Encodable { var name: String; var path: String?; var title: String? }
    /// `raw`: the file this release was read from, with its sha256 (a property of our own; the Data
    /// Package spec allows them).
    struct Source: Encodable { var title: String; var path: String?; var publisher: String?; var raw: DatasetDescription.RawFile? }

    struct Resource: Encodable {
        var name: String
        var path: String
        var profile = "tabular-data-resource"
        var format = "csv"
        var mediatype = "text/csv"
        var encoding = "utf-8"
        var title: String?
        var description: String?
        var bytes: Int
        /// `sha256:<hex>` as the Data Package spec writes non-MD5 hashes.
        var hash: String
        var dialect = Dialect()
        var schema: TableSchema
    }

    struct Dialect: Encodable {
        var delimiter = ","
        var lineTerminator = "\n"
        var header = true
    }

    func jsonData() throws -> Data {
        try CanonicalJSON.encode(self)
    }
}
