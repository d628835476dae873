/// A year-long period: calendar year (年) or Japanese fiscal year (年度, April to March).
/// Kept distinct because 2021年 and 2021年度 cover different months.
public struct YearPeriod: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable { case calendar, fiscal }
    public var year: Int
    public var kind: Kind

    public init(year: Int, kind: Kind) { self.year = year; self.kind = kind }

    public var description: String { kind == .fiscal ? "FY\(year)" : String(year) }
}
