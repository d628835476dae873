import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on stderr for long inputs: percent, rows/s, MB/s, time left. Shown only
/// on a terminal, only after half a second, redrawn at most ten times a second.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var started: [String: Date] = [:]
    private var lastDraw = Date.distantPast
    private var drawn = false

    static var isTerminal: Bool { isatty(2) == 1 }

    func update(dataset: String, read: Int, total: Int, rows: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        let start = started[dataset] ?? now
        started[dataset] = start
        let elapsed = now.timeIntervalSince(start)
        guard elapsed > 0.5, total > 0, now.timeIntervalSince(lastDraw) > 0.1 || read >= total else { return }
        lastDraw = now
        let fraction = min(1, Double(read) / Double(total))
        let rate = Double(read) / elapsed / 1_000_000
        let left = rate > 0 ? Double(total - read) / 1_000_000 / rate : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let rowRate = Double(rows) / elapsed
        FileHandleOutput.stderr(String(format: "\r%@ [%@] %3.0f%% %.0f rows/s %.1f MB/s %.0fs left ", dataset, bar, fraction * 100, rowRate, rate, left))
        drawn = true
    }

    /// Clears the bar before normal output.
    func clear() {
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandleOutput.stderr("\r\u{1B}[K"); drawn = false }
    }
}
