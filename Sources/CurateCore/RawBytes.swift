import Foundation

/// Where formatted bytes go: an array, or a `RawBytes` line buffer. The formatters (numbers, CSV
/// fields, lineage lines) are written once, generic over this, for both.
public protocol ByteSink {
    mutating func put(_ byte: UInt8)
    mutating func put(_ bytes: UnsafeRawBufferPointer)
}

extension Array: ByteSink where Element == UInt8 {
    @inlinable public mutating func put(_ byte: UInt8) { append(byte) }
    @inlinable public mutating func put(_ bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }
}

/// A line being formatted, in a buffer this owns, written through a pointer: appending a byte is a
/// store and a bounds check, where an array's append also asks whether its buffer is shared (a
/// runtime call per byte, measured at a fifth of formatting a large run's lines). A class, so the
/// formatters share one buffer per thread; `clear` keeps its memory for the next line.
public final class RawBytes: ByteSink {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var used = 0

    /// How many bytes were written since the last `clear`.
    @inlinable public var count: Int { used }

    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written since the last `clear`.
    @inlinable public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: used) }

    @inlinable public func clear() { used = 0 }

    /// Whether the bytes written since the last `clear` are exactly `other`.
    @inlinable public func holds(_ other: UnsafeRawBufferPointer) -> Bool {
        other.count == used && (used == 0 || memcmp(base, other.baseAddress!, used) == 0)
    }

    @inlinable public func put(_ byte: UInt8) {
        if used == capacity { grow(to: used + 1) }
        base[used] = byte
        used += 1
    }

    @inlinable public func put(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        if used + bytes.count > capacity { grow(to: used + bytes.count) }
        UnsafeMutableRawPointer(base + used).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        used += bytes.count
    }

    @usableFromInline func grow(to needed: Int) {
        var size = capacity
        while size < needed { size *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        grown.update(from: base, count: used)
        base.deallocate()
        base = grown; capacity = size
    }
}
