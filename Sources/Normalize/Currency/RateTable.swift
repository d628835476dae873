import Foundation

/// Exchange rates as data: one currency pair, one rate type, rates by period, and where they come
/// from. Conversion only ever uses a rate from such a table; a missing rate is an error, never a
/// default.
public struct RateTable: Sendable {
    /// How a rate was fixed: telegraphic transfer buying/selling/middle (Japanese banks' TTB, TTS,
    /// TTM) or a central bank's reference rate.
    public enum RateType: String, Sendable, CaseIterable, Codable { case ttb = "TTB", tts = "TTS", ttm = "TTM", reference }

    /// Units of `quote` for one unit of `base` (ECB: USD per EUR is base EUR, quote USD).
    public var base: String
    public var quote: String
    public var rateType: RateType
    /// Where the rates come from (file and series), carried into every conversion's lineage.
    public var source: String
    /// Period (ISO text: `2018`, `2018-03`) → rate.
    public var rates: [String: Decimal]

    public init(base: String, quote: String, rateType: RateType, source: String, rates: [String: Decimal]) {
        self.base = base; self.quote = quote; self.rateType = rateType; self.source = source; self.rates = rates
    }

    public enum Failure: Error, Equatable, Sendable {
        case missingRate(period: String)
        case incompleteYear(year: Int, missing: [Int])
        case wrongPair(String)
    }

    /// The annual average of the twelve monthly rates (arithmetic mean, rounded half-even to
    /// `scale` decimals); all twelve must be there.
    public func annualAverage(_ year: Int, scale: Int = 6) -> Result<(rate: Decimal, method: String), Failure> {
        var sum = Decimal(0)
        var missing: [Int] = []
        for month in 1...12 {
            let key = "\(year)-" + (month < 10 ? "0\(month)" : "\(month)")
            if let rate = rates[key] { sum += rate } else { missing.append(month) }
        }
        guard missing.isEmpty else { return .failure(.incompleteYear(year: year, missing: missing)) }
        var mean = sum / 12
        var rounded = Decimal()
        NSDecimalRound(&rounded, &mean, scale, .bankers)
        return .success((rounded, "arithmetic mean of the 12 monthly \(rateType.rawValue) rates of \(year), rounded half-even to \(scale) decimals"))
    }
}

/// One conversion, with everything lineage needs to redo it.
public struct Conversion: Equatable, Sendable {
    public var amount: Decimal
    public var currency: String
    public var converted: Decimal
    public var target: String
    public var rate: Decimal
    public var rateType: RateTable.RateType
    public var period: String
    public var source: String
    public var method: String

    public var lineage: String {
        "currency \(amount.canonicalText) \(currency) → \(converted.canonicalText) \(target) at \(rate.canonicalText) \(rateType.rawValue) (\(period), \(method); \(source))"
    }
}

/// Converts between the two currencies of a rate table, for a period (a month, or a year whose
/// annual average is derived from the monthly rates when the table has no annual rate).
public struct CurrencyConverter: Sendable {
    public let table: RateTable
    /// Decimals kept in converted amounts (0 for yen).
    public var scale: Int

    public init(table: RateTable, scale: Int = 0) { self.table = table; self.scale = scale }

    public func convert(_ amount: Decimal, from currency: String, period: String) -> Result<Conversion, RateTable.Failure> {
        guard currency == table.base || currency == table.quote else {
            return .failure(.wrongPair("\(currency) is not \(table.base) or \(table.quote)"))
        }
        let rate: Decimal, method: String
        if let direct = table.rates[period] {
            (rate, method) = (direct, "rate for \(period)")
        } else if let year = Int(period), period.count == 4 {
            switch table.annualAverage(year) {
            case .success(let average): (rate, method) = average
            case .failure(let failure): return .failure(failure)
            }
        } else {
            return .failure(.missingRate(period: period))
        }
        var exact = currency == table.base ? amount * rate : amount / rate
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, scale, .bankers)
        return .success(Conversion(amount: amount, currency: currency, converted: rounded,
                                   target: currency == table.base ? table.quote : table.base, rate: rate,
                                   rateType: table.rateType, period: period, source: table.source,
                                   method: method + ", result rounded half-even to \(scale) decimals"))
    }
}
