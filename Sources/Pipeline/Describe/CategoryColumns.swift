import CurateCore
import Ingest
import Normalize

/// The non-period columns of a years-across table, as e-Stat's download lays them out: category
/// columns (表章項目, 全国・都道府県, 男女…), a `/時間軸（年）` column left empty, sometimes a 単位
/// column. The category whose labels vary gives the rows; constant ones (the one 表章項目 of the
/// download, often with its unit as `人口【千人】`) say what the single measure is and are ignored.
struct CategoryColumns {
    var rows: TableDescription.Rows?
    var measure = TableDescription.Measure(label: "value", unit: nil)
    var ignored: [String] = []

    /// Labels a table prints on its total row.
    static let totalLabels: Set<String> = ["全国", "計", "合計", "総数", "総計", "全体", "全国計", "総額"]
    static let unitHeaders: Set<String> = ["単位", "unit", "Unit", "UNIT"]

    init(labels: [String], fields: [TableDescription.FieldDescription], data: [RawRecord], codeLists: [CodeList]) {
        func values(_ column: Int) -> [String] {
            var seen = Set<String>(), out: [String] = []
            for record in data where column < record.fields.count {
                let value = record.fields[column].trimmingWhitespace
                if !value.isEmpty && seen.insert(value).inserted { out.append(value) }
            }
            return out
        }
        var varying: [(column: Int, labels: [String])] = []
        var constants: [(column: Int, value: String)] = []
        for (column, field) in fields.enumerated() where field.period?.year == nil {
            let label = labels[column].trimmingWhitespace
            let distinct = values(column)
            if Self.unitHeaders.contains(label) {
                ignored.append(labels[column])
                if distinct.count == 1 { measure.unit = distinct[0] }
                continue
            }
            switch distinct.count {
            case 0: ignored.append(labels[column])              // /時間軸（年）: a heading over the years, empty below
            case 1: constants.append((column, distinct[0])); ignored.append(labels[column])
            default: varying.append((column, distinct))
            }
        }
        // The measure: the constant category's text, its 【unit】 taken off.
        if let constant = constants.first(where: { Describer.bracketedUnit($0.value) != nil }) ?? constants.first {
            if let split = Describer.bracketedUnit(constant.value) {
                measure.label = split.label.isEmpty ? constant.value : split.label
                measure.unit = split.unit
            } else {
                measure.label = constant.value
            }
        }
        // The rows: the varying category whose labels a code list knows, else the first one.
        let matched = varying.compactMap { candidate -> (Int, [String], CodeList, Int)? in
            guard let (list, hits) = Self.bestList(candidate.labels, codeLists) else { return nil }
            return (candidate.column, candidate.labels, list, hits)
        }.max { $0.3 < $1.3 }
        // e-Stat's "with codes" download puts a `… コード` column before each label column: rows
        // are the labels, unless only codes vary.
        func isCode(_ column: Int) -> Bool {
            let label = labels[column].trimmingWhitespace
            return label.hasSuffix("コード") || label.hasSuffix("_code")
        }
        let chosen = matched.map { (column: $0.0, labels: $0.1) } ?? varying.first { !isCode($0.column) } ?? varying.first
        for other in varying where other.column != chosen?.column { ignored.append(labels[other.column]) }
        guard let chosen else { return }
        var rows = TableDescription.Rows(column: labels[chosen.column], labels: chosen.labels)
        rows.total = chosen.labels.first { Self.totalLabels.contains($0.filter { !$0.isWhitespace }) }
        if let (_, _, list, _) = matched {
            rows.codeList = list.id
            rows.field = Self.fieldName(list.id)
            rows.codes = chosen.labels.map { label in (try? list.lookup(label).get().code) ?? "" }
            if let total = rows.total, case .success(let code) = list.lookup(total) { rows.totalCode = code.code }
            let listed = Set(rows.codes ?? [])
            rows.coversCodeList = list.codes.allSatisfy { $0.code == rows.totalCode || listed.contains($0.code) }
        }
        let others = varying.filter { $0.column != chosen.column && !isCode($0.column) }.map { labels[$0.column] }
        if !others.isEmpty { rows.alsoVarying = others }
        self.rows = rows
    }

    /// The code list that knows every label but the total, with how many it knows; nil when none does.
    static func bestList(_ labels: [String], _ lists: [CodeList]) -> (CodeList, Int)? {
        let parts = labels.filter { !totalLabels.contains($0.filter { !$0.isWhitespace }) }
        guard parts.count >= 2 else { return nil }
        return lists.compactMap { list -> (CodeList, Int)? in
            let hits = parts.count { if case .success = list.lookup($0) { return true } else { return false } }
            return hits == parts.count ? (list, hits) : nil
        }.max { $0.1 < $1.1 }
    }

    /// `prefectures` → `prefecture`, `countries` → `country`, `firm-size` → `firm_size`.
    static func fieldName(_ listID: String) -> String {
        var name = listID.replacingAll("-", with: "_")
        if name.hasSuffix("ies") { name = String(name.dropLast(3)) + "y" } else if name.hasSuffix("s") { name.removeLast() }
        return name
    }
}
