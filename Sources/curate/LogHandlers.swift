import Foundation
import Logging

/// One JSON object per event on stderr, for cron and log collectors:
/// `{"level":"notice","message":"dataset published","time":"…","dataset":"…","rows":"15",…}`.
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: Any] = ["time": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue,
                                     "message": event.message.description]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) { fields[key] = Self.json(value) }
        guard var data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        FileHandle.standardError.write(data)
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

/// `curate: <level>: <message> key=value …` on stderr.
struct TextLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new })
        let pairs = all.keys.sorted().map { "\($0)=\(all[$0]!)" }.joined(separator: " ")
        FileHandleOutput.stderr("curate: \(event.level): \(event.message) \(pairs)\n")
    }
}

enum LogFormat: String, CaseIterable, ExpressibleByArgument { case none, text, json }

import ArgumentParser
