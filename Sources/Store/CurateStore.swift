import Foundation
import GRDB
import CurateCore
import Validate

/// `Curated/curate.sqlite`: every kept release's observations and lineage, and each dataset's
/// latest validation findings, in one SQLite database that analysts query with sqlite3 or DuckDB.
///
/// It is a cache of Curated/, never the source of truth: it is not committed, and it is filled from
/// the release folders, so a missing or stale database is rebuilt by the next run.
public final class CurateStore {
    public let path: String
    private let db: DatabaseQueue

    public init(path: String) throws {
        self.path = path
        do {
            db = try DatabaseQueue(path: path)
            try migrator.migrate(db)
        } catch {
            throw CurateError(.ioError, "cannot open the store: \(error)", at: SourceLocation(file: path))
        }
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
        return m
    }

    /// A release as the store receives it: rows with their primary key text and lineage.
    public struct ReleaseRows: Sendable {
        public var dataset: String
        public var release: String
        public var position: Int
        public var periodField: String?
        public var table: CuratedTable

        public init(dataset: String, release: String, position: Int, periodField: String?, table: CuratedTable) {
            self.dataset = dataset; self.release = release; self.position = position; self.periodField = periodField; self.table = table
        }
    }

    /// The releases of `dataset` the store already holds.
    public func releases(of dataset: String) throws -> Set<String> {
        try db.read { db in Set(try String.fetchAll(db, sql: "SELECT release FROM releases WHERE dataset = ?", arguments: [dataset])) }
    }

    /// Adds one release (replacing it if present).
    public func add(_ r: ReleaseRows) throws {
        try add(dataset: r.dataset, release: r.release, position: r.position, periodField: r.periodField, schema: r.table.schema) { row in
            for each in r.table.rows { try row(each) }
        }
    }

    /// Adds one release (replacing it if present) from rows handed over one at a time by `rows`,
    /// so a release of any size goes in without being held: prepared statements, one transaction.
    public func add(dataset: String, release: String, position: Int, periodField: String?, schema: TableSchema,
                    rows: ((CuratedRow) throws -> Void) throws -> Void) throws {
        let keyText = PrimaryKeyText(schema)
        let period = periodField.flatMap { schema.index(of: $0) }
        let measure = schema.index(of: "measure"), value = schema.index(of: "value"), unit = schema.index(of: "unit"), status = schema.index(of: "status")
        try db.write { db in
            try db.execute(sql: "DELETE FROM observations WHERE dataset = ? AND release = ?", arguments: [dataset, release])
            try db.execute(sql: "DELETE FROM lineage WHERE dataset = ? AND release = ?", arguments: [dataset, release])
            let observation = try db.makeStatement(sql: "INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            let lineage = try db.makeStatement(sql: "INSERT INTO lineage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            var count = 0
            try rows { row in
                func text(_ i: Int?) -> String? { i.flatMap { row.values[$0] == .null ? nil : row.values[$0].description } }
                let key = keyText(row)
                let number = value.flatMap { row.values[$0].decimal }.map { NSDecimalNumber(decimal: $0).doubleValue }
                try observation.execute(arguments: [dataset, release, key, text(period), text(measure), text(value), number, text(unit), text(status)])
                let s = row.lineage.source
                try lineage.execute(arguments: [dataset, release, key, s.file, s.row, s.column, s.field, s.raw, row.lineage.sourceUnit,
                                                row.lineage.precision?.canonicalText, row.lineage.steps.joined(separator: "; ")])
                count += 1
            }
            try db.execute(sql: "INSERT OR REPLACE INTO releases VALUES (?, ?, ?, ?)", arguments: [dataset, release, position, count])
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
            for table in ["releases", "observations", "lineage", "findings"] {
                let present = try String.fetchAll(db, sql: "SELECT DISTINCT dataset FROM \(table)")
                for name in present where !datasets.contains(name) {
                    try db.execute(sql: "DELETE FROM \(table) WHERE dataset = ?", arguments: [name])
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
