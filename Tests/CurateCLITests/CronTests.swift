import Foundation
import Testing

/// The cron script of docs/operations.md, taken from the document itself and run through bash with
/// a `mail` that records what it is given: the mail says the real exit code, and the event log is
/// one JSON object per line whatever happened.
@Suite struct CronTests {
    static let operations = CLITests.repositoryRoot + "/docs/operations.md"

    /// The ```sh block that starts with `#!/bin/sh` and names cron-run.sh.
    static func documentedScript() throws -> String {
        let text = try String(contentsOfFile: operations, encoding: .utf8)
        let blocks = text.components(separatedBy: "```sh\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        return try #require(blocks.first { $0.hasPrefix("#!/bin/sh\n# cron-run.sh") }, "no cron-run.sh block in docs/operations.md")
    }

    struct Outcome { let status: Int32; let mail: String?; let events: [[String: Any]]; let lines: [String] }

    /// Runs the script in `scratch` with a fake `mail` on PATH and fresh logs.
    static func cron(in scratch: CLITests.Scratch) throws -> Outcome {
        let dir = scratch.root + "/cron"
        let logs = dir + "/logs", bin = dir + "/bin"
        try? FileManager.default.removeItem(atPath: dir)
        for folder in [logs, bin] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try Data(try documentedScript().utf8).write(to: URL(fileURLWithPath: dir + "/cron-run.sh"))
        let mail = bin + "/mail"
        try Data("#!/bin/sh\n{ printf 'args:'; printf ' [%s]' \"$@\"; printf '\\n'; cat; } > \"\(dir)/mail.txt\"\n".utf8)
            .write(to: URL(fileURLWithPath: mail))
        chmod(mail, 0o755)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [dir + "/cron-run.sh"]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["CURATE_HOME"] = scratch.root
        environment["CURATE"] = CLITests.executable
        environment["CURATE_LOG_DIR"] = logs
        environment["CURATE_MAIL_TO"] = "steward@example.org"
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        let log = (try? String(contentsOfFile: logs + "/events.jsonl", encoding: .utf8)) ?? ""
        let lines = log.split(separator: "\n").map(String.init)
        let events = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return Outcome(status: process.terminationStatus, mail: try? String(contentsOfFile: dir + "/mail.txt", encoding: .utf8),
                       events: events, lines: lines)
    }

    @Test func cleanRunMailsNobodyAndLogsJSON() throws {
        let scratch = try CLITests.Scratch()
        let outcome = try Self.cron(in: scratch)
        #expect(outcome.status == 0)
        #expect(outcome.mail == nil)
        #expect(!outcome.lines.isEmpty && outcome.events.count == outcome.lines.count, "every line one JSON object")
        #expect(outcome.events.last?["message"] as? String == "run finished")
        #expect(outcome.events.last?["datasets"] is Int)
    }

    @Test func failedValidationMailsExit1WithTheFindingInTheLog() throws {
        let scratch = try CLITests.Scratch()
        let path = scratch.root + "/" + CLITests.raw
        let text = String(data: try Data(contentsOf: URL(fileURLWithPath: path)), encoding: .shiftJIS)!
        try text.replacingOccurrences(of: "令和5年度,,\"1,028\",595", with: "令和5年度,,\"1,028\",5950")
            .data(using: .shiftJIS)!.write(to: URL(fileURLWithPath: path))
        let outcome = try Self.cron(in: scratch)
        #expect(outcome.status == 1)
        let mail = try #require(outcome.mail)
        #expect(mail.hasPrefix("args: [-s] [curate: exit 1 on "), "\(mail)")
        #expect(mail.contains("[steward@example.org]"))
        #expect(mail.contains("mext-joint-research: FAILED validation"))
        #expect(outcome.events.count == outcome.lines.count, "every line one JSON object")
        let finding = try #require(outcome.events.first { $0["code"] as? String == "part-exceeds-total" })
        #expect(finding["file"] as? String == CLITests.raw)
        #expect(finding["line"] as? Int == 15)
        #expect(finding["column"] as? Int == 4)
        #expect(finding["dataset"] as? String == "mext-joint-research")
        #expect(finding["level"] as? String == "error")
        let failed = try #require(outcome.events.first { $0["message"] as? String == "dataset failed validation: not published" })
        let errorEvents = outcome.events.filter { $0["dataset"] as? String == "mext-joint-research" && ($0["message"] as? String)?.hasPrefix("finding: ") == true }
        #expect(failed["errors"] as? Int == errorEvents.count)   // a number, and one event per error
    }

    @Test func specErrorMailsExit2AndLogsItAsJSON() throws {
        let scratch = try CLITests.Scratch()
        let spec = scratch.root + "/Pipelines/sme-innovation-producers.yaml"
        let text = try String(contentsOfFile: spec, encoding: .utf8)
        try Data((text + "bogus_key: 1\n").utf8).write(to: URL(fileURLWithPath: spec))
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).count
        let outcome = try Self.cron(in: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.mail?.hasPrefix("args: [-s] [curate: exit 2 on ") == true, "\(outcome.mail ?? "no mail")")
        // Before: a spec error was a text line, not JSON.
        #expect(outcome.events.count == outcome.lines.count, "every line one JSON object: \(outcome.lines)")
        let error = try #require(outcome.events.first { $0["code"] as? String == "spec-error" })
        #expect(error["file"] as? String == "Pipelines/sme-innovation-producers.yaml")
        #expect(error["line"] as? Int == line)
        #expect(error["level"] as? String == "error")
    }
}
