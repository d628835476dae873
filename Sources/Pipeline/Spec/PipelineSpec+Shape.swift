import Normalize

extension PipelineSpec {
    /// How a pipeline's input becomes long rows. Each case carries exactly what it needs, so a
    /// long table without a value column, or an SDMX spec with a printed table's shape, cannot be
    /// built at all.
    enum Shape: Sendable {
        /// A printed table (CSV, XLSX, XLS) in one of its layouts.
        case table(TableShape)
        /// Keyed observations (SDMX-ML, SDMX-CSV, SDMX-JSON).
        case observations(ObservationShape)
        /// Figures computed from other curated datasets (no raw file of their own).
        case derived([DerivedFigure])

        /// The field the catalogue's coverage and the store's period column are over. Derived
        /// figures are keyed by their name, which stands in that place.
        var periodField: String {
            switch self {
            case .table(let table): table.periodField
            case .observations(let observations): observations.periodField
            case .derived: DerivedFigures.keyField
            }
        }

        /// A printed table's measures (the listed ones, or its one measure); none for observations,
        /// whose measures come from a code map, or for derived figures.
        var measures: [Measure] {
            if case .table(let table) = self { return table.measures }
            return []
        }

        /// The category dimensions whose labels become codes of a code list (printed tables only).
        var dimensions: [Dimension] {
            if case .table(let table) = self { return table.dimensions }
            return []
        }

        var isDerived: Bool {
            if case .derived = self { return true }
            return false
        }
    }

    /// A printed table → long table: one row per period, measure and category. One case per
    /// `layout:` of the spec.
    enum TableShape: Sendable {
        case yearsDown(YearsDown)
        case yearsAcross(YearsAcross)
        case matrix(Matrix)
        case long(Long)

        var layout: Layout {
            switch self {
            case .yearsDown: .yearsDown
            case .yearsAcross: .yearsAcross
            case .matrix: .matrix
            case .long: .long
            }
        }

        /// What every layout has: the curated period field and kind, and the printed unit note.
        var period: PeriodField {
            switch self {
            case .yearsDown(let s): s.period
            case .yearsAcross(let s): s.period
            case .matrix(let s): s.period
            case .long(let s): s.period
            }
        }

        var periodField: String { period.field }
        var periodKind: YearPeriod.Kind { period.kind }

        /// The units the table's （単位：…） note must name; nil when the table has no note.
        var unitNote: [String]? {
            switch self {
            case .yearsDown(let s): s.unitNote
            case .yearsAcross(let s): s.unitNote
            case .matrix(let s): s.unitNote
            case .long(let s): s.unitNote
            }
        }

        /// The measures a table's cells belong to, in the order measure indexes refer to.
        var measures: [Measure] {
            switch self {
            case .yearsDown(let s): s.measures
            case .yearsAcross(let s):
                switch s.rows {
                case .measures(let measures): measures
                case .categories(_, let measure): [measure]
                }
            case .matrix(let s): [s.measure]
            case .long(let s): s.measures
            }
        }

        /// The measures named by row labels: each must appear in the table, or it is a finding.
        var labelledMeasures: [Measure] {
            switch self {
            case .yearsAcross(let s): if case .measures(let measures) = s.rows { return measures }
            case .long(let s): return s.measures
            case .yearsDown, .matrix: break
            }
            return []
        }

        /// The category dimensions, rows first.
        var dimensions: [Dimension] {
            switch self {
            case .yearsDown(let s): if case .categories(_, let dimension, _) = s.rows { return [dimension] }
            case .yearsAcross(let s): if case .categories(let dimension, _) = s.rows { return [dimension] }
            case .matrix(let s): return [s.rows, s.columns]
            case .long: break
            }
            return []
        }
    }

    /// The curated field a table's periods go into, and the kind of year they are.
    struct PeriodField: Sendable {
        var field: String
        var kind: YearPeriod.Kind
    }

    /// A period per row, a measure per column; or, for a table of one period, a category per row.
    struct YearsDown: Sendable {
        enum Rows: Sendable {
            /// Each row a period, labelled in this column.
            case periods(column: String)
            /// Each row a category (a country) labelled in `labelColumn`; every value of `period`.
            case categories(labelColumn: String, dimension: Dimension, period: YearPeriod)
        }
        var rows: Rows
        /// The measures, each a column labelled as printed (never empty).
        var measures: [Measure]
        /// categories: rows the pipeline knowingly leaves out.
        var ignoreRows: [String]
        var period: PeriodField
        var unitNote: [String]?

        /// The column of row labels: periods or categories.
        var labelColumn: String {
            switch rows {
            case .periods(let column): column
            case .categories(let column, _, _): column
            }
        }
    }

    /// A measure (or a category) per row, a period per column (wide year columns).
    struct YearsAcross: Sendable {
        enum Rows: Sendable {
            /// Each row a measure, named by its label (never empty).
            case measures([Measure])
            /// Each row a category of a code list, all of one measure.
            case categories(Dimension, measure: Measure)
        }
        var labelColumn: String
        var rows: Rows
        /// Header columns that are not periods (e.g. 備考).
        var ignoreColumns: [String]
        /// Rows the pipeline knowingly leaves out.
        var ignoreRows: [String]
        var period: PeriodField
        var unitNote: [String]?
    }

    /// A category per row and a category per column, one period and one measure (obstacles × firm
    /// size, funding sector × performing sector).
    struct Matrix: Sendable {
        var labelColumn: String
        var rows: Dimension
        var columns: Dimension
        var measure: Measure
        var fixedPeriod: YearPeriod
        var ignoreColumns: [String]
        var ignoreRows: [String]
        var period: PeriodField
        var unitNote: [String]?
    }

    /// One value per row: a column of labels naming the measure, a column of values, optionally a
    /// column of printed units (checked against each measure's), columns copied into fields, and a
    /// column of periods or one period for the table.
    struct Long: Sendable {
        enum Periods: Sendable {
            /// Each row's period, printed in this column.
            case column(String)
            /// A table of one period (a survey wave, a budget year).
            case fixed(YearPeriod)
        }
        var labelColumn: String
        var valueColumn: String
        var unitColumn: String?
        /// Columns copied as they are into fields (a region code, a category), header → field.
        var dimensionColumns: [(column: String, field: String)]
        var periods: Periods
        /// The measures, each named by its row label (never empty).
        var measures: [Measure]
        /// Rows the pipeline knowingly leaves out.
        var ignoreRows: [String]
        var period: PeriodField
        var unitNote: [String]?
    }
}
