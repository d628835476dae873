import Foundation
import Yams
import CurateCore
import Ingest
import Normalize

/// Loads a declared rate table (Pipelines/reference/rates/<id>.yaml) from its raw file: an SDMX
/// series whose observations give the rate by TIME_PERIOD (`2018`, `2018-03`; `2018-M03` is read
/// as `2018-03`), or a CSV of period and rate.
enum RateTableLoader {
    struct Declaration: Decodable {
        var id: String
        var title: String
        var path: String
        var format: String
        var base: String
        var quote: String
        var rate_type: RateTable.RateType
    }

    static func load(_ id: String, project: Project) throws -> RateTable {
        let file = "Pipelines/reference/rates/\(id).yaml"
        let path = try SpecGuard.referenceFile(id, in: "Pipelines/reference/rates", root: project.root, at: nil)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CurateError(.specError, "no rate table \(id) (expected \(file))", at: SourceLocation(file: file))
        }
        let declaration: Declaration
        do { declaration = try YAMLDecoder().decode(Declaration.self, from: text) } catch {
            throw CurateError(.specError, "rate table \(id): \(error)", at: SourceLocation(file: file))
        }
        guard ["sdmx-ml", "sdmx-csv", "csv"].contains(declaration.format) else {
            throw CurateError(.specError, "rate table \(id): format must be sdmx-ml, sdmx-csv or csv (period,rate)", at: SourceLocation(file: file))
        }
        let raw = try project.resolveSource(declaration.path)
        var rates: [String: Decimal] = [:]
        var failure: CurateError?
        let collect: (Observation) throws -> Void = { observation in
            guard let periodText = observation["TIME_PERIOD"], let value = observation["OBS_VALUE"] else { return }
            guard let period = SDMXPeriodParser.parse(periodText), let rate = Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")), rate > 0 else {
                failure = failure ?? CurateError(.typeError, "rate \(value.debugDescription) for \(periodText.debugDescription) is not a positive number in a known period",
                                                 at: SourceLocation(file: declaration.path, row: observation.line, raw: value))
                return
            }
            rates[period.description] = rate
        }
        switch declaration.format {
        case "sdmx-ml": try SDMXMLReader(path: raw).forEachObservation(collect)
        case "sdmx-csv": try SDMXCSVReader(path: raw).forEachObservation(collect)
        default:
            // A plain table: a header, then period and rate per line (e.g. a bank's annual TTB averages).
            var sawHeader = false
            try CSVReader(path: raw).forEachRecord { record in
                guard sawHeader else { sawHeader = true; return }
                guard !record.isBlank, record.fields.count >= 2 else { return }
                try collect(Observation(fields: [("TIME_PERIOD", record.fields[0].trimmingWhitespace), ("OBS_VALUE", record.fields[1].trimmingWhitespace)],
                                        dataSet: 1, line: record.line))
            }
        }
        if let failure { throw failure }
        return RateTable(base: declaration.base, quote: declaration.quote, rateType: declaration.rate_type,
                         source: "\(declaration.title) (\(declaration.path))", rates: rates)
    }
}

extension Project {
    /// A declared rate table, read from its raw file.
    func rateTable(_ id: String) throws -> RateTable { try RateTableLoader.load(id, project: self) }
}
