import Foundation
import Testing
import CurateCore
import Ingest
import Pipeline
@testable import Fetch
import FetchTestServer

/// e-Stat getStatsData (paging, STATUS errors, the application id) and SDMX REST (service messages)
/// against a local server standing in for the APIs (`CURATE_ESTAT_BASE_URL`, `CURATE_SDMX_*_URL`).
@Suite struct ServiceFetchTests {
    static let appID = "0123456789abcdef0123456789abcdef01234567"

    /// A getStatsData XML page in the API 3.0 layout (RESULT_INF holds the paging counts).
    static func estatPage(_ values: [(time: String, value: String)], from: Int, total: Int, next: Int?, status: String = "0",
                          message: String = "正常に終了しました。", echo: String = "") -> String {
        let rows = values.map { "      <VALUE tab=\"01\" cat01=\"100\" time=\"\($0.time)\" unit=\"件\">\($0.value)</VALUE>" }.joined(separator: "\n")
        let data = status == "0" ? """
              <STATISTICAL_DATA>
                <RESULT_INF><TOTAL_NUMBER>\(total)</TOTAL_NUMBER><FROM_NUMBER>\(from)</FROM_NUMBER><TO_NUMBER>\(from + values.count - 1)</TO_NUMBER>\(next.map { "<NEXT_KEY>\($0)</NEXT_KEY>" } ?? "")</RESULT_INF>
                <TABLE_INF id="0003000001"><STAT_NAME code="00400001">学校基本調査</STAT_NAME><TITLE>テスト表</TITLE></TABLE_INF>
                <DATA_INF>
                  <NOTE char="***">数字が得られないもの</NOTE>
            \(rows)
                </DATA_INF>
              </STATISTICAL_DATA>
            """ : ""
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <GET_STATS_DATA xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://api.e-stat.go.jp/rest/3.0/schema/GetStatsData.xsd">
              <RESULT><STATUS>\(status)</STATUS><ERROR_MSG>\(message)</ERROR_MSG><DATE>2024-03-01T10:00:00.000+09:00</DATE></RESULT>
              <PARAMETER><LANG>J</LANG><STATS_DATA_ID>0003000001</STATS_DATA_ID>\(echo)<DATA_FORMAT>X</DATA_FORMAT><START_POSITION>\(from)</START_POSITION><LIMIT>2</LIMIT></PARAMETER>
            \(data)
            </GET_STATS_DATA>

            """
    }

    /// Three pages of two values each, chained by NEXT_KEY 3 and 5; each page echoes the appId
    /// it was sent (a hostile case: the application id must still be written nowhere).
    static func pagedServer() throws -> TestHTTPServer {
        try TestHTTPServer { request, _ in
            guard request.path == "/rest/3.0/app/getStatsData", request.parameter("statsDataId") == "0003000001" else { return TestResponse(status: 404) }
            let echo = "<APP_ID>\(request.parameter("appId") ?? "")</APP_ID>"
            switch request.parameter("startPosition") {
            case nil: return .ok(estatPage([("2019000000", "10"), ("2020000000", "11")], from: 1, total: 6, next: 3, echo: echo))
            case "3": return .ok(estatPage([("2021000000", "12"), ("2022000000", "***")], from: 3, total: 6, next: 5, echo: echo))
            case "5": return .ok(estatPage([("2023000000", "14"), ("2024000000", "15")], from: 5, total: 6, next: nil, echo: echo))
            default: return TestResponse(status: 400)
            }
        }
    }

    @Test func eStatPagesAreAllFetchedAndMergedIntoOneTable() async throws {
        let server = try Self.pagedServer()
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{estat: {stats_data_id: \"0003000001\", params: {cdCat01: \"100\", lang: J}}}", path: "Raw/test/estat.xml")
        let logs = LogCapture()
        let result = try await project.fetcher(["ESTAT_APP_ID": Self.appID, "CURATE_ESTAT_BASE_URL": server.baseURL + "/rest/3.0/app"], logs: logs)
            .fetch(datasets: [])
        #expect(result.map(\.status) == [.fetched], "\(result)")
        #expect(server.requests.map { $0.parameter("startPosition") } == [nil, "3", "5"])
        #expect(server.requests.allSatisfy { $0.parameter("appId") == Self.appID && $0.parameter("cdCat01") == "100" })

        // The merged file reads as one complete table: six values, no next key, counts 1–6 of 6.
        var times: [String] = []
        let table = try EStatReader(path: project.file).forEachObservation { times.append($0["time"] ?? "?") }
        #expect(times == ["2019000000", "2020000000", "2021000000", "2022000000", "2023000000", "2024000000"])
        #expect(table.nextKey == nil && table.total == 6 && table.to == 6)
        #expect(table.notes["***"] == "数字が得られないもの")
        #expect(project.lock.files[project.path]?.pages == 3)

        // The application id is in no file, no lock entry and no log line; the lock's URL says where it was.
        #expect(!project.everything().contains(Self.appID))
        #expect(!logs.text.contains(Self.appID))
        #expect(!logs.text.isEmpty)
        let url = try #require(project.lock.files[project.path]?.url)
        #expect(url.contains("appId=REDACTED") && url.contains("statsDataId=0003000001"), "\(url)")
    }

    @Test func eStatJSONPagesAreMergedToo() async throws {
        @Sendable func page(_ values: [String], from: Int, next: Int?) -> String {
            let vs = values.enumerated().map { "{\"@tab\":\"01\",\"@time\":\"\(2019 + from + $0.offset)000000\",\"$\":\"\($0.element)\"}" }.joined(separator: ",")
            let nextKey = next.map { ",\"NEXT_KEY\":\($0)" } ?? ""
            return "{\"GET_STATS_DATA\":{\"RESULT\":{\"STATUS\":0,\"ERROR_MSG\":\"正常に終了しました。\"},\"STATISTICAL_DATA\":{\"RESULT_INF\":{\"TOTAL_NUMBER\":3,\"FROM_NUMBER\":\(from),\"TO_NUMBER\":\(from + values.count - 1)\(nextKey)},\"DATA_INF\":{\"VALUE\":[\(vs)]}}}}"
        }
        let server = try TestHTTPServer { request, _ in
            request.parameter("startPosition") == "3" ? .ok(page(["12"], from: 3, next: nil)) : .ok(page(["10", "11"], from: 1, next: 3))
        }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{estat: {stats_data_id: \"0003000001\", format: json}}", path: "Raw/test/estat.json")
        let result = try await project.fetcher(["ESTAT_APP_ID": Self.appID, "CURATE_ESTAT_BASE_URL": server.baseURL]).fetch(datasets: [])
        #expect(result.map(\.status) == [.fetched], "\(result)")
        #expect(server.requests.first?.path == "/json/getStatsData")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: project.file))) as! [String: Any]
        let stats = (object["GET_STATS_DATA"] as! [String: Any])["STATISTICAL_DATA"] as! [String: Any]
        #expect(((stats["DATA_INF"] as! [String: Any])["VALUE"] as! [Any]).count == 3)
        #expect((stats["RESULT_INF"] as! [String: Any])["NEXT_KEY"] == nil)
    }

    @Test func anEStatStatusErrorNamesStatusAndMessageAndKeepsTheFile() async throws {
        let server = try TestHTTPServer { _, _ in
            .ok(Self.estatPage([], from: 1, total: 0, next: nil, status: "100", message: "認証に失敗しました。アプリケーションIDを確認して下さい。"))
        }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{estat: {stats_data_id: \"0003000001\"}}", path: "Raw/test/estat.xml")
        try project.write("previous")
        let logs = LogCapture()
        let result = try await project.fetcher(["ESTAT_APP_ID": Self.appID, "CURATE_ESTAT_BASE_URL": server.baseURL], logs: logs).fetch(datasets: [])
        let error = try #require(result.first?.status.error)
        #expect(error.code == .estatError)
        #expect(error.message.contains("status 100") && error.message.contains("認証に失敗しました"), "\(error)")
        #expect(!error.description.contains(Self.appID) && error.description.contains("appId=REDACTED"))
        #expect(!logs.text.contains(Self.appID))
        #expect(project.contents == "previous")
        #expect(project.folderListing == ["estat.xml"])
    }

    @Test func withoutAnApplicationIDNothingIsAsked() async throws {
        let server = try Self.pagedServer()
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{estat: {stats_data_id: \"0003000001\"}}", path: "Raw/test/estat.xml")
        let error = try #require(try await project.fetcher(["CURATE_ESTAT_BASE_URL": server.baseURL]).fetch(datasets: []).first?.status.error)
        #expect(error.message.contains("ESTAT_APP_ID"))
        #expect(server.requests.isEmpty)
    }

    static let sdmxData = """
        <?xml version="1.0" encoding="UTF-8"?>
        <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific" xmlns:footer="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message/footer" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
          <message:Header><message:ID>IREF000001</message:ID><message:Test>false</message:Test><message:Prepared>2024-03-01T00:00:00</message:Prepared><message:Sender id="OECD"/></message:Header>
          <message:DataSet ss:dataScope="DataStructure" ss:structureRef="OECD_STI_STP_DSD_MSTI_1_3">
            <Series REF_AREA="JPN" FREQ="A" MEASURE="H" UNIT_MEASURE="USD_PPP"><Obs TIME_PERIOD="2021" OBS_VALUE="21000.5"/></Series>
          </message:DataSet>
        """

    @Test func sdmxDataIsAskedForAsSDMXMLAndSavedWithItsStructure() async throws {
        let server = try TestHTTPServer { request, _ in
            if request.path.hasPrefix("/rest/dataflow/") { return .ok("<message:Structure xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\"/>") }
            return .ok(Self.sdmxData + "</message:StructureSpecificData>\n", headers: [("Content-Type", "application/vnd.sdmx.structurespecificdata+xml; version=2.1")])
        }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{sdmx: {endpoint: oecd, flow: \"OECD.STI.STP,DSD_MSTI@DF_MSTI,1.3\", key: JPN.A.H.USD_PPP, params: {startPeriod: 2021, endPeriod: 2021}, structure: true}}",
                                       path: "Raw/test/herd.xml")
        let result = try await project.fetcher(["CURATE_SDMX_OECD_URL": server.baseURL + "/rest"]).fetch(datasets: [])
        #expect(result.map(\.status) == [.fetched, .fetched], "\(result)")
        #expect(server.requests[0].uri == "/rest/data/OECD.STI.STP,DSD_MSTI@DF_MSTI,1.3/JPN.A.H.USD_PPP?startPeriod=2021&endPeriod=2021")
        #expect(server.requests[0].header("Accept")?.hasPrefix("application/vnd.sdmx.structurespecificdata+xml;version=2.1") == true)
        #expect(server.requests[1].uri == "/rest/dataflow/OECD.STI.STP/DSD_MSTI@DF_MSTI/1.3?references=all")
        #expect(server.requests[1].header("Accept")?.hasPrefix("application/vnd.sdmx.structure+xml") == true)
        #expect(Set(project.lock.files.keys) == ["Raw/test/herd.xml", "Raw/test/herd.structure.xml"])
    }

    @Test func anSDMXFooterMessageIsAnErrorAndKeepsTheFile() async throws {
        let footer = """
            <footer:Footer><footer:Message code="413" severity="Error"><common:Text xml:lang="en">Response too large. Please refine your query.</common:Text></footer:Message></footer:Footer>
            </message:StructureSpecificData>

            """
        let server = try TestHTTPServer { _, _ in .ok(Self.sdmxData + footer) }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{sdmx: {endpoint: oecd, flow: \"OECD.STI.STP,DSD_MSTI@DF_MSTI,1.3\"}}", path: "Raw/test/herd.xml")
        try project.write("previous")
        let error = try #require(try await project.fetcher(["CURATE_SDMX_OECD_URL": server.baseURL]).fetch(datasets: []).first?.status.error)
        #expect(error.code == .sdmxError)
        #expect(error.message.contains("413") && error.message.contains("Response too large"), "\(error)")
        #expect(server.requests.first?.uri == "/data/OECD.STI.STP,DSD_MSTI@DF_MSTI,1.3/all")
        #expect(project.contents == "previous")
        #expect(project.folderListing == ["herd.xml"])
    }

    @Test func anSDMXErrorMessageWithAnErrorStatusIsAnSDMXError() async throws {
        let server = try TestHTTPServer { _, _ in
            TestResponse(status: 404, body: Array("""
                <?xml version="1.0"?><message:Error xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"><message:ErrorMessage code="100"><common:Text>No Results Found</common:Text></message:ErrorMessage></message:Error>
                """.utf8))
        }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{sdmx: {endpoint: ecb, flow: EXR, key: D.USD.EUR.SP00.A}}", path: "Raw/test/exr.xml")
        let error = try #require(try await project.fetcher(["CURATE_SDMX_ECB_URL": server.baseURL]).fetch(datasets: []).first?.status.error)
        #expect(error.code == .sdmxError)
        #expect(error.message.contains("HTTP 404") && error.message.contains("No Results Found") && error.message.contains(server.baseURL + "/data/EXR/D.USD.EUR.SP00.A"), "\(error)")
    }
}
