import CLibXML2
import CurateCore

/// An attribute as the SAX parser reports it.
struct XMLAttribute {
    var localName: String
    /// Namespace URI; nil for an unprefixed attribute (SDMX puts dimensions and attributes there).
    var namespace: String?
    var value: String
}

/// What the XML readers implement: called in document order while bytes stream through.
protocol XMLEventHandler: AnyObject {
    /// `line` is the line of the element's start tag.
    func startElement(_ localName: String, namespace: String?, attributes: [XMLAttribute], line: Int) throws
    func endElement(_ localName: String, namespace: String?) throws
    func characters(_ text: String) throws
}

/// libxml2's SAX2 push parser, fed chunk by chunk: memory stays flat whatever the file size.
///
/// This is the only code that touches libxml2 pointers. It parses safely: no network
/// (`XML_PARSE_NONET`), no entity substitution (never `XML_PARSE_NOENT`), no DTD loading, and a
/// document that declares a DTD (`<!DOCTYPE`, where billion-laughs and external entities live) is
/// refused outright. `XML_PARSE_HUGE` is never set, so libxml2's limits on depth, text-node size and
/// entity amplification stay on. libxml2's errors become `xml-error` with line and column.
final class XMLPushParser {
    private final class State {
        let handler: XMLEventHandler
        let file: String
        var failure: Error?
        var xmlError: (message: String, line: Int, column: Int)?
        var depth = 0
        /// Characters of the current text node: SAX hands them over in pieces, so libxml2's own
        /// text-node limit never applies.
        var textLength = 0
        init(handler: XMLEventHandler, file: String) { self.handler = handler; self.file = file }
    }

    /// libxml2 2.9's push parser does not apply its own depth limit, so we do. Data formats here
    /// nest fewer than 10 levels.
    static let maxDepth = 256
    /// The longest text node accepted (libxml2's own default without XML_PARSE_HUGE).
    static let maxTextBytes = 10_000_000

    private let state: State
    private var context: xmlParserCtxtPtr?
    private var handlers = xmlSAXHandler()

    init(handler: XMLEventHandler, file: String) throws {
        state = State(handler: handler, file: file)
        handlers.initialized = XML_SAX2_MAGIC
        handlers.startElementNs = { ctx, localName, _, uri, _, _, count, _, attributes in
            guard let state = XMLPushParser.state(ctx), state.failure == nil else { return }
            state.depth += 1
            state.textLength = 0
            if state.depth > XMLPushParser.maxDepth {
                state.failure = CurateError(.xmlError, "elements nested deeper than \(XMLPushParser.maxDepth)",
                                            at: SourceLocation(file: state.file, row: Int(xmlSAX2GetLineNumber(ctx))))
                xmlStopParser(ctx?.assumingMemoryBound(to: xmlParserCtxt.self))
                return
            }
            var list: [XMLAttribute] = []
            list.reserveCapacity(Int(count))
            if let attributes {
                for i in 0..<Int(count) {
                    let base = i * 5
                    let start = attributes[base + 3]!, end = attributes[base + 4]!
                    let value = XMLPushParser.decodeReferences(String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self))
                    list.append(XMLAttribute(localName: String(cString: attributes[base]!),
                                             namespace: attributes[base + 2].map { String(cString: $0) }, value: value))
                }
            }
            XMLPushParser.call(ctx, state) {
                try state.handler.startElement(String(cString: localName!), namespace: uri.map { String(cString: $0) }, attributes: list,
                                              line: Int(xmlSAX2GetLineNumber(ctx)))
            }
        }
        handlers.endElementNs = { ctx, localName, _, uri in
            guard let state = XMLPushParser.state(ctx), state.failure == nil else { return }
            state.depth -= 1
            state.textLength = 0
            XMLPushParser.call(ctx, state) {
                try state.handler.endElement(String(cString: localName!), namespace: uri.map { String(cString: $0) })
            }
        }
        handlers.characters = { ctx, text, length in
            guard let state = XMLPushParser.state(ctx), state.failure == nil, let text else { return }
            state.textLength += Int(length)
            if state.textLength > XMLPushParser.maxTextBytes {
                state.failure = CurateError(.xmlError, "a text node longer than \(XMLPushParser.maxTextBytes) bytes",
                                            at: SourceLocation(file: state.file, row: Int(xmlSAX2GetLineNumber(ctx))))
                xmlStopParser(ctx?.assumingMemoryBound(to: xmlParserCtxt.self))
                return
            }
            XMLPushParser.call(ctx, state) {
                try state.handler.characters(String(decoding: UnsafeBufferPointer(start: text, count: Int(length)), as: UTF8.self))
            }
        }
        handlers.cdataBlock = handlers.characters
        handlers.internalSubset = { ctx, name, _, _ in
            guard let state = XMLPushParser.state(ctx) else { return }
            let line = Int(xmlSAX2GetLineNumber(ctx))
            state.failure = CurateError(.xmlDTDRefused,
                "the document declares a DTD (<!DOCTYPE \(name.map { String(cString: $0) } ?? "")>): refused, since DTDs carry entity expansion and external references",
                at: SourceLocation(file: state.file, row: line))
            xmlStopParser(ctx?.assumingMemoryBound(to: xmlParserCtxt.self))
        }
        handlers.serror = { ctx, error in
            guard let ctx, let error else { return }
            let parser = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
            guard let state = XMLPushParser.state(UnsafeMutableRawPointer(parser)), state.xmlError == nil else { return }
            if error.pointee.level.rawValue < XML_ERR_ERROR.rawValue { return }   // warnings are not failures
            let message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
            state.xmlError = (message.trimmingWhitespace.replacingAll("\n", with: " "), Int(error.pointee.line), Int(error.pointee.int2))
        }
        context = xmlCreatePushParserCtxt(&handlers, nil, nil, 0, file)
        guard let context else { throw CurateError(.ioError, "cannot create an XML parser", at: SourceLocation(file: file)) }
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        context.pointee._private = Unmanaged.passUnretained(state).toOpaque()
    }

    deinit {
        if let context {
            if let doc = context.pointee.myDoc { xmlFreeDoc(doc) }
            xmlFreeParserCtxt(context)
        }
    }

    /// Parses one chunk; `isLast` ends the document (and reports an unclosed element).
    func feed(_ chunk: UnsafeBufferPointer<UInt8>, isLast: Bool) throws {
        guard let context else { return }
        let status = chunk.withMemoryRebound(to: CChar.self) { bytes in
            xmlParseChunk(context, bytes.baseAddress, Int32(bytes.count), isLast ? 1 : 0)
        }
        if let failure = state.failure { throw failure }
        if status != 0 || state.xmlError != nil {
            let error = state.xmlError ?? ("malformed XML (libxml2 error \(status))", Int(xmlSAX2GetLineNumber(context)), 0)
            throw CurateError(.xmlError, error.message,
                              at: SourceLocation(file: state.file, row: error.line, column: error.column > 0 ? error.column : nil))
        }
    }

    /// Streams a whole file through the parser in 1 MiB chunks.
    static func parse(path: String, handler: XMLEventHandler) throws {
        let parser = try XMLPushParser(handler: handler, file: path)
        let source = try ByteSource(path: path, chunkSize: 1 << 20)
        while try source.nextChunk({ try parser.feed($0, isLast: false) }) {}
        try [UInt8]().withUnsafeBufferPointer { try parser.feed($0, isLast: true) }
    }

    /// libxml2's SAX2 hands attribute values over raw when entities are not substituted (we never
    /// set XML_PARSE_NOENT): `&amp;` arrives as `&#38;`, and other references may too. Decodes the
    /// character references and the five predefined entities in one left-to-right pass, so
    /// `&amp;#38;` (the text `&#38;`) stays as written. A value without `&` is returned as it is.
    static func decodeReferences(_ value: String) -> String {
        guard value.utf8.contains(UInt8(ascii: "&")) else { return value }
        var out = ""
        var rest = Substring(value)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let afterAmp = rest.index(after: amp)
            guard let semi = rest[afterAmp...].prefix(12).firstIndex(of: ";") else { out += "&"; rest = rest[afterAmp...]; continue }
            let name = rest[afterAmp..<semi]
            var decoded: String?
            switch name {
            case "amp": decoded = "&"
            case "lt": decoded = "<"
            case "gt": decoded = ">"
            case "quot": decoded = "\""
            case "apos": decoded = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                }
            }
            if let decoded {
                out += decoded
                rest = rest[rest.index(after: semi)...]
            } else {
                out += "&"
                rest = rest[afterAmp...]
            }
        }
        return out + rest
    }

    private static func state(_ ctx: UnsafeMutableRawPointer?) -> State? {
        guard let ctx, let opaque = ctx.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
        return Unmanaged<State>.fromOpaque(opaque).takeUnretainedValue()
    }

    /// Runs handler code; an error it throws stops the parser and is rethrown from `feed`.
    private static func call(_ ctx: UnsafeMutableRawPointer?, _ state: State, _ body: () throws -> Void) {
        do { try body() } catch {
            state.failure = error
            xmlStopParser(ctx?.assumingMemoryBound(to: xmlParserCtxt.self))
        }
    }
}
