import Foundation
import Testing
import CurateCore
@testable import Pipeline

/// The briefing's datasets whose values are awaited: the shipped spec runs on a SYNTHETIC file in
/// the publisher's layout (every number here is made up), and the real project reports the
/// dataset as awaiting its source.
@Suite struct NISTEPObstaclesTests {
    static let raw = "Raw/nistep/innovation-survey/obstacles-by-firm-size.csv"
    static let synthetic = """
        合成データ（テスト用、架空の値）イノベーション活動を実施しなかった企業が経験したイノベーションの阻害要因
        （単位：%）
        阻害要因,大企業,小・中規模企業
        社内・グループ内資金不足,1.0,2.0
        社外・グループ外資金不足,1.1,2.1
        イノベーションのコストが高すぎたこと,1.2,2.2
        能力のある従業者不足,1.3,2.3
        技術に関する情報不足,1.4,2.4
        市場に関する情報不足,1.5,2.5
        必要な協力相手を見つけることが困難,1.6,2.6
        他社による支配,1.7,2.7
        新製品・サービスの需要が不確実,1.8,2.8
        既存のイノベーションで十分だった,1.9,2.9
        イノベーションへの十分な需要が見込めず,2.0,3.0
        注：架空の値
        """

    @Test func awaitedInTheShippedProject() throws {
        let project = try ProjectCopy()
        let results = try project.runner.run(datasets: ["nistep-innovation-obstacles"], dryRun: true)
        guard case .awaitingSource = results[0].status else { Issue.record("\(results[0].status)"); return }
    }

    @Test func shippedSpecReadsTheLayout() throws {
        let project = try ProjectCopy()
        try project.write(Self.raw, Self.synthetic)
        let results = try project.runner.run(datasets: ["nistep-innovation-obstacles"], dryRun: false)
        guard case .published = results[0].status else { Issue.record("\(results[0].status) \(results[0].report?.findings ?? [])"); return }
        let data = String(decoding: try project.read("Curated/nistep-innovation-obstacles/data.csv"), as: UTF8.self)
        #expect(data.split(separator: "\n").count == 23)
        #expect(data.contains("4,share_of_firms,STAFF,L,1.3,percent"))
        #expect(data.contains("4,share_of_firms,NO_DEMAND,SM,3,percent"))
        let package = String(decoding: try project.read("Curated/nistep-innovation-obstacles/datapackage.json"), as: UTF8.self)
        #expect(package.contains("codelists/innovation-obstacles.csv") && package.contains("codelists/firm-size.csv"))
    }

    @Test func anObstacleRenamedByThePublisherIsReportedWithSuggestions() throws {
        let project = try ProjectCopy()
        try project.write(Self.raw, Self.synthetic.replacingOccurrences(of: "能力のある従業者不足,", with: "能力ある従業者の不足,"))
        let results = try project.runner.run(datasets: ["nistep-innovation-obstacles"], dryRun: true)
        let finding = try #require(results[0].report?.findings.first { $0.code == .unknownCode })
        #expect(finding.location?.row == 7)
        #expect(finding.actual == "能力ある従業者の不足")
        #expect(finding.expected?.contains("能力のある従業者不足 (STAFF)") == true)
    }
}

@Suite struct MEXTResearcherMobilityTests {
    static let raw = "Raw/mext/science-technology-handbook/researcher-mobility.csv"

    @Test func awaitedAndShippedSpecReadsTheLayout() throws {
        let project = try ProjectCopy()
        guard case .awaitingSource = try project.runner.run(datasets: ["mext-researcher-mobility"], dryRun: true)[0].status else {
            Issue.record("not awaiting"); return
        }
        var table = "合成データ（テスト用、架空の値）日本のセクター間の人材流動性\n（単位：人）\n年度,企業→大学等,企業→公的機関,大学等→企業,大学等→公的機関,公的機関→企業,公的機関→大学等\n"
        for (i, year) in ["平成25年度", "平成26年度", "平成27年度", "平成28年度", "平成29年度", "平成30年度", "令和元年度", "令和2年度", "令和3年度", "令和4年度"].enumerated() {
            table += "\(year)," + (1...6).map { String(100 * $0 + i) }.joined(separator: ",") + "\n"
        }
        try project.write(Self.raw, table + "資料：架空\n")
        let results = try project.runner.run(datasets: ["mext-researcher-mobility"], dryRun: false)
        guard case .published = results[0].status else { Issue.record("\(results[0].status) \(results[0].report?.findings ?? [])"); return }
        let data = String(decoding: try project.read("Curated/mext-researcher-mobility/data.csv"), as: UTF8.self)
        #expect(data.split(separator: "\n").count == 61)
        #expect(data.contains("2013,business_to_university,100,persons"))
        #expect(data.contains("2022,public_to_university,609,persons"))
    }
}

@Suite struct OECDHERDTests {
    /// SYNTHETIC structure-specific message in the OECD export's shape; every value is made up.
    static let synthetic = """
        <?xml version="1.0" encoding="UTF-8"?>
        <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">
          <message:Header><message:ID>synthetic</message:ID><message:Structure structureID="S" dimensionAtObservation="TIME_PERIOD"/></message:Header>
          <message:DataSet ss:structureRef="S">
            <Series REF_AREA="JPN" MEASURE="HERD" FREQ="A" UNIT_MEASURE="USD" UNIT_MULT="6"><Obs TIME_PERIOD="2021" OBS_VALUE="100.5"/></Series>
            <Series REF_AREA="DEU" MEASURE="HERD" FREQ="A" UNIT_MEASURE="USD" UNIT_MULT="6"><Obs TIME_PERIOD="2021" OBS_VALUE="200"/></Series>
            <Series REF_AREA="JPN" MEASURE="HERD_BES_SHARE" FREQ="A" UNIT_MEASURE="PT" UNIT_MULT="0"><Obs TIME_PERIOD="2021" OBS_VALUE="3.1"/></Series>
            <Series REF_AREA="DEU" MEASURE="HERD_BES_SHARE" FREQ="A" UNIT_MEASURE="PT" UNIT_MULT="0"><Obs TIME_PERIOD="2021" OBS_VALUE="12.5"/></Series>
            <Series REF_AREA="DEU" MEASURE="HERD" FREQ="Q" UNIT_MEASURE="USD" UNIT_MULT="6"><Obs TIME_PERIOD="2021-Q1" OBS_VALUE="50"/></Series>
          </message:DataSet>
        </message:StructureSpecificData>
        """

    @Test func awaitedInTheShippedProject() throws {
        let project = try ProjectCopy()
        guard case .awaitingSource = try project.runner.run(datasets: ["oecd-herd-business-share"], dryRun: true)[0].status else {
            Issue.record("not awaiting"); return
        }
    }

    @Test func observationsAreScaledConvertedAndTraced() throws {
        let project = try ProjectCopy()
        try project.write("Raw/oecd/rd-statistics/herd-2021.xml", Self.synthetic)
        try project.write("Raw/mufg/ttb/usd-jpy-annual.csv", "year,rate\n2021,110.00\n")   // SYNTHETIC rate, for the test only
        let results = try project.runner.run(datasets: ["oecd-herd-business-share"], dryRun: false)
        guard case .published = results[0].status else { Issue.record("\(results[0].status) \(results[0].report?.findings ?? [])"); return }
        let data = String(decoding: try project.read("Curated/oecd-herd-business-share/data.csv"), as: UTF8.self)
        #expect(data == """
            year,measure,country,value,unit,status
            2021,herd,DEU,22000000000,JPY,
            2021,herd,JPN,11055000000,JPY,
            2021,herd_business_funded_share,DEU,12.5,percent,
            2021,herd_business_funded_share,JPN,3.1,percent,

            """)
        let lineage = String(decoding: try project.read("Curated/oecd-herd-business-share/lineage.csv"), as: UTF8.self)
        // value = raw × factor: 100.5 × (10^6 UNIT_MULT × 110 yen a dollar) = 11055000000.
        #expect(lineage.contains("OBS_VALUE,100.5,USD,110000000,11000000,\"× 10^6 (UNIT_MULT); currency 100500000 USD"))
        #expect(lineage.contains("currency 100500000 USD → 11055000000 JPY at 110 TTB (2021"))
        #expect(lineage.contains("Raw/mufg/ttb/usd-jpy-annual.csv"))
    }

    @Test func missingRateIsAnErrorNeverADefault() throws {
        let project = try ProjectCopy()
        try project.write("Raw/oecd/rd-statistics/herd-2021.xml", Self.synthetic)
        try project.write("Raw/mufg/ttb/usd-jpy-annual.csv", "year,rate\n2018,110.00\n")   // SYNTHETIC, and not 2021
        let results = try project.runner.run(datasets: ["oecd-herd-business-share"], dryRun: true)
        let findings = try #require(results[0].report?.findings)
        #expect(findings.filter { $0.code == .unitError }.count == 2)
        #expect(findings.contains { $0.code == .completeness })
        guard case .checked(false) = results[0].status else { Issue.record("\(results[0].status)"); return }
    }
}

@Suite struct NISTEPFundFlowTests {
    static let raw = "Raw/nistep/science-technology-indicators/rd-fund-flows-japan-fy2021.csv"

    @Test func matrixOfSectorsWithItsUnitChecked() throws {
        let project = try ProjectCopy()
        guard case .awaitingSource = try project.runner.run(datasets: ["nistep-rd-fund-flows-japan"], dryRun: true)[0].status else {
            Issue.record("not awaiting"); return
        }
        // SYNTHETIC values.
        let table = "合成データ（テスト用、架空の値）\n（単位：億円）\n負担部門,企業,大学等,公的機関,非営利団体\n企業,100,10,2,1\n大学等,0,30,0,0\n政府,5,20,40,3\n"
        try project.write(Self.raw, table)
        let results = try project.runner.run(datasets: ["nistep-rd-fund-flows-japan"], dryRun: false)
        guard case .published = results[0].status else { Issue.record("\(results[0].status) \(results[0].report?.findings ?? [])"); return }
        let data = String(decoding: try project.read("Curated/nistep-rd-fund-flows-japan/data.csv"), as: UTF8.self)
        #expect(data.contains("2021,rd_funds,BES,HES,1000000000,JPY"))
        #expect(data.contains("2021,rd_funds,GOV,GOV,4000000000,JPY"))
        #expect(data.split(separator: "\n").count == 13)
        try project.write(Self.raw, table.replacingOccurrences(of: "（単位：億円）", with: "（単位：百万円）"))
        let changed = try project.runner.run(datasets: ["nistep-rd-fund-flows-japan"], dryRun: true)
        #expect(changed[0].report?.findings.first?.code == .unitError)
    }
}

@Suite struct RegionalIndicatorTests {
    @Test func prefecturesAndIndicatorsAreCoded() throws {
        let project = try ProjectCopy()
        guard case .awaitingSource = try project.runner.run(datasets: ["nistep-regional-indicators"], dryRun: true)[0].status else {
            Issue.record("not awaiting"); return
        }
        // SYNTHETIC indicators and values.
        try project.write("Pipelines/reference/codelists/nistep-regional-indicators.yaml",
                          "id: nistep-regional-indicators\ntitle: t\nsource: synthetic\ncodes:\n  - {code: X1, label: 指標A}\n  - {code: X2, label: 指標B}\n")
        try project.write("Raw/nistep/regional-indicators/regional-indicators-2022.csv",
                          "都道府県,指標A,指標B\n北海道,1,2\n東京都,3,4\n大阪,5,6\n")
        let results = try project.runner.run(datasets: ["nistep-regional-indicators"], dryRun: false)
        guard case .published = results[0].status else { Issue.record("\(results[0].status) \(results[0].report?.findings ?? [])"); return }
        let data = String(decoding: try project.read("Curated/nistep-regional-indicators/data.csv"), as: UTF8.self)
        #expect(data.contains("2022,indicator_value,13,X2,4,count"))
        #expect(data.contains("2022,indicator_value,27,X1,5,count"))   // 大阪 → 大阪府 (27)
    }
}

@Suite struct HeadlineTests {
    @Test func headlinesAreRecomputedWithTheirInputs() throws {
        let project = try ProjectCopy()
        let results = try project.runner.run(datasets: [], dryRun: false)
        let headline = try #require(results.first { $0.name == "briefing-headlines" })
        guard case .published = headline.status else { Issue.record("\(headline.status)"); return }
        let data = String(decoding: try project.read("Curated/briefing-headlines/data.csv"), as: UTF8.self)
        #expect(data.contains("us_japan_licence_income_ratio,51.8461538462,ratio,computed,"))
        #expect(data.contains("go_tech_budget_change,-500000000,JPY,computed,"))
        #expect(data.contains("fraunhofer_government_funding,1020000000,EUR,computed,"))
        #expect(data.contains("us_japan_new_licences_ratio,,,awaiting-input,"))
        #expect(data.contains("Raw/meti/briefing-2025/university-licensing-2022.csv:4:2"))
    }

    @Test func aRefreshedInputRecomputesAndIsCheckedAgainstTheBriefing() throws {
        let project = try ProjectCopy()
        _ = try project.runner.run(datasets: [], dryRun: false)
        // A made-up change to the US figure: the ratio moves away from the briefing's 約52倍.
        let raw = project.root + "/Raw/meti/briefing-2025/university-licensing-2022.csv"
        try (try String(contentsOfFile: raw, encoding: .utf8)).replacingOccurrences(of: "米国,337.0", with: "米国,300.0")
            .write(toFile: raw, atomically: true, encoding: .utf8)
        let results = try project.runner.run(datasets: [], dryRun: false)
        let headline = try #require(results.first { $0.name == "briefing-headlines" })
        guard case .failedValidation = headline.status else { Issue.record("\(headline.status)"); return }
        let finding = try #require(headline.report?.findings.first { $0.code == .crossSource })
        #expect(finding.actual?.hasPrefix("us_japan_licence_income_ratio = 46.153846") == true)
        #expect(finding.expected?.hasPrefix("52 ± ") == true)
    }
}
