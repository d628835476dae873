import Dispatch
import Foundation
import CurateCore

/// One record out of the sorter: its encoded key (see `SortKey`) and an opaque payload (the row
/// and its lineage, as the caller encoded them).
public struct SortedRecord: Sendable, Equatable {
    public var key: [UInt8]
    public var payload: [UInt8]

    public init(key: [UInt8], payload: [UInt8]) { self.key = key; self.payload = payload }
}

/// An external merge sort by key under a fixed memory budget.
///
/// Records are appended to an arena until it holds half of `memoryBudget`; the arena is then sorted
/// (by key, then arrival, so equal keys keep their input order) and spilled as a run file in
/// `directory` on a background queue, while the caller fills the other half (two arenas take
/// turns, so sorting and writing a run overlap with making the next one). `finish()` merges the
/// runs with a heap, at most `maxFanIn` at a time (more runs are merged in passes). Input that
/// arrives already in key order is never sorted: its runs are read back one after the other.
/// Memory stays at about the budget whatever the input's size.
public final class ExternalSorter {
    public let directory: String
    public let memoryBudget: Int
    public let maxFanIn: Int

    /// Records are appended here back to back: key bytes, then payload bytes.
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    private var runs: [String] = []
    private var lastKey: [UInt8] = []
    /// Every record so far arrived in non-decreasing key order.
    public private(set) var inputWasSorted = true
    public private(set) var count = 0
    private var runCounter = 0
    /// The other arena: empty and ready, or being spilled by `pending`.
    private var spareArena: [UInt8] = []
    private var spareEntries: [Entry] = []
    private var pending: SpillJob?
    private let spillQueue = DispatchQueue(label: "curate.sort-spill")

    struct Entry {
        var offset: Int
        var keyLength: Int32
        var payloadLength: Int32
        /// The key's first eight bytes as a big-endian word (zero-padded): ordering by it first
        /// orders by those bytes without reading the arena (see `sortEntries`).
        var prefix: UInt64
    }

    /// Bytes an entry costs beyond its key and payload (the index entry and the arena's slack).
    static let entryOverhead = MemoryLayout<Entry>.stride + 8

    public init(directory: String, memoryBudget: Int = 32 << 20, maxFanIn: Int = 64) {
        self.directory = directory
        self.memoryBudget = max(memoryBudget, 1 << 10)
        self.maxFanIn = max(maxFanIn, 2)
    }

    deinit {
        pending?.done.wait()
        for run in runs { unlink(run) }
    }

    /// One arena's share of the budget (two arenas take turns).
    private var arenaBudget: Int { memoryBudget / 2 }

    /// Adds one record. The key bytes are compared with `memcmp`.
    public func append(key: [UInt8], payload: [UInt8]) throws {
        try key.withUnsafeBytes { k in try payload.withUnsafeBytes { try append(key: k, payload: $0, trailer: nil) } }
    }

    /// Appends a record whose payload is `payload` followed by `trailer` when given (a flag the
    /// caller adds to bytes it does not own, without copying them first).
    public func append(key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, trailer: UInt8?) throws {
        let payloadLength = payload.count + (trailer == nil ? 0 : 1)
        if count == 0 {
            // Reserved once (pages are committed as they are filled): grown by doubling instead, the
            // arena would hold its old and new buffers at once, half the budget again in memory.
            arena.reserveCapacity(arenaBudget)
            entries.reserveCapacity(arenaBudget / 64)
        }
        if inputWasSorted, count > 0, lastKey.withUnsafeBytes({ SortKey.compare($0, key) }) > 0 { inputWasSorted = false }
        // Copied into the sorter's own buffer: holding the caller's array would make it copy its
        // buffer on its next write.
        if inputWasSorted { lastKey.removeAll(keepingCapacity: true); lastKey.append(contentsOf: key) }
        entries.append(Entry(offset: arena.count, keyLength: Int32(key.count), payloadLength: Int32(payloadLength), prefix: SortKey.prefix(key)))
        arena.append(contentsOf: key)
        arena.append(contentsOf: payload)
        if let trailer { arena.append(trailer) }
        count += 1
        if arena.count + entries.count * Self.entryOverhead >= arenaBudget { try spill() }
    }

    /// The records in key order. Equal keys come out in input order, and `onDuplicate` is told of
    /// each record whose key equals the one before it.
    public func finish() throws -> SortedStream {
        if runs.isEmpty {
            // Everything fits in the budget: sort in memory, no file at all. Records are cut from
            // the arena as they are pulled, so memory stays at the arena's size.
            Self.sortEntries(&entries, in: arena, sorted: inputWasSorted)
            let stream = SortedStream(source: .memory(Arena(bytes: arena, entries: entries[...])))
            arena = []; entries = []; spareArena = []; spareEntries = []
            return stream
        }
        try spill()
        try waitForSpill()
        arena = []; entries = []; spareArena = []; spareEntries = []
        if inputWasSorted {
            return SortedStream(source: .concatenated(try runs.map(RunReader.init(path:))[...]))
        }
        while runs.count > maxFanIn {
            let batch = Array(runs.prefix(maxFanIn))
            let merged = try nextRunPath()
            let writer = try RunWriter(path: merged)
            let stream = SortedStream(source: .merge(try MergeHeap(batch.map(RunReader.init(path:)))))
            try stream.forEach { key, payload, _ in try writer.write(key: key, payload: payload) }
            try writer.close()
            for run in batch { unlink(run) }
            // The merged run holds the earliest records, so it goes first: ties keep input order.
            runs = [merged] + runs.dropFirst(maxFanIn)
        }
        return SortedStream(source: .merge(try MergeHeap(runs.map(RunReader.init(path:)))))
    }

    /// How many run files were written (0 when the input fitted in memory).
    public var runCount: Int { runs.count }

    /// Hands the full arena to the spill queue (after the previous spill is done) and carries on
    /// with the other one.
    private func spill() throws {
        guard !entries.isEmpty else { return }
        try waitForSpill()
        let job = SpillJob(path: try nextRunPath(), sorted: inputWasSorted)
        swap(&job.arena, &arena); swap(&job.entries, &entries)
        swap(&arena, &spareArena); swap(&entries, &spareEntries)
        if arena.capacity < arenaBudget { arena.reserveCapacity(arenaBudget); entries.reserveCapacity(arenaBudget / 64) }
        runs.append(job.path)
        pending = job
        spillQueue.async { job.run() }
    }

    /// Waits for the spill in progress; its arena becomes the spare one. Throws what it failed with.
    private func waitForSpill() throws {
        guard let job = pending else { return }
        job.done.wait()
        pending = nil
        swap(&spareArena, &job.arena); swap(&spareEntries, &job.entries)
        if let error = job.error { throw error }
    }

    /// One arena being sorted and written as a run file, off the caller's thread.
    final class SpillJob: @unchecked Sendable {
        let path: String
        let sorted: Bool
        var arena: [UInt8] = []
        var entries: [Entry] = []
        var error: Error?
        let done = DispatchSemaphore(value: 0)

        init(path: String, sorted: Bool) { self.path = path; self.sorted = sorted }

        func run() {
            defer {
                arena.removeAll(keepingCapacity: true); entries.removeAll(keepingCapacity: true)
                done.signal()
            }
            do {
                ExternalSorter.sortEntries(&entries, in: arena, sorted: sorted)
                let writer = try RunWriter(path: path)
                try arena.withUnsafeBytes { bytes in
                    for entry in entries {
                        let key = UnsafeRawBufferPointer(rebasing: bytes[entry.offset..<entry.offset + Int(entry.keyLength)])
                        let payloadStart = entry.offset + Int(entry.keyLength)
                        let payload = UnsafeRawBufferPointer(rebasing: bytes[payloadStart..<payloadStart + Int(entry.payloadLength)])
                        try writer.write(key: key, payload: payload)
                    }
                }
                try writer.close()
            } catch {
                self.error = error
            }
        }
    }

    private func nextRunPath() throws -> String {
        runCounter += 1
        return directory + "/sort-run-\(runCounter).bin"
    }

    /// Sorts the index by key, then by arrival; nothing to do when the input is in order. First by
    /// the keys' first eight bytes (`Entry.prefix`, compared as integers in the index alone), then
    /// each group with the same first bytes by the whole key: the sort is adaptive, so a group that
    /// arrived in order (a table printed area by area and sorted by year first has one such group
    /// per year) costs one comparison per record instead of one per merge level.
    static func sortEntries(_ entries: inout [Entry], in arena: [UInt8], sorted: Bool) {
        guard !sorted else { return }
        // Arrival order is the offset order, which breaks ties stably.
        entries.sort { a, b in a.prefix != b.prefix ? a.prefix < b.prefix : a.offset < b.offset }
        arena.withUnsafeBytes { bytes in
            let base = bytes.baseAddress!
            entries.withUnsafeMutableBufferPointer { all in
                var start = 0
                while start < all.count {
                    var end = start + 1
                    while end < all.count && all[end].prefix == all[start].prefix { end += 1 }
                    func precedes(_ a: Entry, _ b: Entry) -> Bool {
                        let c = SortKey.compare(UnsafeRawBufferPointer(start: base + a.offset, count: Int(a.keyLength)),
                                                UnsafeRawBufferPointer(start: base + b.offset, count: Int(b.keyLength)))
                        return c != 0 ? c < 0 : a.offset < b.offset
                    }
                    // A group already in order (the common case) is left as it is: no sort, no scratch memory.
                    var ordered = true
                    var i = start + 1
                    while i < end { if !precedes(all[i - 1], all[i]) { ordered = false; break }; i += 1 }
                    if !ordered {
                        var group = UnsafeMutableBufferPointer(rebasing: all[start..<end])
                        group.sort(by: precedes)
                    }
                    start = end
                }
            }
        }
    }

    /// Sorted records still in memory, cut out of the arena one at a time.
    struct Arena {
        var bytes: [UInt8]
        var entries: ArraySlice<Entry>

        mutating func next() -> SortedRecord? {
            guard let entry = entries.popFirst() else { return nil }
            let keyEnd = entry.offset + Int(entry.keyLength)
            return SortedRecord(key: Array(bytes[entry.offset..<keyEnd]),
                                payload: Array(bytes[keyEnd..<keyEnd + Int(entry.payloadLength)]))
        }
    }
}

/// The sorter's output, pulled a record at a time (`next`) or borrowed one after another (`forEach`).
public final class SortedStream {
    enum Source {
        case memory(ExternalSorter.Arena)
        case concatenated(ArraySlice<RunReader>)
        case merge(MergeHeap)
    }

    private var source: Source
    /// Called with the first record of a key and each later record with the same key.
    public var onDuplicate: ((_ first: SortedRecord, _ again: SortedRecord) -> Void)?
    private var firstOfKey: SortedRecord?

    init(source: Source) { self.source = source }

    public func next() throws -> SortedRecord? {
        guard let record = try pull() else { return nil }
        if let first = firstOfKey, first.key == record.key {
            onDuplicate?(first, record)
        } else {
            firstOfKey = record
        }
        return record
    }

    /// Calls `body` with every record left, in key order: its key, its payload, and the payload of
    /// the first record with the same key when this one repeats it. The buffers are the sorter's
    /// and valid only during the call: no record is copied into arrays of its own (a run of
    /// millions of rows spent a fifth of its merge making and freeing them).
    public func forEach(_ body: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer,
                                 _ firstOfKey: UnsafeRawBufferPointer?) throws -> Void) throws {
        var lastKey: [UInt8] = [], firstPayload: [UInt8] = []
        var started = false
        func take(_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws {
            if started && lastKey.withUnsafeBytes({ SortKey.compare($0, key) == 0 }) {
                try firstPayload.withUnsafeBytes { try body(key, payload, $0) }
                return
            }
            started = true
            lastKey.removeAll(keepingCapacity: true); lastKey.append(contentsOf: key)
            firstPayload.removeAll(keepingCapacity: true); firstPayload.append(contentsOf: payload)
            try body(key, payload, nil)
        }
        switch source {
        case .memory(let arena):
            source = .concatenated([])
            try arena.bytes.withUnsafeBytes { bytes in
                for entry in arena.entries {
                    let keyEnd = entry.offset + Int(entry.keyLength)
                    try take(UnsafeRawBufferPointer(rebasing: bytes[entry.offset..<keyEnd]),
                             UnsafeRawBufferPointer(rebasing: bytes[keyEnd..<keyEnd + Int(entry.payloadLength)]))
                }
            }
        case .concatenated(let readers):
            source = .concatenated([])
            for reader in readers { while try reader.advance() { try take(reader.key, reader.payload) } }
        case .merge(let heap):
            try heap.forEach(take)
        }
    }

    private func pull() throws -> SortedRecord? {
        switch source {
        case .memory(var arena):
            // Moved out while it is advanced, so the arena's storage is not copied.
            source = .concatenated([])
            let record = arena.next()
            source = .memory(arena)
            return record
        case .concatenated(var readers):
            while let reader = readers.first {
                if let record = try reader.next() { return record }
                readers = readers.dropFirst()
                source = .concatenated(readers)
            }
            return nil
        case .merge(let heap):
            return try heap.next()
        }
    }
}

/// A k-way merge: a binary min-heap of runs by their current record's key, then by run (earlier
/// runs hold earlier input, so equal keys leave in input order). Each run's current record stays
/// in its reader's buffer.
final class MergeHeap {
    private var heads: [Int] = []
    private let readers: [RunReader]
    /// The readers, unretained (the array keeps them): a record's pop and its key comparisons
    /// take no reference count, measured at a tenth of the merge's time otherwise.
    private let unretained: UnsafeMutableBufferPointer<Unmanaged<RunReader>>

    init(_ readers: [RunReader]) throws {
        self.readers = readers
        unretained = .allocate(capacity: readers.count)
        _ = unretained.initialize(from: readers.map { Unmanaged.passUnretained($0) })
        for (index, reader) in readers.enumerated() where try reader.advance() { push(index) }
    }

    deinit { unretained.deallocate() }

    private func key(_ run: Int) -> UnsafeRawBufferPointer { unretained[run]._withUnsafeGuaranteedRef { $0.key } }

    /// The least record, copied out, and the merge moved past it.
    func next() throws -> SortedRecord? {
        guard let top = heads.first else { return nil }
        let record = SortedRecord(key: Array(readers[top].key), payload: Array(readers[top].payload))
        try pop()
        return record
    }

    /// Every record left, borrowed from its reader's buffer during the call.
    func forEach(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) throws {
        while let top = heads.first {
            try unretained[top]._withUnsafeGuaranteedRef { try body($0.key, $0.payload) }
            try pop()
        }
    }

    /// Moves the top run to its next record (or drops it at its end).
    private func pop() throws {
        if try unretained[heads[0]]._withUnsafeGuaranteedRef({ try $0.advance() }) {
            siftDown(0)
        } else {
            let last = heads.removeLast()
            if !heads.isEmpty { heads[0] = last; siftDown(0) }
        }
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        let c = SortKey.compare(key(heads[a]), key(heads[b]))
        return c != 0 ? c < 0 : heads[a] < heads[b]
    }

    private func push(_ run: Int) {
        heads.append(run)
        var child = heads.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { break }
            heads.swapAt(child, parent); child = parent
        }
    }

    private func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heads.count && less(left, smallest) { smallest = left }
            if right < heads.count && less(right, smallest) { smallest = right }
            if smallest == parent { return }
            heads.swapAt(parent, smallest); parent = smallest
        }
    }
}
