import Dispatch
import Foundation

/// Hands values from the calling thread to a background queue in batches, so that two halves of
/// a run's per-row work use the machine's two cores: while the caller makes the next rows, the
/// queue consumes the ones before, in order. At most `depth` batches are in flight (the caller
/// waits for one to be consumed before sending another), so memory is bounded by
/// `batchSize × depth` values whatever the input's size.
///
/// The consumer's first error is kept: later batches are dropped, and the next `send` or `finish`
/// throws it. Everything the consumer touched is the caller's again once `finish` returns.
final class BatchPipe<Element> {
    private let batchSize: Int
    private var batch: [Element] = []
    private let queue = DispatchQueue(label: "curate.batch-pipe")
    private let slots: DispatchSemaphore
    private let state: State

    static var defaultBatchSize: Int { 8192 }

    init(batchSize: Int = defaultBatchSize, depth: Int = 2, consume: @escaping ([Element]) throws -> Void) {
        self.batchSize = batchSize
        slots = DispatchSemaphore(value: depth)
        state = State(consume: consume)
        batch.reserveCapacity(batchSize)
    }

    deinit { queue.sync {} }

    /// Takes `element` (consumed: moved into the batch, not copied and released, which for a row is
    /// a dozen reference-count operations).
    func send(_ element: consuming Element) throws {
        batch.append(element)
        if batch.count >= batchSize { try handOff() }
    }

    /// Sends what is left and waits until the queue has consumed everything.
    func finish() throws {
        try handOff()
        queue.sync {}
        if let error = state.error { throw error }
    }

    private func handOff() throws {
        if let error = state.error { throw error }
        guard !batch.isEmpty else { return }
        let box = Box(batch)
        batch = []
        batch.reserveCapacity(batchSize)
        slots.wait()
        let (state, slots) = (self.state, self.slots)
        queue.async {
            state.consume(box)
            slots.signal()
        }
    }

    /// The consumer and its first error: written on the queue, read by the caller only after a
    /// `queue.sync` or a semaphore wait (both order the accesses).
    private final class State: @unchecked Sendable {
        let body: ([Element]) throws -> Void
        private let lock = NSLock()
        private var failure: Error?

        init(consume: @escaping ([Element]) throws -> Void) { body = consume }

        var error: Error? { lock.withLock { failure } }

        func consume(_ box: Box) {
            guard error == nil else { return }
            do { try body(box.elements) } catch { lock.withLock { failure = failure ?? error } }
        }
    }

    private final class Box: @unchecked Sendable {
        let elements: [Element]
        init(_ elements: [Element]) { self.elements = elements }
    }
}
