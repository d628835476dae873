import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1

/// A request as the test server saw it.
public struct TestRequest: Sendable {
    public var method: String
    /// Path and query, as sent.
    public var uri: String
    public var headers: [(String, String)]

    public var path: String { String(uri.prefix(while: { $0 != "?" })) }
    public var query: String { uri.firstIndex(of: "?").map { String(uri[uri.index(after: $0)...]) } ?? "" }
    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    /// The value of a query parameter (not percent-decoded).
    public func parameter(_ name: String) -> String? {
        query.split(separator: "&").lazy.map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
            .first { $0.first == name }.map { $0.count > 1 ? $0[1] : "" }
    }
}

/// A scripted answer.
public struct TestResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Send Content-Length for the whole body, but close the connection after this many bytes.
    public var truncateAfter: Int?

    public init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = [], truncateAfter: Int? = nil) {
        self.status = status; self.headers = headers; self.body = body; self.truncateAfter = truncateAfter
    }

    public static func ok(_ body: String, headers: [(String, String)] = []) -> TestResponse {
        TestResponse(status: 200, headers: headers, body: Array(body.utf8))
    }
}

/// An HTTP/1.1 server on 127.0.0.1 (a free port) for tests that must not touch the network:
/// each request is answered by `handler(request, n)`, n counting earlier requests to the same path.
/// Every response closes its connection, so each request is independent.
public final class TestHTTPServer: @unchecked Sendable {
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let group: MultiThreadedEventLoopGroup
    private var channel: Channel?
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var seen: [TestRequest] = []
    private let handler: @Sendable (TestRequest, Int) -> TestResponse

    public init(handler: @escaping @Sendable (TestRequest, Int) -> TestResponse) throws {
        self.handler = handler
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = WeakServer()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(server: box))
                }
            }
        let channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
        self.channel = channel
        port = channel.localAddress!.port!
        box.server = self
    }

    /// Every request received so far, in order.
    public var requests: [TestRequest] { lock.withLock { seen } }

    func respond(to request: TestRequest) -> TestResponse {
        let n: Int = lock.withLock {
            seen.append(request)
            let n = counts[request.path, default: 0]
            counts[request.path] = n + 1
            return n
        }
        return handler(request, n)
    }

    public func shutdown() {
        try? channel?.close().wait()
        try? group.syncShutdownGracefully()
    }

    deinit { if channel?.isActive == true { shutdown() } }
}

final class WeakServer: @unchecked Sendable { weak var server: TestHTTPServer? }

final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    private let server: WeakServer
    private var head: HTTPRequestHead?

    init(server: WeakServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head, let server = server.server else { context.close(promise: nil); return }
            let request = TestRequest(method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) })
            let response = server.respond(to: request)
            var headers = HTTPHeaders(response.headers)
            if response.status != 304 && response.status != 204 && !headers.contains(name: "Content-Length") {
                headers.add(name: "Content-Length", value: "\(response.body.count)")
            }
            headers.replaceOrAdd(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: response.status), headers: headers))), promise: nil)
            let sent = response.truncateAfter.map { Array(response.body.prefix($0)) } ?? response.body
            if !sent.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: sent)))), promise: nil)
            }
            if response.truncateAfter != nil {
                // Cut the connection mid-body: the client sees fewer bytes than Content-Length.
                context.flush()
                context.close(promise: nil)
                return
            }
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
