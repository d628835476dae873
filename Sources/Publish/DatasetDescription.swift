/// What Publish needs to know about a dataset besides its rows: titles, sources, licence.
public struct DatasetDescription: Sendable {
    public struct Source: Sendable {
        public var title: String
        public var publisher: String?
        public var url: String?
        /// The raw file this release was read from, hashed as it was read.
        public var raw: RawFile?
        public init(title: String, publisher: String?, url: String?, raw: RawFile? = nil) {
            self.title = title; self.publisher = publisher; self.url = url; self.raw = raw
        }
    }
    /// A raw file by its path in the project and the sha256 of its bytes.
    public struct RawFile: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
        public var bytes: Int
        public init(path: String, sha256: String, bytes: Int) { self.path = path; self.sha256 = sha256; self.bytes = bytes }
    }
    public struct License: Sendable {
        public var name: String
        public var path: String?
        public var title: String?
        public init(name: String, path: String?, title: String?) { self.name = name; self.path = path; self.title = title }
    }

    public var name: String
    public var title: String
    public var description: String?
    public var sources: [Source]
    public var licenses: [License]
    /// The field holding the period, for the catalogue's coverage.
    public var periodField: String?
    /// Code lists the schema's foreign keys refer to, published beside the data.
    public var codeLists: [CodeListResource] = []

    public struct CodeListResource: Sendable {
        public var id: String
        public var title: String
        public var source: String
        public var codes: [(code: String, label: String)]
        public init(id: String, title: String, source: String, codes: [(code: String, label: String)]) {
            self.id = id; self.title = title; self.source = source; self.codes = codes
        }
    }

    public init(name: String, title: String, description: String?, sources: [Source], licenses: [License], periodField: String?) {
        self.name = name; self.title = title; self.description = description; self.sources = sources
        self.licenses = licenses; self.periodField = periodField
    }
}
