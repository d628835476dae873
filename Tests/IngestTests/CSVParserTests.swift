import Testing
import CurateCore
@testable import Ingest

@Suite struct CSVParserTests {
    /// RFC 4180 cases: quoted delimiters and newlines, escaped quotes, empty fields, every line end.
    static let cases: [(String, [[String]], [Int])] = [
        ("a,b\n1,2\n", [["a", "b"], ["1", "2"]], [1, 2]),
        ("a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]], [1, 2]),
        ("a,b\r1,2\r", [["a", "b"], ["1", "2"]], [1, 2]),
        ("a,b\r\n1,2\n3,4\r5,6", [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]], [1, 2, 3, 4]),
        ("\"x,y\",z\n", [["x,y", "z"]], [1]),
        ("\"line1\nline2\",z\nnext,row\n", [["line1\nline2", "z"], ["next", "row"]], [1, 3]),
        ("\"say \"\"hi\"\"\",2\n", [["say \"hi\"", "2"]], [1]),
        ("a,,c\n,,\n", [["a", "", "c"], ["", "", ""]], [1, 2]),
        ("a,b,\n", [["a", "b", ""]], [1]),
        ("\"\"\n", [[""]], [1]),
        ("a\n\nb\n", [["a"], [""], ["b"]], [1, 2, 3]),
        ("no newline at end", [["no newline at end"]], [1]),
        ("5\"6,7\n", [["5\"6", "7"]], [1]),
        ("\"ab\"cd,e\n", [["abcd", "e"]], [1]),
        ("\"crlf\r\ninside\",x\r\ny,z\r\n", [["crlf\r\ninside", "x"], ["y", "z"]], [1, 3]),
    ]

    @Test(arguments: cases.indices)
    func parsesRFC4180(_ index: Int) throws {
        let (text, fields, lines) = Self.cases[index]
        for piece in [1, 2, 3, 7, 1 << 16] {
            let got = try parse(Array(text.utf8), piece: piece)
            #expect(got.map(\.fields) == fields, "piece \(piece): \(text.debugDescription)")
            #expect(got.map(\.line) == lines, "piece \(piece): \(text.debugDescription)")
        }
    }

    @Test func unterminatedQuoteNamesTheLineWhereItOpened() throws {
        let text = "a,b\n1,\"open\nstill open\n"
        #expect {
            _ = try parse(Array(text.utf8), piece: 4)
        } throws: { error in
            guard let e = error as? CurateError else { return false }
            return e.code == .unterminatedQuote && e.location?.row == 2 && e.location?.column == 2
        }
    }

    @Test func otherDelimiters() throws {
        #expect(try parse(Array("a;b;\"c;d\"\n".utf8), piece: 5, delimiter: UInt8(ascii: ";")).map(\.fields) == [["a", "b", "c;d"]])
        #expect(try parse(Array("a\tb\n".utf8), piece: 5, delimiter: 9).map(\.fields) == [["a", "b"]])
        #expect(try parse(Array("a|b\n".utf8), piece: 5, delimiter: UInt8(ascii: "|")).map(\.fields) == [["a", "b"]])
    }

    @Test(arguments: [
        ("a,b,c\n1,2,3\n", Character(",")), ("a;b;c\n1;2;3\n", ";"), ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"), ("title only\n\na;b\n\"1,5\";2\n3;4\n", ";"),
    ])
    func sniffsDelimiter(_ text: String, _ expected: Character) throws {
        #expect(DelimiterSniffer.sniff(text) == expected)
    }

    @Test func explicitDelimiterOverridesSniffing() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("semi.csv", "a;b,c\n1;2,3\n")
        #expect(try records(file, delimiter: ",").map(\.fields) == [["a;b", "c"], ["1;2", "3"]])
        #expect(try records(file, delimiter: ";").map(\.fields) == [["a", "b,c"], ["1", "2,3"]])
    }
}
