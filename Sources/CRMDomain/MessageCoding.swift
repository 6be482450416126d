import Foundation
import SwiftProtobuf

// States that hold event messages (a contract's terms, its instalments) encode them in their
// protobuf binary form inside their Codable form, with map entries in a fixed order so that
// equal messages encode to equal bytes.

private let deterministic: BinaryEncodingOptions = {
    var options = BinaryEncodingOptions()
    options.useDeterministicOrdering = true
    return options
}()

extension KeyedEncodingContainer {
    /// Encodes `message` as its protobuf bytes.
    mutating func encodeMessage(_ message: some SwiftProtobuf.Message, forKey key: Key) throws {
        try encode(try message.serializedBytes(options: deterministic) as Data, forKey: key)
    }

    /// Encodes `messages` as a list of their protobuf bytes.
    mutating func encodeMessages(_ messages: [some SwiftProtobuf.Message], forKey key: Key) throws {
        try encode(try messages.map { try $0.serializedBytes(options: deterministic) as Data }, forKey: key)
    }
}

extension KeyedDecodingContainer {
    /// Decodes a message encoded by ``KeyedEncodingContainer/encodeMessage(_:forKey:)``.
    func decodeMessage<M: SwiftProtobuf.Message>(_ type: M.Type, forKey key: Key) throws -> M {
        try M(serializedBytes: try decode(Data.self, forKey: key))
    }

    /// Decodes messages encoded by ``KeyedEncodingContainer/encodeMessages(_:forKey:)``.
    func decodeMessages<M: SwiftProtobuf.Message>(_ type: M.Type, forKey key: Key) throws -> [M] {
        try decode([Data].self, forKey: key).map { try M(serializedBytes: $0) }
    }
}
