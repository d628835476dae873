/// The source lines rows were read from, kept as runs: lines arrive mostly in increasing order, so
/// a file of millions of rows costs a few runs, not an integer a row. The per-stage counts need
/// how many rows each line a finding names holds (several when observations share a line).
struct LineSet {
    /// Lines `lines`, each read `times` times.
    private struct Run { var lines: ClosedRange<Int>; var times: Int }
    private var runs: [Run] = []
    /// Lines inserted, counting a repeated line each time.
    private(set) var count = 0
    private var sorted = true

    mutating func insert(_ line: Int) {
        count += 1
        if let last = runs.last {
            if last.lines == line...line { runs[runs.count - 1].times += 1; return }
            if last.times == 1 && line == last.lines.upperBound + 1 { runs[runs.count - 1].lines = last.lines.lowerBound...line; return }
            if line <= last.lines.upperBound { sorted = false }
        }
        runs.append(Run(lines: line...line, times: 1))
    }

    /// How many times `line` was inserted.
    func occurrences(of line: Int) -> Int {
        if !sorted { return runs.reduce(0) { $0 + ($1.lines.contains(line) ? $1.times : 0) } }
        var low = 0, high = runs.count
        while low < high {
            let mid = (low + high) / 2
            if runs[mid].lines.upperBound < line { low = mid + 1 } else { high = mid }
        }
        return low < runs.count && runs[low].lines.contains(line) ? runs[low].times : 0
    }

    /// Rows read from any of `lines`.
    func rows(on lines: Set<Int>) -> Int { lines.reduce(0) { $0 + occurrences(of: $1) } }

    /// Rows read from any line of `lines` (each of its lines counted once).
    func rows(onLinesOf lines: LineSet) -> Int {
        var total = 0
        lines.forEachLine { total += occurrences(of: $0) }
        return total
    }

    /// Calls `body` with each distinct line, once per run it is in.
    func forEachLine(_ body: (Int) -> Void) { for run in runs { for line in run.lines { body(line) } } }
}
