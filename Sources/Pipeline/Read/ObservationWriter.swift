/// Writes observations as JSON lines or CSV rows straight into 256 KiB blocks of bytes, for
/// `curate read` on SDMX and e-Stat files: the same bytes as `JSONText.object` of the unique fields,
/// and as `CSVWriter.line`, without a String or a dictionary per observation.
///
/// Consecutive observations nearly always carry the same ids in the same order (one series after
/// another), so the work that depends only on the ids — which field wins for a repeated id, the
/// encoded `,"key":` bytes, which CSV column each field fills — is done once per run of equal id
/// lists (compared by identity first, which the SDMX-ML reader's shared id Strings make instant).
final class ObservationWriter {
    private let block = OutputBlock()

    /// The ids of the observation the current layout was made for.
    private var layoutIDs: [String] = []
    private var hasLayout = false
    /// JSON: for each key written, the index of the field whose value it takes (the last of that id).
    /// CSV: for each column, the index of the field that fills it, or -1.
    /// (Raw buffers: the per-field loop reads them for every observation, and array properties of a
    /// class cost a retain and an exclusivity check per access.)
    private var sources = UnsafeMutableBufferPointer<Int>(start: nil, count: 0)
    /// JSON: the encoded `{"id":` / `,"id":` of each key, one after the other; key `k` ends at `keyEnds[k]`.
    private var keyBytes = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)
    private var keyEnds = UnsafeMutableBufferPointer<Int>(start: nil, count: 0)
    /// CSV: the columns, in header order.
    private var columns: [String] = []
    private var columnIndex: [String: Int] = [:]

    init() {}
    deinit { sources.deallocate(); keyBytes.deallocate(); keyEnds.deallocate() }

    /// Replaces a layout buffer with a copy of `values`.
    private static func store<T>(_ values: [T], in target: inout UnsafeMutableBufferPointer<T>) {
        target.deallocate()
        target = .allocate(capacity: values.count)
        _ = target.initialize(from: values)
    }

    /// Sets the CSV columns (the header's ids).
    func setColumns(_ ids: [String]) {
        columns = ids
        columnIndex = [:]
        for (index, id) in ids.enumerated() where columnIndex[id] == nil { columnIndex[id] = index }
        hasLayout = false
    }

    /// Appends one JSON line: one key per id (its last value, at its first position).
    func appendJSON(_ fields: [(id: String, value: String)], flushingTo write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        if !sameLayout(fields) { jsonLayout(fields) }
        let block = self.block
        if sources.isEmpty {
            block.put(UInt8(ascii: "{")); block.put(UInt8(ascii: "}")); block.put(0x0A)
        } else {
            // Raw pointers in the loop: it runs for every field of every observation, and array and
            // property accesses there cost more (retains, exclusivity checks) than the copying.
            let (sources, keyBytes, keyEnds) = (self.sources, self.keyBytes, self.keyEnds)
            fields.withUnsafeBufferPointer { fields in
                // Room for the whole line first, then plain pointer writes.
                var room = keyBytes.count + 2
                for key in 0..<sources.count { room += JSONText.maxLength(fields[sources[key]].value.utf8.count) }
                block.reserve(room)
                var out = block.end
                var keyStart = 0
                for key in 0..<sources.count {
                    let keyEnd = keyEnds[key]
                    out.update(from: keyBytes.baseAddress! + keyStart, count: keyEnd - keyStart)
                    out += keyEnd - keyStart
                    keyStart = keyEnd
                    var value = fields[sources[key]].value
                    out = value.withUTF8 { JSONText.put($0, at: out) }
                }
                out[0] = UInt8(ascii: "}"); out[1] = 0x0A
                block.count = out + 2 - block.base
            }
        }
        try block.flushIfFull(to: write)
    }

    /// Appends one CSV row of the columns set by `setColumns` (a field whose id is not a column is
    /// left out; a column no field fills is empty; a repeated id gives its last value).
    func appendCSV(_ fields: [(id: String, value: String)], flushingTo write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        if !sameLayout(fields) { csvLayout(fields) }
        let (sources, block) = (self.sources, self.block)
        fields.withUnsafeBufferPointer { fields in
            for column in 0..<sources.count {
                if column > 0 { block.put(UInt8(ascii: ",")) }
                if sources[column] >= 0 {
                    var value = fields[sources[column]].value
                    value.withUTF8 { block.putCSVField($0) }
                }
            }
        }
        block.put(0x0A)
        try block.flushIfFull(to: write)
    }

    /// Appends bytes as they are (a header line).
    func append(_ text: String) {
        var text = text
        text.withUTF8 { block.put($0) }
    }

    /// Hands what is buffered to `write`.
    func flush(to write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws { try block.flush(to: write) }

    /// Whether `fields` has the ids the current layout was made for, in the same order.
    @inline(__always)
    private func sameLayout(_ fields: [(id: String, value: String)]) -> Bool {
        guard hasLayout, fields.count == layoutIDs.count else { return false }
        return layoutIDs.withUnsafeBufferPointer { ids in
            fields.withUnsafeBufferPointer { fields in
                for index in 0..<fields.count where fields[index].id != ids[index] { return false }
                return true
            }
        }
    }

    private func jsonLayout(_ fields: [(id: String, value: String)]) {
        layoutIDs = fields.map(\.id)
        hasLayout = true
        var sources: [Int] = [], keyBytes: [UInt8] = [], keyEnds: [Int] = []
        var position: [String: Int] = [:]
        for (index, field) in fields.enumerated() {
            if let at = position[field.id] { sources[at] = index; continue }
            position[field.id] = sources.count
            sources.append(index)
            keyBytes.append(UInt8(ascii: keyEnds.isEmpty ? "{" : ","))
            JSONText.append(field.id, to: &keyBytes)
            keyBytes.append(UInt8(ascii: ":"))
            keyEnds.append(keyBytes.count)
        }
        Self.store(sources, in: &self.sources)
        Self.store(keyBytes, in: &self.keyBytes)
        Self.store(keyEnds, in: &self.keyEnds)
    }

    private func csvLayout(_ fields: [(id: String, value: String)]) {
        layoutIDs = fields.map(\.id)
        hasLayout = true
        var sources = Array(repeating: -1, count: columns.count)
        for (index, field) in fields.enumerated() {
            if let column = columnIndex[field.id] { sources[column] = index }
        }
        Self.store(sources, in: &self.sources)
    }
}
