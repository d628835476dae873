import Testing
import CurateCore
@testable import Ingest

@Suite struct EStatReaderTests {
    static func read(_ name: String) throws -> ([Observation], EStatTable) {
        var out: [Observation] = []
        let table = try EStatReader(path: fixture("estat/" + name)).forEachObservation { out.append($0) }
        return (out, table)
    }

    @Test func valuesWithCodesLabelsNotesAndPaging() throws {
        let (obs, table) = try Self.read("v3-meta-paged.synthetic.xml")
        #expect(obs.count == 4)
        #expect(obs[1].dictionary == ["tab": "001", "tab.label": "金額", "cat01": "110", "cat01.label": "総数_企業",
                                      "area": "00000", "area.label": "全国", "time": "2021100000", "time.label": "2021年度",
                                      "unit": "百万円", "VALUE": "20"])
        #expect(obs[3]["VALUE"] == "***")
        #expect(obs.map(\.line) == [50, 51, 52, 53])
        #expect(table.notes == ["***": "数字が得られないもの", "-": "該当数字がないもの"])
        #expect((table.total, table.from, table.to, table.nextKey) == (6, 1, 4, "5"))
        #expect(table.id == "0000000000")
        #expect(table.title?.hasPrefix("合成表") == true)
    }

    @Test func olderLayoutWithoutMetadata() throws {
        let (obs, table) = try Self.read("v1-observed-shape.synthetic.xml")
        #expect(obs.map { $0["VALUE"] } == ["1.0", "-", "-2.5"])
        #expect(obs[0]["time"] == "1981100000" && obs[0]["time.label"] == nil)
        #expect((table.total, table.from, table.to, table.nextKey) == (3, 1, 3, nil))
    }

    @Test func errorStatusCarriesTheServicesMessage() throws {
        #expect { _ = try Self.read("error-status.synthetic.xml") } throws: { error in
            let e = error as? CurateError
            return e?.code == .estatError && e?.message.contains("100") == true && e?.message.contains("認証に失敗しました") == true
        }
    }

    @Test func sdmxIsNotEStat() throws {
        #expect { _ = try EStatReader(path: fixture("sdmx/ECB_EXR/ng-ts.xml")).forEachObservation { _ in } } throws: {
            ($0 as? CurateError)?.code == .formatError
        }
    }
}
