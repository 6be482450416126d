import CRMSchema
import EventStore
import Foundation
import SwiftProtobuf

/// Appends `string` as a JSON string literal.
func appendString(_ string: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    for byte in string.utf8 {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
        case UInt8(ascii: "\n"): output.append(contentsOf: #"\n"#.utf8)
        case UInt8(ascii: "\r"): output.append(contentsOf: #"\r"#.utf8)
        case UInt8(ascii: "\t"): output.append(contentsOf: #"\t"#.utf8)
        case ..<0x20:
            let hex = String(byte, radix: 16)
            output.append(contentsOf: "\\u00\(hex.count == 1 ? "0" : "")\(hex)".utf8)
        default: output.append(byte)
        }
    }
    output.append(UInt8(ascii: "\""))
}

/// Appends lowercase hex digits, as `ChainHash.hex` writes them (which formats byte by byte,
/// too slow for a million lines).
func appendHex(_ bytes: [UInt8], to output: inout [UInt8]) {
    let digits = Array("0123456789abcdef".utf8)
    for byte in bytes {
        output.append(digits[Int(byte >> 4)])
        output.append(digits[Int(byte & 0x0F)])
    }
}

/// Appends a UUID as a lowercase JSON string, or `null`.
func appendOptionalUUID(_ id: UUID?, to output: inout [UInt8]) {
    guard let id else { return output.append(contentsOf: "null".utf8) }
    output.append(UInt8(ascii: "\""))
    output.append(contentsOf: id.uuidString.lowercased().utf8)
    output.append(UInt8(ascii: "\""))
}

extension EventCatalogue {
    /// The payload of `event` decoded through the catalogue (upcast to its type's current
    /// version) as protobuf canonical JSON; `nil` when the catalogue does not know the type or
    /// version, or the payload does not decode.
    func canonicalJSON(of event: RecordedEvent) -> String? {
        guard
            let message = try? decode(typeName: event.type, schemaVersion: event.schemaVersion, payload: event.payload)
        else { return nil }
        return try? message.jsonString()
    }
}
