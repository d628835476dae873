import ArgumentParser
import Foundation
import Logging

enum LogFormat: String, CaseIterable, ExpressibleByArgument { case none, text, json }

/// Run events on stderr, for cron and log collectors: one JSON object per line
/// (`{"level":"notice","message":"dataset published","time":"…","dataset":"…",…}`) or the same as
/// text (`curate: notice: dataset published dataset=… rows=…`).
struct StderrLogHandler: LogHandler {
    let format: LogFormat
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new })
        if format == .json {
            var fields: [String: Any] = ["time": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue,
                                         "message": event.message.description]
            for (key, value) in all { fields[key] = Self.json(value) }
            guard var data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
            data.append(0x0A)
            FileHandle.standardError.write(data)
        } else {
            let pairs = all.keys.sorted().map { "\($0)=\(all[$0]!)" }.joined(separator: " ")
            FileHandleOutput.stderr("curate: \(event.level): \(event.message) \(pairs)\n")
        }
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let a): a.map(json)
        case .dictionary(let d): d.mapValues(json)
        }
    }
}
