import Foundation
import Testing
import CurateCore
import Pipeline

/// `source.fetch` in a spec: one of url, estat, sdmx; every mistake names file, line and key.
@Suite struct FetchSpecTests {
    func load(_ fetch: String) throws -> PipelineSpec {
        let project = try FetchProject(fetch: fetch)
        return try Project(root: project.root).loadSpecs()[0]
    }

    func error(_ fetch: String) -> CurateError? {
        do { _ = try load(fetch); return nil } catch { return error as? CurateError }
    }

    @Test func eachKindParses() async throws {
        #expect(try load("{url: \"https://www.nistep.go.jp/x.xlsx\"}").source.fetch == .url("https://www.nistep.go.jp/x.xlsx"))
        #expect(try load("{estat: {stats_data_id: \"0003000001\", params: {cdCat01: \"100\"}}}").source.fetch
                == .estat(.init(statsDataID: "0003000001", params: [("cdCat01", "100")])))
        #expect(try load("{sdmx: {endpoint: oecd, flow: \"A,B,1.0\", key: JPN.A, structure: true}}").source.fetch
                == .sdmx(.init(endpoint: "oecd", flow: "A,B,1.0", key: "JPN.A", structure: true)))
    }

    @Test func mistakesNameFileLineAndKey() async throws {
        let unknown = try #require(error("{sdmx: {endpoint: oecd, flow: F, kee: A}}"))
        #expect(unknown.code == .specError)
        #expect(unknown.location?.file == "Pipelines/test-source.yaml" && unknown.location?.row == 6 && unknown.location?.raw == "kee", "\(unknown)")
        let two = try #require(error("{url: \"https://a.example/x\", sdmx: {endpoint: oecd, flow: F}}"))
        #expect(two.message.contains("exactly one of url, estat, sdmx"))
        #expect(error("{url: \"ftp://a.example/x\"}")?.message.contains("http") == true)
        #expect(error("{sdmx: {endpoint: nowhere, flow: F}}")?.message.contains("nowhere") == true)
        #expect(error("{estat: {stats_data_id: \"0003000001\", params: {appId: x}}}")?.message.contains("ESTAT_APP_ID") == true)
        #expect(error("{estat: {stats_data_id: \"0003000001\", format: csv}}")?.message.contains("xml, json") == true)
        #expect(error("{estat: {params: {lang: J}}}")?.message.contains("missing required key stats_data_id") == true)
    }

    /// The committed lock is in the form `curate fetch` writes, and every file it records still
    /// holds the bytes it records (a hand edit after fetching fails here, not only in a report).
    @Test func theCommittedLockIsCanonicalAndTrue() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let lock = try SourceLock.load(root: root)
        #expect(try lock.encoded() == Data(contentsOf: URL(fileURLWithPath: root + "/" + SourceLock.file)))
        for (path, entry) in lock.files {
            let actual = try SourceLock.sha256(ofFile: root + "/" + path)
            #expect(actual.digest == entry.sha256 && actual.bytes == entry.bytes, "\(path)")
            #expect(!entry.url.contains("appId=") || entry.url.contains("appId=REDACTED"), "\(path)")
        }
    }

    @Test func everyAwaitingPipelineSaysWhereToFetchIt() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let awaiting = try Project(root: root).loadSpecs().filter(\.source.awaiting)
        #expect(awaiting.count >= 6)
        for spec in awaiting { #expect(spec.source.fetch != nil, "\(spec.name)") }
    }
}
