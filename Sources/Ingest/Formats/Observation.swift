/// One observation of a keyed data source (SDMX-ML, SDMX-CSV, e-Stat API) with everything that
/// applies to it: its full key (every dimension, the time period included), the value as printed,
/// and the attributes attached at every level, as text.
public struct Observation: Sendable, Equatable {
    /// (id, value) pairs in the order met: dataset attributes, group attributes, series, observation.
    public var fields: [(id: String, value: String)]
    /// 1-based position of the data set within the message (SDMX-ML can hold several).
    public var dataSet: Int
    /// The line of the observation's element or record in the file.
    public var line: Int

    public init(fields: [(id: String, value: String)], dataSet: Int, line: Int) {
        self.fields = fields; self.dataSet = dataSet; self.line = line
    }

    public subscript(id: String) -> String? { fields.last { $0.id == id }?.value }

    /// The fields as a dictionary (a later level overrides an earlier one).
    public var dictionary: [String: String] {
        Dictionary(fields.map { ($0.id, $0.value) }, uniquingKeysWith: { _, later in later })
    }

    public static func == (a: Observation, b: Observation) -> Bool {
        a.dataSet == b.dataSet && a.line == b.line && a.fields.elementsEqual(b.fields, by: { $0 == $1 })
    }
}
