import Benchmark
import Foundation
import Ingest
import Normalize

/// The hot paths of a curate run, each on a fixed synthetic input: CSV splitting, decoding, number,
/// period and unit parsing, SDMX observations.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(3), maxIterations: 50)

    let rows = (0..<100_000).map { i in "\(2000 + i % 24),地域\(i % 47),m\(i % 10),\"\((i * 7919) % 1_000_000_007)\",千円\n" }.joined()
    let csvUTF8 = write("bench-utf8.csv", Data(("年,地域,項目,値,単位\n" + rows).utf8))
    let csvCP932 = write("bench-cp932.csv", ("年,地域,項目,値,単位\n" + rows).data(using: .shiftJIS) ?? Data())

    Benchmark("CSV split, UTF-8, 100k rows") { benchmark in
        var count = 0
        try CSVReader(path: csvUTF8, encoding: .utf8, delimiter: ",").forEachRecord { count += $0.fields.count }
        blackHole(count)
    }
    Benchmark("CSV split + CP932 decode, 100k rows") { benchmark in
        var count = 0
        try CSVReader(path: csvCP932, encoding: .shiftJIS, delimiter: ",").forEachRecord { count += $0.fields.count }
        blackHole(count)
    }
    // The byte path `curate read` takes: fields stay byte ranges, no String is made.
    Benchmark("CSV byte records, UTF-8, 100k rows") { benchmark in
        var bytes = 0
        try CSVReader(path: csvUTF8, encoding: .utf8, delimiter: ",").forEachByteRecord { bytes += $0[$0.count - 1].count }
        blackHole(bytes)
    }
    Benchmark("CSV byte records + CP932 decode, 100k rows") { benchmark in
        var bytes = 0
        try CSVReader(path: csvCP932, encoding: .shiftJIS, delimiter: ",").forEachByteRecord { bytes += $0[$0.count - 1].count }
        blackHole(bytes)
    }

    let numbers = (0..<10_000).map { i in ["16,925", "△1,028", "１，２３４．５", "8.93E+10", "341", "0.05"][i % 6] }
    Benchmark("NumberParser, 10k cells") { benchmark in
        let parser = NumberParser()
        for n in numbers { blackHole(parser.parse(n)) }
    }

    let periods = (0..<10_000).map { i in ["平成24年度", "令和元年度", "R5", "2021年度", "二〇二一年"][i % 5] }
    Benchmark("PeriodParser, 10k labels") { benchmark in
        let parser = PeriodParser()
        for p in periods { blackHole(parser.parse(p)) }
    }
    let sdmxPeriods = (0..<10_000).map { i in ["2021", "2021-Q1", "2021-M03", "2021-03-31", "2021-W05"][i % 5] }
    Benchmark("SDMXPeriodParser, 10k periods") { benchmark in
        for p in sdmxPeriods { blackHole(SDMXPeriodParser.parse(p)) }
    }

    let registry = UnitRegistry(units: ["円": "JPY", "件": "count", "人": "persons"],
                                multipliers: ["千": "1000", "万": "10000", "百万": "1000000", "億": "100000000", "十億": "1000000000"])
    let units = (0..<10_000).map { i in ["千円", "億円", "十億円", "件", "千人"][i % 5] }
    Benchmark("UnitRegistry.resolve, 10k labels") { benchmark in
        for u in units { blackHole(registry.resolve(u)) }
    }

    var series = "<?xml version=\"1.0\"?>\n<message:StructureSpecificData xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\"><message:DataSet>\n"
    for s in 0..<2_000 {
        series += "<Series REF_AREA=\"A\(s)\" MEASURE=\"M\(s % 10)\" FREQ=\"A\" UNIT_MEASURE=\"USD\" UNIT_MULT=\"3\">"
        for y in 1991...2020 { series += "<Obs TIME_PERIOD=\"\(y)\" OBS_VALUE=\"\(s * 31 + y).5\" OBS_STATUS=\"A\"/>" }
        series += "</Series>\n"
    }
    let sdmx = write("bench.xml", Data((series + "</message:DataSet></message:StructureSpecificData>\n").utf8))
    Benchmark("SDMX-ML observations with attributes, 60k") { benchmark in
        var count = 0
        try SDMXMLReader(path: sdmx).forEachObservation { count += $0.fields.count }
        blackHole(count)
    }
}

func write(_ name: String, _ data: Data) -> String {
    let path = NSTemporaryDirectory() + "curate-" + name
    FileManager.default.createFile(atPath: path, contents: data)
    return path
}
