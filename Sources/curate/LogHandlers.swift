import ArgumentParser
import Foundation
import Logging
import CurateCore

enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case none, text, json

    /// The format asked for on the command line, read before parsing so that a usage or spec error
    /// (which ends the program before any command runs) is reported in it too.
    static func requested(in arguments: [String] = CommandLine.arguments) -> LogFormat {
        var format = LogFormat.none
        for (i, argument) in arguments.enumerated() {
            if argument == "--log-format", i + 1 < arguments.count { format = LogFormat(rawValue: arguments[i + 1]) ?? format }
            if argument.hasPrefix("--log-format=") { format = LogFormat(rawValue: String(argument.dropFirst(13))) ?? format }
        }
        return format
    }
}

/// Run events on stderr, for cron and log collectors: one JSON object per line
/// (`{"dataset":"…","level":"notice","message":"dataset published","rows":15,"time":"…",…}`) or the
/// same as text (`curate: notice: dataset published dataset=… rows=…`). Numbers and booleans given
/// as metadata stay numbers and booleans in JSON.
struct StderrLogHandler: LogHandler {
    let format: LogFormat
    var metadata: Logger.Metadata = [:]
    /// `info` unless `CURATE_LOG_LEVEL` names another (`debug` adds each run's stage timings).
    var logLevel: Logger.Level = ProcessInfo.processInfo.environment["CURATE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new })
        if format == .json {
            var fields = all.mapValues(JSONLine.Value.init)
            fields["level"] = .string(event.level.rawValue)
            fields["message"] = .string(event.message.description)
            JSONLine.write(fields)
        } else {
            let pairs = all.keys.sorted().map { "\($0)=\(all[$0]!)" }.joined(separator: " ")
            FileHandleOutput.stderr("curate: \(event.level): \(event.message) \(pairs)\n")
        }
    }
}

/// One JSON object per line on stderr, keys sorted, with a `time`: the whole of stderr under
/// `--log-format json`, events and errors alike, so a log collector never meets a line it cannot parse.
enum JSONLine {
    indirect enum Value {
        case string(String), int(Int), double(Double), bool(Bool), array([Value]), object([String: Value]), null

        init(_ metadata: Logger.Metadata.Value) {
            switch metadata {
            case .string(let s): self = .string(s)
            case .stringConvertible(let c):
                switch c {
                case let i as Int: self = .int(i)
                case let b as Bool: self = .bool(b)
                case let d as Double where d.isFinite: self = .double(d)
                default: self = .string(c.description)
                }
            case .array(let a): self = .array(a.map(Value.init))
            case .dictionary(let d): self = .object(d.mapValues(Value.init))
            }
        }

        var text: String {
            switch self {
            case .string(let s): JSONLine.quote(s)
            case .int(let i): String(i)
            case .double(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
            case .bool(let b): b ? "true" : "false"
            case .array(let a): "[" + a.map(\.text).joined(separator: ",") + "]"
            case .object(let o): "{" + o.keys.sorted().map { JSONLine.quote($0) + ":" + o[$0]!.text }.joined(separator: ",") + "}"
            case .null: "null"
            }
        }
    }

    static func write(_ fields: [String: Value]) {
        var fields = fields
        fields["time"] = .string(ISO8601DateFormatter().string(from: Date()))
        FileHandleOutput.stderr(Value.object(fields).text + "\n")
    }

    /// An error as one event: its code, the place (`file`, `line`, `column`, `field`, `raw`) and the exit code.
    static func write(_ error: CurateError, exitCode: Int32, extra: [String: Value] = [:]) {
        var fields = extra
        fields["level"] = .string("error")
        fields["message"] = .string(error.message)
        fields["code"] = .string(error.code.rawValue)
        fields["exit_code"] = .int(Int(exitCode))
        if let place = error.location { fields.merge(Self.place(place), uniquingKeysWith: { a, _ in a }) }
        write(fields)
    }

    /// A source location as event fields; `line` is the row an editor shows.
    static func place(_ place: SourceLocation) -> [String: Value] {
        var fields: [String: Value] = ["file": .string(place.file)]
        if let row = place.row { fields["line"] = .int(row) }
        if let column = place.column { fields["column"] = .int(column) }
        if let field = place.field { fields["field"] = .string(field) }
        if let raw = place.raw { fields["raw"] = .string(raw) }
        return fields
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
