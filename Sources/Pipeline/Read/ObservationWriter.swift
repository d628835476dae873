/// Writes observations as JSON lines or CSV rows straight into 256 KiB blocks of bytes, for
/// `curate read` on SDMX and e-Stat files: the same bytes as `JSONText.object` of the unique fields,
/// and as `CSVWriter.line`, without a String or a dictionary per observation.
///
/// Consecutive observations nearly always carry the same ids in the same order (one series after
/// another), so the work that depends only on the ids — which field wins for a repeated id, the
/// encoded `,"key":` bytes, which CSV column each field fills — is done once per run of equal id
/// lists (compared by identity first, which the SDMX-ML reader's shared id Strings make instant).
final class ObservationWriter {
    private static let blockSize = 1 << 18
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = ObservationWriter.blockSize * 2
    private var count = 0

    /// The ids of the observation the current layout was made for.
    private var layoutIDs: [String] = []
    private var hasLayout = false
    /// JSON: for each key written, the index of the field whose value it takes (the last of that id).
    /// CSV: for each column, the index of the field that fills it, or -1.
    private var sources: [Int] = []
    /// JSON: the encoded `{"id":` / `,"id":` of each key, one after the other.
    private var keyBytes: [UInt8] = []
    private var keyEnds: [Int] = []
    /// CSV: the columns, in header order.
    private var columns: [String] = []
    private var columnIndex: [String: Int] = [:]

    init() { buffer = .allocate(capacity: capacity) }
    deinit { buffer.deallocate() }

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
        if sources.isEmpty {
            reserve(3)
            put(UInt8(ascii: "{")); put(UInt8(ascii: "}")); put(0x0A)
        } else {
            // Raw pointers in the loop: it runs for every field of every observation, and array and
            // property accesses there cost more (retains, exclusivity checks) than the copying.
            sources.withUnsafeBufferPointer { sources in
                keyBytes.withUnsafeBufferPointer { keyBytes in
                    keyEnds.withUnsafeBufferPointer { keyEnds in
                        fields.withUnsafeBufferPointer { fields in
                            var keyStart = 0
                            for key in 0..<sources.count {
                                let keyEnd = keyEnds[key]
                                reserve(keyEnd - keyStart)
                                (buffer + count).update(from: keyBytes.baseAddress! + keyStart, count: keyEnd - keyStart)
                                count += keyEnd - keyStart
                                keyStart = keyEnd
                                putJSONString(fields[sources[key]].value)
                            }
                        }
                    }
                }
            }
            reserve(2)
            put(UInt8(ascii: "}")); put(0x0A)
        }
        if count >= Self.blockSize { try flush(to: write) }
    }

    /// Appends one CSV row of the columns set by `setColumns` (a field whose id is not a column is
    /// left out; a column no field fills is empty; a repeated id gives its last value).
    func appendCSV(_ fields: [(id: String, value: String)], flushingTo write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        if !sameLayout(fields) { csvLayout(fields) }
        sources.withUnsafeBufferPointer { sources in
            fields.withUnsafeBufferPointer { fields in
                for column in 0..<sources.count {
                    if column > 0 { reserve(1); put(UInt8(ascii: ",")) }
                    if sources[column] >= 0 { putCSVField(fields[sources[column]].value) }
                }
            }
        }
        reserve(1)
        put(0x0A)
        if count >= Self.blockSize { try flush(to: write) }
    }

    /// Appends bytes as they are (a header line).
    func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            reserve(bytes.count)
            if let base = bytes.baseAddress { (buffer + count).update(from: base, count: bytes.count) }
            count += bytes.count
        }
    }

    /// Hands what is buffered to `write`.
    func flush(to write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard count > 0 else { return }
        let produced = count
        count = 0
        try write(UnsafeBufferPointer(start: buffer, count: produced))
    }

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
        sources = []; keyBytes = []; keyEnds = []
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
    }

    private func csvLayout(_ fields: [(id: String, value: String)]) {
        layoutIDs = fields.map(\.id)
        hasLayout = true
        sources = Array(repeating: -1, count: columns.count)
        for (index, field) in fields.enumerated() {
            if let column = columnIndex[field.id] { sources[column] = index }
        }
    }

    @inline(__always)
    private func put(_ byte: UInt8) {
        buffer[count] = byte
        count += 1
    }

    @inline(__always)
    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var grown = capacity * 2
        while grown < count + extra { grown *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.update(from: buffer, count: count)
        buffer.deallocate()
        buffer = bigger; capacity = grown
    }

    /// A JSON string literal, escaped as `JSONText.append` does.
    @inline(__always)
    private func putJSONString(_ text: String) {
        var value = text
        value.withUTF8 { bytes in
            reserve(6 * bytes.count + 2)
            put(UInt8(ascii: "\""))
            if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                if let base = bytes.baseAddress { (buffer + count).update(from: base, count: bytes.count) }
                count += bytes.count
            } else {
                var escaped: [UInt8] = []
                JSONText.append(text, to: &escaped)   // quoted: drop its quotes, ours surround it
                escaped.withUnsafeBufferPointer { (buffer + count).update(from: $0.baseAddress! + 1, count: $0.count - 2) }
                count += escaped.count - 2
            }
            put(UInt8(ascii: "\""))
        }
    }

    /// A CSV field, quoted as `CSVWriter.quoted` does: only when it holds a comma, quote or line break.
    @inline(__always)
    private func putCSVField(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            reserve(2 * bytes.count + 2)
            if !bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                if let base = bytes.baseAddress { (buffer + count).update(from: base, count: bytes.count) }
                count += bytes.count
            } else {
                put(0x22)
                for byte in bytes {
                    if byte == 0x22 { put(0x22) }
                    put(byte)
                }
                put(0x22)
            }
        }
    }
}
