import CurateCore

/// Where `curate fetch` gets a source's bytes (`source.fetch` in a pipeline spec): one of three
/// kinds of request, each with only the fields it needs.
public enum FetchSpec: Sendable, Equatable {
    /// An HTTP(S) GET of a published file (MEXT's and NISTEP's Excel and CSV downloads).
    case url(String)
    /// e-Stat API v3 `getStatsData`; the application id comes from `ESTAT_APP_ID`, never from the spec.
    case estat(EStat)
    /// An SDMX REST 2.1 data query (OECD Data Explorer, ECB, Eurostat, IMF).
    case sdmx(SDMX)

    public struct EStat: Sendable, Equatable {
        public enum Format: String, Sendable, CaseIterable { case xml, json }
        public var statsDataID: String
        /// Further getStatsData parameters (cdCat01, lang, metaGetFlg…), in spec order.
        public var params: [(String, String)]
        public var format: Format

        public init(statsDataID: String, params: [(String, String)] = [], format: Format = .xml) {
            self.statsDataID = statsDataID; self.params = params; self.format = format
        }

        public static func == (a: EStat, b: EStat) -> Bool {
            a.statsDataID == b.statsDataID && a.format == b.format && a.params.elementsEqual(b.params, by: { $0 == $1 })
        }
    }

    public struct SDMX: Sendable, Equatable {
        /// A known service (`oecd`, `ecb`, `eurostat`, `imf`) or an https:// base URL.
        public var endpoint: String
        /// The flow reference: `AGENCY,FLOW,VERSION` (e.g. `OECD.STI.STP,DSD_MSTI@DF_MSTI,1.3`) or a flow id.
        public var flow: String
        /// The series key (dot-separated dimension values, `+` for several, empty for all); `all` when empty.
        public var key: String
        /// Query parameters (startPeriod, endPeriod, dimensionAtObservation…), in spec order.
        public var params: [(String, String)]
        /// Also fetch the dataflow's structure (codes and labels), saved beside the data as `<name>.structure.xml`.
        public var structure: Bool

        public init(endpoint: String, flow: String, key: String = "", params: [(String, String)] = [], structure: Bool = false) {
            self.endpoint = endpoint; self.flow = flow; self.key = key; self.params = params; self.structure = structure
        }

        public static func == (a: SDMX, b: SDMX) -> Bool {
            a.endpoint == b.endpoint && a.flow == b.flow && a.key == b.key && a.structure == b.structure
                && a.params.elementsEqual(b.params, by: { $0 == $1 })
        }
    }
}

extension SpecLoader {
    /// `source.fetch`: exactly one of `url`, `estat`, `sdmx`. Unknown keys and bad values are
    /// `spec-error`s naming file, line and key, like the rest of the spec.
    static func fetch(_ node: SpecNode) throws -> FetchSpec {
        let keys = try node.mapping(allowed: ["url", "estat", "sdmx"])
        guard keys.count == 1, let (kind, child) = keys.first else {
            throw node.error("fetch takes exactly one of url, estat, sdmx (found \(keys.keys.sorted().joined(separator: ", ")))")
        }
        switch kind {
        case "url":
            let url = try child.string()
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else { throw child.error("fetch url must be http:// or https://, found \(url.debugDescription)") }
            return .url(url)
        case "estat":
            let k = try child.mapping(allowed: ["stats_data_id", "params", "format"])
            let idNode = try k.required("stats_data_id", in: child)
            let id = try idNode.string()
            guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw idNode.error("stats_data_id must be letters and digits, found \(id.debugDescription)")
            }
            let params = try fetchParams(k["params"], reserved: ["appId", "statsDataId", "startPosition"])
            return .estat(.init(statsDataID: id, params: params, format: try k["format"]?.oneOf(FetchSpec.EStat.Format.self) ?? .xml))
        default:
            let k = try child.mapping(allowed: ["endpoint", "flow", "key", "params", "structure"])
            let endpointNode = try k.required("endpoint", in: child)
            let endpoint = try endpointNode.string()
            guard FetchSpec.SDMX.knownEndpoints[endpoint] != nil || endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://") else {
                throw endpointNode.error("endpoint \(endpoint.debugDescription) is not one of \(FetchSpec.SDMX.knownEndpoints.keys.sorted().joined(separator: ", ")) nor an http(s):// URL")
            }
            let flowNode = try k.required("flow", in: child)
            let flow = try flowNode.string()
            guard !flow.isEmpty, !flow.contains("/"), !flow.contains(" ") else { throw flowNode.error("flow must be AGENCY,ID,VERSION or an id, found \(flow.debugDescription)") }
            let key = try k["key"]?.string() ?? ""
            if let keyNode = k["key"], key.contains("/") || key.contains("?") || key.contains(" ") {
                throw keyNode.error("key must be dot-separated dimension values, found \(key.debugDescription)")
            }
            return .sdmx(.init(endpoint: endpoint, flow: flow, key: key, params: try fetchParams(k["params"], reserved: []),
                               structure: try k["structure"]?.bool() ?? false))
        }
    }

    /// `name: value` query parameters, in spec order; a reserved name (set by curate itself) is an error.
    private static func fetchParams(_ node: SpecNode?, reserved: Set<String>) throws -> [(String, String)] {
        guard let node else { return [] }
        guard case .mapping(let mapping) = node.node else { throw node.error("expected name: value pairs") }
        return try mapping.map { keyNode, valueNode in
            let name = keyNode.string ?? ""
            let value = SpecNode(node: valueNode, file: node.file, path: "\(node.path).\(name)")
            if reserved.contains(name) {
                throw CurateError(.specError, "\(node.path): parameter \(name) is set by curate (the application id comes from ESTAT_APP_ID)",
                                  at: SourceLocation(file: node.file, row: keyNode.mark?.line, column: keyNode.mark?.column, raw: name))
            }
            return (name, try value.string())
        }
    }
}

extension FetchSpec.SDMX {
    /// The REST roots of the services the briefing's sources come from (overridable by
    /// `CURATE_SDMX_<NAME>_URL`, for a mirror or a test server).
    public static let knownEndpoints: [String: String] = [
        "oecd": "https://sdmx.oecd.org/public/rest",
        "ecb": "https://data-api.ecb.europa.eu/service",
        "eurostat": "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1",
        "imf": "https://sdmxcentral.imf.org/ws/public/sdmxapi/rest",
    ]
}
