import EventStore
import Foundation
import FuzzDriver
import FuzzRows

@testable import Projections

/// Fuzzes the read-model row decoder with rows of every shape a projector stores.
///
/// Input: a byte choosing the row type, then the stored row (the format byte `0xB1` and one
/// value). A row that decodes is encoded again and must come back the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: count)
    guard let selector = input.first else { return 0 }
    let row = UnsafeRawBufferPointer(rebasing: input[1...])
    switch RowSelector(rawValue: selector % UInt8(RowSelector.allCases.count))! {
    case .sample: check(SampleRow.self, row)
    case .extremes: check(Extremes.self, row)
    case .shapes: check([Shape].self, row)
    case .listsByName: check([String: [Int]].self, row)
    case .linesByNumber: check([Int: Line?].self, row)
    case .prioritiesByStage: check([Stage: Priority].self, row)
    case .timestamp: check(Timestamp.self, row)
    case .dates: check([Date].self, row)
    case .decimals: check([Decimal].self, row)
    case .doubles: check([Double].self, row)
    case .grid: check([[String?]].self, row)
    case .int8: check(Int8.self, row)
    }
    return 0
}

/// A row that decodes must encode, and its encoding must come back as the same bytes: values
/// are not compared, since NaN (a `Double`, a `Date`) is not equal to itself.
private func check<Row: Codable>(_: Row.Type, _ bytes: UnsafeRawBufferPointer) {
    guard let row = try? RowCodec.decode(Row.self, from: bytes, table: "fuzz", key: "row") else { return }
    guard let encoded = try? RowCodec.encode(row, table: "fuzz", key: "row") else {
        fatalError("a decoded \(Row.self) does not encode")
    }
    let again = encoded.withUnsafeBytes { try? RowCodec.decode(Row.self, from: $0, table: "fuzz", key: "row") }
    guard let again, (try? RowCodec.encode(again, table: "fuzz", key: "row")) == encoded else {
        fatalError("a decoded \(Row.self) does not come back the same")
    }
}

/// libFuzzer's entry: SwiftPM renames an executable's `main` to `<module>_main`.
@_cdecl("FuzzRowDecoder_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}
