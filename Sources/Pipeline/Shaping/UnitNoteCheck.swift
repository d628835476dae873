import CurateCore
import Normalize

/// Compares a table's printed unit note (（単位：百万円）) with the units the spec declares for its
/// measures, whether or not the spec declares `unit_note`: a note is the publisher's own word on
/// what the numbers are, and a declared unit that contradicts it would publish wrong values.
///
/// A measure contradicts the note when the note names a unit of the same kind (money in any
/// currency; otherwise the same base unit: persons, counts, percent) and none of those is the
/// measure's unit (same base, same multiplier). A measure of a kind the note does not name (a count
/// column, 件数, in a table whose note gives 百万円 for its amounts) is left to its header, as is a
/// measure whose label prints its own unit.
struct UnitNoteCheck {
    let units: UnitRegistry

    static let currencies: Set<String> = ["JPY", "USD", "EUR"]

    private static func kind(_ unit: ResolvedUnit) -> String { currencies.contains(unit.base) ? "money" : unit.base }

    func contradictions(note text: String, line: Int, file: String, measures: [PipelineSpec.Measure]) -> [Finding] {
        let printed = UnitRegistry.labels(inNote: text).compactMap { units.resolve($0) }
        var findings: [Finding] = []
        for measure in measures {
            // A unit printed in the measure's own label (金額（百万ドル）) overrides the table's note.
            guard let declared = units.resolve(measure.unit), !measure.label.contains(measure.unit) else { continue }
            let sameKind = printed.filter { Self.kind($0) == Self.kind(declared) }
            guard !sameKind.isEmpty, !sameKind.contains(where: { $0.base == declared.base && $0.factor == declared.factor }) else { continue }
            findings.append(Finding(.unitError, check: Stage.ingest, location: SourceLocation(file: file, row: line, raw: text),
                                    expected: sameKind.map(\.label).joined(separator: " or ") + " (the table's printed unit note)",
                                    actual: "measure \(measure.name) declared in \(measure.unit)"))
        }
        return findings
    }
}
