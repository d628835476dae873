import Foundation
import Testing

/// What scripts rely on: `--version`, `--json` on status, list and diff, and JSON on stderr for
/// every error under `--log-format json`.
@Suite struct MachineInterfaceTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    @Test func versionNamesTheReleaseAndBuild() throws {
        let version = try CLITests.curate(["--version"], in: "/")
        #expect(version.status == 0)
        #expect(version.stdout.range(of: #"^curate \d+\.\d+\.\d+ \(build [0-9a-f]{16}\)\n$"#, options: .regularExpression) != nil, "\(version.stdout)")
        #expect(try CLITests.curate(["--help"], in: "/").stdout.contains("--version"))
    }

    @Test func statusAndListAsJSON() throws {
        let scratch = try CLITests.Scratch()
        #expect(try CLITests.curate(["run"], in: scratch.root).status == 0)
        for command in ["status", "list"] {
            let out = try CLITests.curate([command, "--json"], in: scratch.root)
            #expect(out.status == 0, "\(out.stderr)")
            let datasets = try #require(try json(out.stdout)["datasets"] as? [[String: Any]])
            let mext = try #require(datasets.first { $0["name"] as? String == "mext-joint-research" })
            #expect(mext["status"] as? String == "published")
            #expect(mext["rows"] as? Int == 15)
            #expect(mext["errors"] as? Int == 0)
            #expect((mext["release"] as? String)?.count == 12)
            let coverage = try #require(mext["coverage"] as? [String: Any])
            #expect(coverage["field"] as? String == "fiscal_year" && coverage["from"] as? String == "2012" && coverage["to"] as? String == "2023")
            // Nothing published: every key still there, null.
            let awaiting = try #require(datasets.first { $0["status"] as? String == "awaiting-source" })
            #expect(awaiting["release"] is NSNull && awaiting["rows"] is NSNull && awaiting.keys.count == mext.keys.count)
        }
    }

    @Test func diffAsJSON() throws {
        let scratch = try CLITests.Scratch()
        #expect(try CLITests.curate(["run", "mext-joint-research"], in: scratch.root).status == 0)
        let path = scratch.root + "/" + CLITests.raw
        let text = String(data: try Data(contentsOf: URL(fileURLWithPath: path)), encoding: .shiftJIS)!
        try text.replacingOccurrences(of: "令和2年度,\"28,794\",847", with: "令和2年度,\"28,794\",848")
            .data(using: .shiftJIS)!.write(to: URL(fileURLWithPath: path))
        #expect(try CLITests.curate(["run", "mext-joint-research"], in: scratch.root).status == 0)
        let out = try CLITests.curate(["diff", "mext-joint-research", "--json"], in: scratch.root)
        #expect(out.status == 0, "\(out.stderr)")
        let diff = try json(out.stdout)
        #expect(diff["dataset"] as? String == "mext-joint-research")
        #expect((diff["added"] as? [Any])?.isEmpty == true && (diff["removed"] as? [Any])?.isEmpty == true)
        let changed = try #require(diff["changed"] as? [[String: String]])
        #expect(changed == [["key": "2020+amount", "field": "value", "old": "84700000000", "new": "84800000000"]])
    }

    @Test func everyStderrLineIsJSONUnderJSONLogs() throws {
        let scratch = try CLITests.Scratch()
        // A usage error, before any command runs.
        let usage = try CLITests.curate(["run", "--no-such-flag", "--log-format", "json"], in: scratch.root)
        #expect(usage.status == 2)
        let event = try json(usage.stderr.trimmingCharacters(in: .newlines))
        #expect(event["code"] as? String == "usage-error" && event["exit_code"] as? Int == 2 && event["level"] as? String == "error")
        // A missing raw file: the dataset is not run, the event names the code and file.
        try FileManager.default.removeItem(atPath: scratch.root + "/" + CLITests.raw)
        let missing = try CLITests.curate(["run", "--log-format=json"], in: scratch.root)
        #expect(missing.status == 3)
        let lines = missing.stderr.split(separator: "\n")
        for line in lines { _ = try json(String(line)) }
        let notRun = try #require(lines.map { try? json(String($0)) }.compactMap { $0 }.first { $0["message"] as? String == "dataset not run" })
        #expect(notRun["code"] as? String == "io-error")
        #expect(notRun["file"] as? String != nil)
        #expect(notRun["dataset"] as? String == "mext-joint-research")
        // The same without JSON stays text.
        #expect(try CLITests.curate(["run"], in: scratch.root).stderr.contains("curate: [io-error]"))
    }
}
