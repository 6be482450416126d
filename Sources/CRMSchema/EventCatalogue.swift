import Foundation
public import SwiftProtobuf

/// Every CRM event type: its name in the log, its protobuf message, its current schema
/// version, and how to read the older versions the log may still hold.
///
/// An event's type name is its message's full protobuf name (`crm.v1.LeadCreated`), so
/// services in any language find the schema from the type alone. When a schema changes
/// in a way protobuf's own rules cannot absorb, the old message stays in the `.proto` file
/// under a new name (`FollowUpLoggedV1`), the current version goes up, and an upcaster
/// turns old payloads into the current message on the way out of the log.
public struct EventCatalogue: Sendable {
    /// One event type.
    public struct Entry: Sendable {
        /// The type name stored with each event.
        public let typeName: String
        /// The schema version new events are written with.
        public let currentVersion: UInt32
        /// The message of the current version.
        public let messageType: any SwiftProtobuf.Message.Type
        /// Readers of older versions, each producing the current message.
        let upcasters: [UInt32: @Sendable ([UInt8]) throws -> any SwiftProtobuf.Message]
    }

    /// An event ready for the log: its type, schema version and payload bytes.
    public struct EncodedEvent: Sendable, Hashable {
        /// The type name (the message's full protobuf name).
        public var typeName: String
        /// The schema version of `payload`.
        public var schemaVersion: UInt32
        /// The protobuf binary encoding.
        public var payload: [UInt8]
    }

    private let entries: [String: Entry]

    /// The type names the catalogue knows, sorted.
    public var typeNames: [String] { entries.keys.sorted() }

    /// The entry for `typeName`, if the catalogue knows it.
    public func entry(for typeName: String) -> Entry? { entries[typeName] }

    /// Encodes `message` as an event of the current schema version.
    ///
    /// - Throws: `EventCatalogueError` when the message is not a catalogued event type.
    public func encode(_ message: any SwiftProtobuf.Message) throws -> EncodedEvent {
        let typeName = type(of: message).protoMessageName
        guard let entry = entries[typeName], entry.messageType == type(of: message) else {
            throw EventCatalogueError(
                .unknownEventType,
                typeName: typeName,
                "\(typeName) is not a catalogued event message"
            )
        }
        return EncodedEvent(
            typeName: typeName,
            schemaVersion: entry.currentVersion,
            payload: try message.serializedBytes()
        )
    }

    /// Decodes a stored payload into the current message of its type, upcasting older versions.
    ///
    /// - Throws: `EventCatalogueError` for an unknown type, an unknown (or newer) schema
    ///   version, or bytes that are not a valid payload.
    public func decode(typeName: String, schemaVersion: UInt32, payload: [UInt8]) throws -> any SwiftProtobuf.Message {
        guard let entry = entries[typeName] else {
            throw EventCatalogueError(
                .unknownEventType,
                typeName: typeName,
                "no event type \(typeName) in the catalogue"
            )
        }
        do {
            if schemaVersion == entry.currentVersion {
                return try entry.messageType.init(serializedBytes: payload)
            }
            guard let upcast = entry.upcasters[schemaVersion] else {
                let why =
                    schemaVersion > entry.currentVersion
                    ? "newer than this build's \(entry.currentVersion)" : "not readable"
                throw EventCatalogueError(
                    .unknownSchemaVersion,
                    typeName: typeName,
                    "\(typeName) schema version \(schemaVersion) is \(why)"
                )
            }
            return try upcast(payload)
        } catch let error as EventCatalogueError {
            throw error
        } catch {
            throw EventCatalogueError(
                .undecodablePayload,
                typeName: typeName,
                "\(typeName) v\(schemaVersion) payload: \(error)"
            )
        }
    }

    /// Decodes a stored payload as `M`, upcasting older versions.
    public func decode<M: SwiftProtobuf.Message>(_: M.Type, schemaVersion: UInt32, payload: [UInt8]) throws -> M {
        let message = try decode(typeName: M.protoMessageName, schemaVersion: schemaVersion, payload: payload)
        guard let typed = message as? M else {
            throw EventCatalogueError(
                .unknownEventType,
                typeName: M.protoMessageName,
                "\(M.protoMessageName) decoded as another message"
            )
        }
        return typed
    }

    init(_ entries: [Entry]) {
        self.entries = Dictionary(uniqueKeysWithValues: entries.map { ($0.typeName, $0) })
    }
}

/// Why the catalogue cannot encode or decode an event.
public struct EventCatalogueError: Error, Sendable, CustomStringConvertible {
    /// A stable reason.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The type name is not in the catalogue.
        public static let unknownEventType = Code(rawValue: "unknown_event_type")
        /// The schema version is newer than this build, or has no upcaster.
        public static let unknownSchemaVersion = Code(rawValue: "unknown_schema_version")
        /// The payload bytes are not a valid message of the type.
        public static let undecodablePayload = Code(rawValue: "undecodable_payload")
    }

    /// The reason.
    public var code: Code
    /// The event type concerned.
    public var typeName: String
    /// What happened, for people.
    public var message: String

    init(_ code: Code, typeName: String, _ message: String) {
        self.code = code
        self.typeName = typeName
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

extension EventCatalogue.Entry {
    /// An event type at schema version 1 with no older versions.
    static func current<M: SwiftProtobuf.Message>(_: M.Type) -> Self {
        Self(typeName: M.protoMessageName, currentVersion: 1, messageType: M.self, upcasters: [:])
    }
}
