import Foundation
import CurateCore
import Publish
import Validate

/// Two releases' data.csv compared as two sorted streams: both are written in primary-key order,
/// so one row of each side is held at a time. Only the first `keep` keys of each kind (added,
/// removed, changed) in key-text order are kept, with whole counts: memory is bounded by `keep`,
/// never by the tables. The result equals `ReleaseDiff.between` over the loaded tables (rows
/// matched by key text, the first row of a key counting, lists in key-text order).
struct ReleaseMerge {
    let schema: TableSchema
    let keep: Int
    private let keyFields: Set<String>
    private var added = FirstInKeyOrder<ReleaseDiff.Row>(), removed = FirstInKeyOrder<ReleaseDiff.Row>()
    private var changed = FirstInKeyOrder<ReleaseDiff.Change>()

    init(schema: TableSchema, keep: Int) {
        self.schema = schema; self.keep = keep; keyFields = Set(schema.primaryKey)
        added.limit = keep; removed.limit = keep; changed.limit = keep
    }

    /// Joins `old` (nil: nothing published) with `new`. Throws `KeyedRows.OutOfOrder` when either
    /// file is not in the schema's key order.
    mutating func run(old: KeyedRows?, new: KeyedRows) throws {
        var a = try old?.next(), b = try new.next()
        while a != nil || b != nil {
            if let x = a, let y = b, x.key == y.key {
                for (i, field) in schema.fields.enumerated() where x.values[i] != y.values[i] {
                    changed.add(.init(key: x.key, field: field.name, old: x.values[i].description, new: y.values[i].description), key: x.key)
                }
                a = try old?.next(); b = try new.next()
            } else if let x = a, b == nil || new.precedes(x.values, b!.values) {
                removed.add(row(x), key: x.key); a = try old?.next()
            } else if let y = b {
                added.add(row(y), key: y.key); b = try new.next()
            }
        }
    }

    private func row(_ r: KeyedRows.Row) -> ReleaseDiff.Row {
        ReleaseDiff.Row(key: r.key, values: schema.fields.enumerated().filter { !keyFields.contains($0.element.name) }
            .map { (field: $0.element.name, value: r.values[$0.offset].description) })
    }

    func diff(dataset: String, from: String, to: String) -> ReleaseDiff {
        var diff = ReleaseDiff(dataset: dataset, from: from, to: to)
        diff.addedRows = added.sorted(); diff.added = diff.addedRows.map(\.key); diff.addedCount = added.count
        diff.removedRows = removed.sorted(); diff.removed = diff.removedRows.map(\.key); diff.removedCount = removed.count
        diff.changed = changed.sorted(); diff.changedCount = changed.count
        return diff
    }
}

/// The first `limit` items in key-text order (ties in arrival order), however many arrive: the
/// list is cut back to `limit` whenever it reaches eight times that.
struct FirstInKeyOrder<Item> {
    var limit = Int.max
    private var kept: [(key: String, seq: Int, item: Item)] = []
    private(set) var count = 0

    mutating func add(_ item: Item, key: String) {
        count += 1
        kept.append((key, count, item))
        if limit < Int.max / 8, kept.count >= max(limit, 1) * 8 { trim() }
    }

    private mutating func trim() {
        kept.sort { $0.key != $1.key ? $0.key < $1.key : $0.seq < $1.seq }
        if kept.count > limit { kept.removeLast(kept.count - limit) }
    }

    func sorted() -> [Item] {
        var copy = self
        copy.trim()
        return copy.kept.map(\.item)
    }
}

/// A release's data.csv read back a row at a time, typed by the schema, in file order (primary-key
/// order), with its key text; of rows sharing a key only the first is returned. A row sorting
/// before the one returned before it throws `OutOfOrder`.
final class KeyedRows {
    struct Row { var key: String; var values: [Value] }
    struct OutOfOrder: Error {}

    private let reader: CSVLineReader
    private let schema: TableSchema
    private var columns: [Int?] = []
    private let keyIndexes: [Int]
    private var last: Row?
    private var empty = false

    init(directory: String, schema: TableSchema) throws {
        self.schema = schema
        reader = try CSVLineReader(path: directory + "/" + ReleaseFiles.data)
        keyIndexes = schema.primaryKey.compactMap { schema.index(of: $0) }
        guard let header = try reader.next() else { empty = true; return }
        columns = schema.fields.map { header.firstIndex(of: $0.name) }
    }

    func next() throws -> Row? {
        guard !empty else { return nil }
        while let cells = try reader.next() {
            let values = zip(schema.fields, columns).map { field, column in
                CuratedStore.value(column.flatMap { $0 < cells.count ? cells[$0] : nil } ?? "", type: field.type)
            }
            let key = PrimaryKeyText.join(keyIndexes.map { values[$0].description })
            if let last {
                if last.key == key { continue }
                if precedes(values, last.values) { throw OutOfOrder() }
            }
            let row = Row(key: key, values: values)
            last = row
            return row
        }
        return nil
    }

    /// Primary-key order of two rows' values (`Value.sortsBefore`, field by field).
    func precedes(_ a: [Value], _ b: [Value]) -> Bool {
        for k in keyIndexes where a[k] != b[k] { return a[k].sortsBefore(b[k]) }
        return false
    }
}
