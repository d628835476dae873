import Foundation
import Testing
import Crypto
import CurateCore
import Pipeline
@testable import Fetch
import FetchTestServer

/// `curate fetch` of a plain URL against a local server: every failure leaves the previous file.
@Suite struct HTTPFetchTests {
    static let body = "year,value\n2021,10\n2022,12\n"

    @Test func downloadsRecordsAndRefetchesConditionally() async throws {
        let server = try TestHTTPServer { request, _ in
            if request.header("If-None-Match") == "\"v1\"" { return TestResponse(status: 304, headers: [("ETag", "\"v1\"")]) }
            return .ok(Self.body, headers: [("ETag", "\"v1\""), ("Last-Modified", "Wed, 01 Nov 2023 00:00:00 GMT"), ("Content-Type", "text/csv")])
        }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"\(server.baseURL)/data.csv\"}")
        let first = try await project.fetcher().fetch(datasets: [])
        #expect(first.map(\.status) == [.fetched])
        #expect(project.contents == Self.body)
        let entry = try #require(project.lock.files[project.path])
        #expect(entry.url == server.baseURL + "/data.csv")
        #expect(entry.sha256 == SHA256.hash(data: Data(Self.body.utf8)).map { String(format: "%02x", $0) }.joined())
        #expect(entry.bytes == Self.body.utf8.count)
        #expect(entry.etag == "\"v1\"" && entry.lastModified == "Wed, 01 Nov 2023 00:00:00 GMT" && entry.contentType == "text/csv")
        #expect(project.lockText.contains("\"retrieved_at\""))

        let lockBefore = project.lockText
        let inode = try FileManager.default.attributesOfItem(atPath: project.file)[.systemFileNumber] as? Int
        let second = try await project.fetcher().fetch(datasets: ["test-source"])
        #expect(second.map(\.status) == [.notModified])
        #expect(server.requests.last?.header("If-None-Match") == "\"v1\"")
        #expect(server.requests.last?.header("If-Modified-Since") == "Wed, 01 Nov 2023 00:00:00 GMT")
        #expect(try FileManager.default.attributesOfItem(atPath: project.file)[.systemFileNumber] as? Int == inode, "304 must not rewrite the file")
        #expect(project.lockText == lockBefore)
    }

    @Test func aFileChangedByHandIsFetchedUnconditionally() async throws {
        let server = try TestHTTPServer { request, _ in
            if request.header("If-None-Match") != nil { return TestResponse(status: 304) }
            return .ok(Self.body, headers: [("ETag", "\"v1\"")])
        }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"\(server.baseURL)/data.csv\"}")
        _ = try await project.fetcher().fetch(datasets: [])
        try project.write("year,value\n2021,99\n")
        let again = try await project.fetcher().fetch(datasets: [])
        #expect(again.map(\.status) == [.fetched])
        #expect(server.requests.last?.header("If-None-Match") == nil)
        #expect(project.contents == Self.body)
    }

    @Test func notFoundKeepsThePreviousFileAndNamesStatusAndURL() async throws {
        let server = try TestHTTPServer { _, _ in TestResponse(status: 404, body: Array("no such file".utf8)) }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"\(server.baseURL)/gone.csv\"}")
        try project.write(Self.body)
        let result = try await project.fetcher().fetch(datasets: [])
        let error = try #require(result.first?.status.error)
        #expect(error.code == .fetchError)
        #expect(error.message.contains("HTTP 404"), "\(error)")
        #expect(error.message.contains(server.baseURL + "/gone.csv"), "\(error)")
        #expect(project.contents == Self.body)
        #expect(project.folderListing == ["data.csv"])
        #expect(server.requests.count == 1, "a 404 is not retried")
    }

    @Test func retriesA503TwiceThenSucceeds() async throws {
        let server = try TestHTTPServer { _, n in
            n < 2 ? TestResponse(status: 503, headers: [("Retry-After", "0")]) : .ok(Self.body)
        }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"\(server.baseURL)/data.csv\"}")
        let result = try await project.fetcher().fetch(datasets: [])
        #expect(result.map(\.status) == [.fetched])
        #expect(server.requests.count == 3)
        #expect(project.contents == Self.body)
    }

    @Test func givesUpAfterItsRetriesAndKeepsTheFile() async throws {
        let server = try TestHTTPServer { _, _ in TestResponse(status: 429) }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"\(server.baseURL)/data.csv\"}")
        try project.write(Self.body)
        let result = try await project.fetcher(["CURATE_FETCH_RETRIES": "2"]).fetch(datasets: [])
        let error = try #require(result.first?.status.error)
        #expect(error.message.contains("HTTP 429") && error.message.contains("3 attempts"), "\(error)")
        #expect(server.requests.count == 3)
        #expect(project.contents == Self.body)
    }

    @Test func aRetryAfterBeyondTheLimitGivesUpAtOnce() async throws {
        let server = try TestHTTPServer { _, _ in TestResponse(status: 503, headers: [("Retry-After", "86400")]) }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"\(server.baseURL)/data.csv\"}")
        let error = try #require(try await project.fetcher().fetch(datasets: []).first?.status.error)
        #expect(error.message.contains("retry after 86400 s"), "\(error)")
        #expect(server.requests.count == 1)
    }

    @Test func aTruncatedDownloadLeavesThePreviousFileAndNothingPartial() async throws {
        let full = String(repeating: "2023,1\n", count: 2000)
        let server = try TestHTTPServer { _, _ in TestResponse(status: 200, body: Array(("year,value\n" + full).utf8), truncateAfter: 5000) }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"\(server.baseURL)/data.csv\"}")
        try project.write(Self.body)
        let result = try await project.fetcher(["CURATE_FETCH_RETRIES": "1"]).fetch(datasets: [])
        let error = try #require(result.first?.status.error)
        #expect(error.code == .fetchError)
        #expect(error.message.contains("truncated") && error.message.contains("HTTP 200") && error.message.contains(server.baseURL), "\(error)")
        #expect(project.contents == Self.body)
        #expect(project.folderListing == ["data.csv"])
        #expect(project.lock.files.isEmpty)
    }

    @Test func anOversizedDownloadIsRefused() async throws {
        let server = try TestHTTPServer { _, _ in .ok(String(repeating: "x", count: 10_000)) }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"\(server.baseURL)/big.csv\"}")
        try project.write(Self.body)
        let error = try #require(try await project.fetcher(["CURATE_FETCH_MAX_BYTES": "4096"]).fetch(datasets: []).first?.status.error)
        #expect(error.message.contains("oversized") && error.message.contains("4096"), "\(error)")
        #expect(project.contents == Self.body)
        #expect(project.folderListing == ["data.csv"])
    }

    @Test func aRedirectLoopIsAnError() async throws {
        let server = try TestHTTPServer { request, _ in
            TestResponse(status: 302, headers: [("Location", request.path == "/a" ? "/b" : "/a")])
        }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"\(server.baseURL)/a\"}")
        let error = try #require(try await project.fetcher().fetch(datasets: []).first?.status.error)
        #expect(error.code == .fetchError)
        #expect(error.message.contains("redirect"), "\(error)")
        #expect(server.requests.count < 10)
    }

    @Test func followsARedirectWithinTheLimit() async throws {
        let server = try TestHTTPServer { request, _ in
            request.path == "/old.csv" ? TestResponse(status: 301, headers: [("Location", "/new.csv")]) : .ok(Self.body)
        }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"\(server.baseURL)/old.csv\"}")
        #expect(try await project.fetcher().fetch(datasets: []).map(\.status) == [.fetched])
        #expect(project.contents == Self.body)
    }

    @Test func aMirrorRewritesTheDeclaredURL() async throws {
        let server = try TestHTTPServer { request, _ in request.path == "/mirror/files/data.csv" ? .ok(Self.body) : TestResponse(status: 404) }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"https://www.publisher.example/files/data.csv\"}")
        let result = try await project.fetcher(["CURATE_FETCH_MIRROR": "https://www.publisher.example=\(server.baseURL)/mirror"]).fetch(datasets: [])
        #expect(result.map(\.status) == [.fetched])
    }

    @Test func aWebPageInsteadOfTheFileIsRefused() async throws {
        let server = try TestHTTPServer { _, _ in .ok("<!DOCTYPE html><html><body>ページが見つかりません</body></html>", headers: [("Content-Type", "text/html; charset=utf-8")]) }
        defer { server.shutdown() }
        let project = try FetchProject(fetch: "{url: \"\(server.baseURL)/table.csv\"}")
        try project.write(Self.body)
        let error = try #require(try await project.fetcher().fetch(datasets: []).first?.status.error)
        #expect(error.message.contains("web page") && error.message.contains(server.baseURL + "/table.csv"), "\(error)")
        #expect(project.contents == Self.body)
    }

    @Test func retryAfterIsReadAsSecondsOrADate() {
        #expect(Downloader.retryAfter("7") == 7)
        #expect(Downloader.retryAfter(" 0 ") == 0)
        #expect(Downloader.retryAfter(nil) == nil && Downloader.retryAfter("soon") == nil)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let inAMinute = Downloader.retryAfter(formatter.string(from: Date().addingTimeInterval(60)))
        #expect(inAMinute.map { (50...61).contains($0) } == true, "\(String(describing: inAMinute))")
        #expect(Downloader.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == 0, "a date in the past means now")
    }

    @Test func proxyVariablesAreHonoured() {
        let env = ["https_proxy": "http://proxy.example:3128", "HTTP_PROXY": "proxy2.example:8080", "no_proxy": "localhost,.internal.example"]
        #expect(ProxySettings.proxy(for: "https://www.e-stat.go.jp/x", environment: env) == .server(host: "proxy.example", port: 3128))
        #expect(ProxySettings.proxy(for: "http://www.mext.go.jp/x", environment: env) == .server(host: "proxy2.example", port: 8080))
        #expect(ProxySettings.proxy(for: "http://data.internal.example/x", environment: env) == nil)
        #expect(ProxySettings.proxy(for: "http://localhost:8080/x", environment: env) == nil)
        #expect(ProxySettings.proxy(for: "http://www.mext.go.jp/x", environment: [:]) == nil)
    }
}
