import CRMSchema
import FuzzDriver
import SwiftProtobuf

private let catalogue = EventCatalogue.crm
private let typeNames = catalogue.typeNames

/// Fuzzes the event catalogue's decode: any payload under any catalogued type and schema
/// version (upcasters included), then the canonical JSON an export or `replay` shows of it.
///
/// Input: a byte choosing the type, a byte choosing the schema version (0…3), the payload.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: count)
    guard input.count >= 2 else { return 0 }
    let typeName = typeNames[Int(input[0]) % typeNames.count]
    let version = UInt32(input[1] & 3)
    let payload = Array(input[2...])
    guard let message = try? catalogue.decode(typeName: typeName, schemaVersion: version, payload: payload) else {
        return 0
    }
    _ = try? message.jsonString()
    _ = try? message.serializedBytes() as [UInt8]
    return 0
}

/// libFuzzer's entry: SwiftPM renames an executable's `main` to `<module>_main`.
@_cdecl("FuzzEventCatalogue_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (argc, argv) = (argc, argv)
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}
