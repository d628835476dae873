import Foundation
import CurateCore
import Validate

extension SchemaValidator.CellChecker {
    /// True when an encoded row (`layout` loaded from it) surely passes the checks made on its
    /// cells alone, read from its bytes: no `Value` or String is made for a row that passes.
    /// False when it may not: its values are then decoded for `check`, which gives the verdict.
    func surelyPasses(encoded bytes: UnsafeRawBufferPointer, layout: RowCodec.Layout, fields: Int) -> Bool {
        guard layout.count == fields else { return false }
        for i in 0..<fields {
            let kind: Kind
            switch layout.tag(i, in: bytes) {
            case .null: kind = .null
            case .integer: kind = .integer
            case .number, .wideNumber: kind = .number
            case .string: kind = .string
            }
            guard surelyPasses(field: i, kind, number: { layout.value(i, in: bytes).decimal }) else { return false }
        }
        return true
    }
}
