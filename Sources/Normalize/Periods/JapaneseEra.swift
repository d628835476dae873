/// The modern Japanese eras, with the Gregorian date each began.
public enum JapaneseEra: String, CaseIterable, Sendable {
    case meiji = "明治", taisho = "大正", showa = "昭和", heisei = "平成", reiwa = "令和"

    /// Gregorian year of the era's first year (元年).
    public var firstYear: Int {
        switch self { case .meiji: 1868; case .taisho: 1912; case .showa: 1926; case .heisei: 1989; case .reiwa: 2019 }
    }

    /// The last year number the era reached as a calendar year (平成31年 ended on 30 April 2019).
    public var lastYear: Int? {
        switch self { case .meiji: 45; case .taisho: 15; case .showa: 64; case .heisei: 31; case .reiwa: nil }
    }

    /// The romanised initial used in abbreviations (H30, R5).
    public var initial: Character {
        switch self { case .meiji: "M"; case .taisho: "T"; case .showa: "S"; case .heisei: "H"; case .reiwa: "R" }
    }

    public init?(initial: Character) {
        guard let era = Self.allCases.first(where: { $0.initial == Character(initial.uppercased()) }) else { return nil }
        self = era
    }

    public func gregorian(_ eraYear: Int) -> Int { firstYear + eraYear - 1 }

    /// The era and era year a Gregorian year is labelled with at its end (the label a 年度 takes).
    public static func label(for year: Int) -> (JapaneseEra, Int)? {
        guard let era = allCases.last(where: { $0.firstYear <= year }) else { return nil }
        return (era, year - era.firstYear + 1)
    }
}
