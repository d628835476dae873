import Foundation
import CurateCore

/// A figure computed from curated datasets by a declared rule (the briefing's headline numbers),
/// so that a refresh of the inputs recomputes it.
struct DerivedFigure: Sendable {
    enum Operation: String, Sendable, CaseIterable {
        /// a ÷ b (a multiple: "about 52 times").
        case ratio
        /// a − b, in their common unit.
        case difference
        /// (a − b) ÷ b × 100, in percent.
        case change
        /// a × b × scale (a share in percent of an amount: scale 0.01).
        case product
    }

    /// One input: the value of `measure` in `dataset` at the row matching `where`.
    struct Input: Sendable {
        var dataset: String
        var measure: String
        var filter: [(field: String, value: String)]
    }

    var name: String
    var title: String
    var operation: Operation
    var a: Input
    var b: Input
    var scale: Decimal
    /// The figure as the briefing states it, with the precision it is printed to ("約52倍": 52, 1).
    var stated: (value: Decimal, precision: Decimal, severity: Severity)?
}
