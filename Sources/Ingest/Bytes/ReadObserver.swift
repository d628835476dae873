/// Sees the files `ByteSource` reads, chunk by chunk, as they are read.
///
/// A run installs one (`ReadObservers.$current.withValue`) to hash its raw file in the same pass
/// the readers make, and to check at the end of that pass that the file did not change under it;
/// tests use the same hook to change a file in the middle of a read.
public protocol ReadObserver: AnyObject, Sendable {
    /// A file opened for a whole read; `descriptor` is open on it (for `fstat`). Nil: not watched.
    func opened(path: String, descriptor: Int32) -> (any ReadObservation)?
}

/// One read of one file, from its first byte to end of file.
public protocol ReadObservation: AnyObject {
    /// The next chunk, which starts at `offset` in the file.
    func received(_ chunk: UnsafeBufferPointer<UInt8>, at offset: Int) throws
    /// End of file reached: the read is whole. Throwing here fails the read.
    func ended() throws
}

public enum ReadObservers {
    /// The observer of reads made by this task (or thread, outside tasks).
    @TaskLocal public static var current: (any ReadObserver)?
}
