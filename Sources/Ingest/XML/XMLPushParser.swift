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

/// The byte-level form of `XMLEventHandler`, for readers that must keep up with libxml2 itself
/// (SDMX-ML files run to gigabytes): names arrive as tokens (indexes into `vocabulary`), so the
/// handler switches on integers instead of comparing Strings, and a String is made only for what
/// it asks for. The views passed in are valid only during the call.
protocol XMLTokenHandler: AnyObject {
    /// Element and attribute local names and namespace URIs this handler tells apart; a name's
    /// token is its index here, `XMLNameTable.unknown` for any other name.
    var vocabulary: [String] { get }
    func startElement(_ name: XMLElementName, attributes: XMLAttributeList, line: Int) throws
    func endElement(_ name: XMLElementName) throws
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws
}

/// An element's name during a `XMLTokenHandler` call.
struct XMLElementName {
    fileprivate let local: UnsafePointer<xmlChar>
    fileprivate let uri: UnsafePointer<xmlChar>?
    /// Unretained (and used without retaining: several lookups per element): the view lives only
    /// during the callback, while the parser holds the table.
    fileprivate let names: Unmanaged<XMLNameTable>

    /// The local name's token.
    var token: Int { names._withUnsafeGuaranteedRef { $0.token(local) } }
    /// The namespace URI's token; nil when the element has no namespace.
    var namespace: Int? { uri.map { uri in names._withUnsafeGuaranteedRef { $0.token(uri) } } }
    var localName: String { names._withUnsafeGuaranteedRef { $0.string(local) } }
    var namespaceURI: String? { uri.map { uri in names._withUnsafeGuaranteedRef { $0.string(uri) } } }
}

/// A start tag's attributes during a `XMLTokenHandler` call: libxml2's array of 5-pointer tuples
/// (local name, prefix, URI, value start, value end), read in place.
struct XMLAttributeList {
    fileprivate let tuples: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int
    /// Unretained, as in `XMLElementName`.
    fileprivate let names: Unmanaged<XMLNameTable>

    /// The local name's token.
    @inline(__always) func name(_ index: Int) -> Int { names._withUnsafeGuaranteedRef { $0.token(tuples![5 * index]!) } }
    /// The local name (one shared String per distinct name: SDMX's dimension and attribute ids).
    @inline(__always) func localName(_ index: Int) -> String { names._withUnsafeGuaranteedRef { $0.string(tuples![5 * index]!) } }
    /// The namespace URI's token; nil for an unprefixed attribute.
    @inline(__always) func namespace(_ index: Int) -> Int? {
        tuples![5 * index + 2].map { uri in names._withUnsafeGuaranteedRef { $0.token(uri) } }
    }
    func namespaceURI(_ index: Int) -> String? { tuples![5 * index + 2].map { uri in names._withUnsafeGuaranteedRef { $0.string(uri) } } }

    /// The value, with character and predefined-entity references decoded.
    func value(_ index: Int) -> String {
        let start = tuples![5 * index + 3]!, end = tuples![5 * index + 4]!
        let bytes = UnsafeBufferPointer(start: start, count: end - start)
        let text = String(decoding: bytes, as: UTF8.self)
        return bytes.contains(UInt8(ascii: "&")) ? XMLPushParser.decodeReferences(text) : text
    }

    /// The value of the first attribute with local name `token`, in any namespace.
    func value(of token: Int) -> String? {
        for index in 0..<count where name(index) == token { return value(index) }
        return nil
    }
}

/// Gives an `XMLEventHandler` its Strings: every name and value decoded, as the string-level
/// readers (XLSX, e-Stat, SDMX structures) expect.
private final class StringEvents: XMLTokenHandler {
    let handler: XMLEventHandler
    init(_ handler: XMLEventHandler) { self.handler = handler }
    var vocabulary: [String] { [] }

    func startElement(_ name: XMLElementName, attributes: XMLAttributeList, line: Int) throws {
        var list: [XMLAttribute] = []
        list.reserveCapacity(attributes.count)
        for index in 0..<attributes.count {
            list.append(XMLAttribute(localName: attributes.localName(index), namespace: attributes.namespaceURI(index),
                                     value: attributes.value(index)))
        }
        try handler.startElement(name.localName, namespace: name.namespaceURI, attributes: list, line: line)
    }

    func endElement(_ name: XMLElementName) throws {
        try handler.endElement(name.localName, namespace: name.namespaceURI)
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {
        try handler.characters(String(decoding: text, as: UTF8.self))
    }
}

/// libxml2's SAX2 push parser, fed chunk by chunk: memory stays flat whatever the file size.
///
/// This is the only code that touches libxml2 pointers (with `XMLNameTable`). It parses safely: no network
/// (`XML_PARSE_NONET`), no entity substitution (never `XML_PARSE_NOENT`), no DTD loading, and a
/// document that declares a DTD (`<!DOCTYPE`, where billion-laughs and external entities live) is
/// refused outright. `XML_PARSE_HUGE` is never set, so libxml2's limits on depth, text-node size and
/// entity amplification stay on. libxml2's errors become `xml-error` with line and column.
final class XMLPushParser {
    private final class State {
        let handler: XMLTokenHandler
        let file: String
        /// Set once the parser context (and its name dictionary) exists.
        var names: XMLNameTable!
        var failure: Error?
        var xmlError: (message: String, line: Int, column: Int)?
        var depth = 0
        /// Characters of the current text node: SAX hands them over in pieces, so libxml2's own
        /// text-node limit never applies.
        var textLength = 0
        init(handler: XMLTokenHandler, file: String) { self.handler = handler; self.file = file }
    }

    /// libxml2 2.9's push parser does not apply its own depth limit, so we do. Data formats here
    /// nest fewer than 10 levels.
    static let maxDepth = 256
    /// The longest text node accepted (libxml2's own default without XML_PARSE_HUGE).
    static let maxTextBytes = 10_000_000

    private let state: State
    private var context: xmlParserCtxtPtr?
    private var handlers = xmlSAXHandler()

    /// A parser for a string-level handler: names and values reach it as Strings.
    convenience init(handler: XMLEventHandler, file: String) throws {
        try self.init(tokens: StringEvents(handler), file: file)
    }

    init(tokens handler: XMLTokenHandler, file: String) throws {
        state = State(handler: handler, file: file)
        handlers.initialized = XML_SAX2_MAGIC
        handlers.startElementNs = { ctx, localName, _, uri, _, _, count, _, attributes in
            XMLPushParser.withState(ctx) { state in
                guard state.failure == nil, let localName else { return }
                state.depth += 1
                state.textLength = 0
                if state.depth > XMLPushParser.maxDepth {
                    state.failure = CurateError(.xmlError, "elements nested deeper than \(XMLPushParser.maxDepth)",
                                                at: SourceLocation(file: state.file, row: Int(xmlSAX2GetLineNumber(ctx))))
                    xmlStopParser(ctx?.assumingMemoryBound(to: xmlParserCtxt.self))
                    return
                }
                let names = Unmanaged.passUnretained(state.names!)
                let name = XMLElementName(local: localName, uri: uri, names: names)
                let list = XMLAttributeList(tuples: attributes, count: attributes == nil ? 0 : Int(count), names: names)
                XMLPushParser.call(ctx, state) {
                    try state.handler.startElement(name, attributes: list, line: Int(xmlSAX2GetLineNumber(ctx)))
                }
            }
        }
        handlers.endElementNs = { ctx, localName, _, uri in
            XMLPushParser.withState(ctx) { state in
                guard state.failure == nil, let localName else { return }
                state.depth -= 1
                state.textLength = 0
                XMLPushParser.call(ctx, state) {
                    try state.handler.endElement(XMLElementName(local: localName, uri: uri, names: Unmanaged.passUnretained(state.names!)))
                }
            }
        }
        handlers.characters = { ctx, text, length in
            XMLPushParser.withState(ctx) { state in
                guard state.failure == nil, let text else { return }
                state.textLength += Int(length)
                if state.textLength > XMLPushParser.maxTextBytes {
                    state.failure = CurateError(.xmlError, "a text node longer than \(XMLPushParser.maxTextBytes) bytes",
                                                at: SourceLocation(file: state.file, row: Int(xmlSAX2GetLineNumber(ctx))))
                    xmlStopParser(ctx?.assumingMemoryBound(to: xmlParserCtxt.self))
                    return
                }
                XMLPushParser.call(ctx, state) {
                    try state.handler.characters(UnsafeBufferPointer(start: text, count: Int(length)))
                }
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
        state.names = XMLNameTable(vocabulary: handler.vocabulary, dictionary: context.pointee.dict)
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
        try parse(path: path, tokens: StringEvents(handler))
    }

    /// Streams a whole file through the parser in 1 MiB chunks, to a token-level handler.
    static func parse(path: String, tokens handler: XMLTokenHandler) throws {
        let parser = try XMLPushParser(tokens: handler, file: path)
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

    /// Runs `body` with the parser's state, borrowed rather than retained (three callbacks per element).
    @inline(__always)
    private static func withState(_ ctx: UnsafeMutableRawPointer?, _ body: (State) -> Void) {
        guard let ctx, let opaque = ctx.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return }
        Unmanaged<State>.fromOpaque(opaque)._withUnsafeGuaranteedRef(body)
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
