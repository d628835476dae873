import Testing
@testable import CurateCore

/// The byte-level shortcut must give what the Character-level trim gives.
@Suite struct TrimmingTests {
    @Test func trimsSpacesOfEveryKindAndKeepsTheRest() {
        let cases = [("  341 ", "341"), ("\u{3000}893\u{3000}", "893"), ("\u{00A0}x\u{00A0}", "x"), ("\t千円", "千円"), ("千円", "千円"),
                     ("値", "値"), ("", ""), ("   ", ""), ("a\u{3000}", "a"), ("\u{3000}", ""), ("1,234", "1,234"), ("円\u{00A0}", "円")]
        for (text, trimmed) in cases { #expect(text.trimmingWhitespace == trimmed, "\(text.debugDescription)") }
    }
}
