/// Picks the delimiter that splits the first lines most consistently.
///
/// Printed tables have title and note lines with no delimiter at all, so a candidate scores by how
/// many lines share its most common non-zero count, not by the count on every line.
enum DelimiterSniffer {
    static let candidates: [Character] = [",", ";", "\t", "|"]

    static func sniff(_ sample: String) -> Character {
        let lines = sample.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).prefix(50)
        var best: (Character, Int) = (",", 0)
        for candidate in candidates {
            var histogram: [Int: Int] = [:]
            for line in lines {
                var inQuotes = false, count = 0
                for c in line {
                    if c == "\"" { inQuotes.toggle() } else if c == candidate && !inQuotes { count += 1 }
                }
                if count > 0 { histogram[count, default: 0] += 1 }
            }
            let score = histogram.values.max() ?? 0
            if score > best.1 { best = (candidate, score) }
        }
        return best.0
    }
}
