import Foundation
import GRDB
import CurateCore
import Validate

/// `Curated/curate.sqlite`: every kept release's observations and lineage, and each dataset's
/// latest validation findings, in one SQLite database that analysts query with sqlite3 or DuckDB.
///
/// It is a cache of Curated/, never the source of truth: it is not committed, and it is filled from
/// the release folders, so a missing, stale or corrupt database is rebuilt by the next run.
///
/// For consumers (README, "The SQLite store"): `datasets` (title, source, licence, units),
/// `codelists`, `releases` with `raw_files` (the sha256 of each raw file a release was read from),
/// and per dataset a table `data_<name>` (every kept release, one column per schema field, so
/// category dimensions are columns) with a view `latest_<name>` of its latest release.
public final class CurateStore {
    public let path: String
    private let db: DatabaseQueue

    /// Opens (or creates) the store and checks it: a file that is not a database, or fails SQLite's
    /// `quick_check`, throws an error `isCorruption` recognises, so the caller can rebuild it.
    public init(path: String) throws {
        self.path = path
        do {
            db = try DatabaseQueue(path: path)
            let check = try db.read { try String.fetchAll($0, sql: "PRAGMA quick_check") }
            guard check == ["ok"] else { throw Corruption(detail: check.prefix(3).joined(separator: "; ")) }
            try migrator.migrate(db)
        } catch let error as Corruption {
            throw error
        } catch {
            if Self.isCorruption(error) { throw Corruption(detail: "\(error)") }
            throw CurateError(.ioError, "cannot open the store: \(error)", at: SourceLocation(file: path))
        }
    }

    /// The store's file is damaged (garbage written over it, a torn copy): rebuild it.
    public struct Corruption: Error, CustomStringConvertible {
        public var detail: String
        public var description: String { "the store is corrupt: \(detail)" }
    }

    /// SQLite's own word that the file is damaged or not a database, or our integrity check.
    public static func isCorruption(_ error: Error) -> Bool {
        if error is Corruption { return true }
        guard let db = error as? DatabaseError else { return false }
        return db.resultCode == .SQLITE_CORRUPT || db.resultCode == .SQLITE_NOTADB
    }

    private var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE releases (
                    dataset TEXT NOT NULL, release TEXT NOT NULL, position INTEGER NOT NULL, rows INTEGER NOT NULL,
                    PRIMARY KEY (dataset, release));
                CREATE TABLE observations (
                    dataset TEXT NOT NULL, release TEXT NOT NULL, key TEXT NOT NULL,
                    period TEXT, measure TEXT, value TEXT, value_number REAL, unit TEXT, status TEXT,
                    PRIMARY KEY (dataset, release, key));
                CREATE TABLE lineage (
                    dataset TEXT NOT NULL, release TEXT NOT NULL, key TEXT NOT NULL,
                    file TEXT, row INTEGER, "column" INTEGER, field TEXT, raw TEXT, source_unit TEXT, precision TEXT, steps TEXT,
                    PRIMARY KEY (dataset, release, key));
                CREATE TABLE findings (
                    dataset TEXT NOT NULL, release TEXT, code TEXT NOT NULL, severity TEXT NOT NULL, check_name TEXT NOT NULL,
                    file TEXT, row INTEGER, "column" INTEGER, field TEXT, raw TEXT, expected TEXT, actual TEXT);
                CREATE INDEX findings_dataset ON findings(dataset);
                CREATE VIEW latest AS
                    SELECT o.* FROM observations o JOIN (SELECT dataset, release FROM releases r
                        WHERE position = (SELECT MAX(position) FROM releases WHERE dataset = r.dataset)) l
                    USING (dataset, release);
                """)
        }
        m.registerMigration("v2 consumer tables") { db in
            try db.execute(sql: """
                CREATE TABLE datasets (
                    dataset TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT,
                    source_title TEXT, source_publisher TEXT, source_url TEXT, source_path TEXT,
                    license TEXT, license_url TEXT, units TEXT, data_table TEXT, latest_view TEXT);
                CREATE TABLE codelists (
                    codelist TEXT NOT NULL, title TEXT, source TEXT, code TEXT NOT NULL, label TEXT, "group" TEXT,
                    PRIMARY KEY (codelist, code));
                CREATE TABLE raw_files (
                    dataset TEXT NOT NULL, release TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER,
                    PRIMARY KEY (dataset, release, path));
                CREATE VIEW latest_releases AS
                    SELECT dataset, release, rows FROM releases r
                    WHERE position = (SELECT MAX(position) FROM releases WHERE dataset = r.dataset);
                """)
        }
        m.registerMigration("v3 lineage factor") { db in
            // lineage.csv gained `factor` (value = raw × factor); older releases' rows have none.
            try db.execute(sql: "ALTER TABLE lineage ADD COLUMN factor TEXT")
        }
        m.registerMigration("v4 deferred releases") { db in
            // A release too large to load during a run is registered (rows, raw files, where its
            // data.csv is) with loaded = 0; `curate store --load` loads it.
            try db.execute(sql: "ALTER TABLE releases ADD COLUMN loaded INTEGER NOT NULL DEFAULT 1")
            try db.execute(sql: "ALTER TABLE releases ADD COLUMN data_path TEXT")
        }
        return m
    }

    /// A dataset's description, as the `datasets` table holds it.
    public struct DatasetInfo: Sendable {
        public var name: String, title: String, description: String?
        public var sourceTitle: String?, sourcePublisher: String?, sourceURL: String?, sourcePath: String?
        public var license: String?, licenseURL: String?
        public init(name: String, title: String, description: String?, sourceTitle: String?, sourcePublisher: String?,
                    sourceURL: String?, sourcePath: String?, license: String?, licenseURL: String?) {
            self.name = name; self.title = title; self.description = description; self.sourceTitle = sourceTitle
            self.sourcePublisher = sourcePublisher; self.sourceURL = sourceURL; self.sourcePath = sourcePath
            self.license = license; self.licenseURL = licenseURL
        }
    }

    /// A raw file a release was read from.
    public struct RawFile: Sendable {
        public var path: String, sha256: String, bytes: Int
        public init(path: String, sha256: String, bytes: Int) { self.path = path; self.sha256 = sha256; self.bytes = bytes }
    }

    /// A code list's codes, for the `codelists` table.
    public struct CodeListRows: Sendable {
        public var id: String, title: String, source: String
        public var codes: [(code: String, label: String, group: String?)]
        public init(id: String, title: String, source: String, codes: [(code: String, label: String, group: String?)]) {
            self.id = id; self.title = title; self.source = source; self.codes = codes
        }
    }

    /// The per-dataset table and view names: SQL identifiers from the dataset name (`-` → `_`).
    public static func tableNames(of dataset: String) -> (data: String, latest: String) {
        let base = dataset.replacingOccurrences(of: "-", with: "_")
        return ("data_" + base, "latest_" + base)
    }

    /// A release as the store receives it: rows with their primary key text and lineage.
    public struct ReleaseRows: Sendable {
        public var dataset: String
        public var release: String
        public var position: Int
        public var periodField: String?
        public var table: CuratedTable
        public var raw: [RawFile]

        public init(dataset: String, release: String, position: Int, periodField: String?, table: CuratedTable, raw: [RawFile] = []) {
            self.dataset = dataset; self.release = release; self.position = position; self.periodField = periodField
            self.table = table; self.raw = raw
        }
    }

    /// The releases of `dataset` the store already holds.
    public func releases(of dataset: String) throws -> Set<String> {
        try db.read { db in Set(try String.fetchAll(db, sql: "SELECT release FROM releases WHERE dataset = ?", arguments: [dataset])) }
    }

    /// Registers a release without loading its rows: the `releases` row (loaded = 0, with the path
    /// of its data.csv, relative to Curated/) and its raw files.
    public func register(dataset: String, release: String, position: Int, rows: Int, raw: [RawFile], dataPath: String) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM raw_files WHERE dataset = ? AND release = ?", arguments: [dataset, release])
            for file in raw {
                try db.execute(sql: "INSERT INTO raw_files VALUES (?, ?, ?, ?, ?)", arguments: [dataset, release, file.path, file.sha256, file.bytes])
            }
            try db.execute(sql: "INSERT OR REPLACE INTO releases (dataset, release, position, rows, loaded, data_path) VALUES (?, ?, ?, ?, 0, ?)",
                           arguments: [dataset, release, position, rows, dataPath])
        }
    }

    /// Every release the store knows: dataset, release, rows, whether its rows are loaded.
    public func releaseList() throws -> [(dataset: String, release: String, rows: Int, loaded: Bool)] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT dataset, release, rows, loaded FROM releases ORDER BY dataset, position").map {
                ($0["dataset"], $0["release"], $0["rows"], ($0["loaded"] as Int) != 0)
            }
        }
    }

    /// The releases of `dataset` registered but not loaded.
    public func deferredReleases(of dataset: String) throws -> Set<String> {
        try db.read { db in
            Set(try String.fetchAll(db, sql: "SELECT release FROM releases WHERE dataset = ? AND loaded = 0", arguments: [dataset]))
        }
    }

    /// Adds one release (replacing it if present).
    public func add(_ r: ReleaseRows) throws {
        try add(dataset: r.dataset, release: r.release, position: r.position, periodField: r.periodField, schema: r.table.schema, raw: r.raw) { row in
            for each in r.table.rows { try row(each) }
        }
    }

    /// Adds one release (replacing it if present) from rows handed over one at a time by `rows`,
    /// so a release of any size goes in without being held: prepared statements, one transaction.
    public func add(dataset: String, release: String, position: Int, periodField: String?, schema: TableSchema, raw: [RawFile] = [],
                    rows: ((CuratedRow) throws -> Void) throws -> Void) throws {
        let keyText = PrimaryKeyText(schema)
        let period = periodField.flatMap { schema.index(of: $0) }
        let measure = schema.index(of: LongField.measure), value = schema.index(of: LongField.value), unit = schema.index(of: LongField.unit), status = schema.index(of: LongField.status)
        try db.write { db in
            try db.execute(sql: "DELETE FROM observations WHERE dataset = ? AND release = ?", arguments: [dataset, release])
            try db.execute(sql: "DELETE FROM lineage WHERE dataset = ? AND release = ?", arguments: [dataset, release])
            try db.execute(sql: "DELETE FROM raw_files WHERE dataset = ? AND release = ?", arguments: [dataset, release])
            for file in raw {
                try db.execute(sql: "INSERT INTO raw_files VALUES (?, ?, ?, ?, ?)", arguments: [dataset, release, file.path, file.sha256, file.bytes])
            }
            let addRow = try datasetTableInsert(dataset: dataset, release: release, fields: schema.fields, db)
            let observation = try db.makeStatement(sql: "INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            let lineage = try db.makeStatement(sql: """
                INSERT INTO lineage (dataset, release, key, file, row, "column", field, raw, source_unit, precision, steps, factor)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var count = 0
            try rows { row in
                func text(_ i: Int?) -> String? { i.flatMap { row.values[$0] == .null ? nil : row.values[$0].description } }
                let key = keyText(row)
                let number = value.flatMap { row.values[$0].decimal }.map { NSDecimalNumber(decimal: $0).doubleValue }
                try observation.execute(arguments: [dataset, release, key, text(period), text(measure), text(value), number, text(unit), text(status)])
                let s = row.lineage.source
                try lineage.execute(arguments: [dataset, release, key, s.file, s.row, s.column, s.field, s.raw, row.lineage.sourceUnit,
                                                row.lineage.precision?.canonicalText, row.lineage.steps.joined(separator: "; "),
                                                row.lineage.factor?.canonicalText])
                try addRow(row)
                count += 1
            }
            try db.execute(sql: "INSERT OR REPLACE INTO releases (dataset, release, position, rows, loaded, data_path) VALUES (?, ?, ?, ?, 1, NULL)",
                           arguments: [dataset, release, position, count])
        }
    }

    /// The dataset's own table: one column per schema field (dimensions included), plus `release`.
    /// Recreated when the schema changes (the caller then re-adds the releases: see `prepare`).
    /// Returns the insert of one row into it.
    private func datasetTableInsert(dataset: String, release: String, fields: [Field], _ db: Database) throws -> (CuratedRow) throws -> Void {
        let (table, view) = Self.tableNames(of: dataset)
        let columns = fields.map { field -> String in
            let type = switch field.type { case .integer, .year: "INTEGER"; case .number: "REAL"; case .string: "TEXT" }
            return "\(field.name.quotedDatabaseIdentifier) \(type)"
        }
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS \(table.quotedDatabaseIdentifier) (release TEXT NOT NULL, \(columns.joined(separator: ", ")))")
        try db.execute(sql: """
            CREATE VIEW IF NOT EXISTS \(view.quotedDatabaseIdentifier) AS SELECT \(fields.map { $0.name.quotedDatabaseIdentifier }.joined(separator: ", "))
            FROM \(table.quotedDatabaseIdentifier) WHERE release = (SELECT release FROM latest_releases WHERE dataset = '\(dataset.replacingOccurrences(of: "'", with: "''"))')
            """)
        try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier) WHERE release = ?", arguments: [release])
        let insert = try db.makeStatement(sql: "INSERT INTO \(table.quotedDatabaseIdentifier) VALUES (?\(String(repeating: ", ?", count: fields.count)))")
        return { row in
            var arguments: [(any DatabaseValueConvertible)?] = [release]
            for value in row.values {
                switch value {
                case .null: arguments.append(nil)
                case .integer(let i): arguments.append(i)
                case .number(let d): arguments.append(NSDecimalNumber(decimal: d).doubleValue)
                case .string(let text): arguments.append(text)
                }
            }
            try insert.execute(arguments: StatementArguments(arguments))
        }
    }

    /// Before syncing a dataset: when its table's columns are not the schema's fields (the spec
    /// changed), drops the table and forgets its releases so that all are added again.
    public func prepare(dataset: String, fields: [String]) throws {
        let (table, view) = Self.tableNames(of: dataset)
        try db.write { db in
            guard try db.tableExists(table) else { return }
            let have = try db.columns(in: table).map(\.name)
            guard have != ["release"] + fields else { return }
            try db.execute(sql: "DROP VIEW IF EXISTS \(view.quotedDatabaseIdentifier)")
            try db.execute(sql: "DROP TABLE \(table.quotedDatabaseIdentifier)")
            try db.execute(sql: "DELETE FROM releases WHERE dataset = ?", arguments: [dataset])
        }
    }

    /// Replaces a dataset's row in `datasets`; its units are those of its latest release.
    public func describe(_ d: DatasetInfo) throws {
        let (table, view) = Self.tableNames(of: d.name)
        try db.write { db in
            let units = try db.tableExists(table)
                ? try String.fetchAll(db, sql: "SELECT DISTINCT unit FROM latest WHERE dataset = ? AND unit IS NOT NULL ORDER BY unit", arguments: [d.name])
                : []
            try db.execute(sql: "INSERT OR REPLACE INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", arguments: [
                d.name, d.title, d.description, d.sourceTitle, d.sourcePublisher, d.sourceURL, d.sourcePath, d.license, d.licenseURL,
                units.isEmpty ? nil : units.joined(separator: ", "), table, view])
        }
    }

    /// Replaces the `codelists` table.
    public func replaceCodeLists(_ lists: [CodeListRows]) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM codelists")
            let insert = try db.makeStatement(sql: "INSERT OR REPLACE INTO codelists VALUES (?, ?, ?, ?, ?, ?)")
            for list in lists {
                for code in list.codes { try insert.execute(arguments: [list.id, list.title, list.source, code.code, code.label, code.group]) }
            }
        }
    }

    /// Replaces a dataset's findings with those of its latest report.
    public func replaceFindings(of dataset: String, release: String?, report: ValidationReport) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM findings WHERE dataset = ?", arguments: [dataset])
            let insert = try db.makeStatement(sql: "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for f in report.findings {
                let p = f.location
                try insert.execute(arguments: [dataset, release, f.code.rawValue, f.severity.rawValue, f.check,
                                               p?.file, p?.row, p?.column, p?.field, p?.raw, f.expected, f.actual])
            }
        }
    }

    /// Forgets datasets whose pipeline is gone.
    public func keepOnly(_ datasets: Set<String>) throws {
        try db.write { db in
            for table in ["releases", "observations", "lineage", "findings", "raw_files", "datasets"] {
                let present = try String.fetchAll(db, sql: "SELECT DISTINCT dataset FROM \(table)")
                for name in present where !datasets.contains(name) {
                    try db.execute(sql: "DELETE FROM \(table) WHERE dataset = ?", arguments: [name])
                    let (data, latest) = Self.tableNames(of: name)
                    try db.execute(sql: "DROP VIEW IF EXISTS \(latest.quotedDatabaseIdentifier)")
                    try db.execute(sql: "DROP TABLE IF EXISTS \(data.quotedDatabaseIdentifier)")
                }
            }
        }
    }

    /// Runs a read-only query (for tests and tools): each row as column → text.
    public func query(_ sql: String, _ arguments: [String] = []) throws -> [[String: String]] {
        try db.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                Dictionary(uniqueKeysWithValues: row.columnNames.map { name in (name, row[name].map { "\($0)" } ?? "") })
            }
        }
    }
}
