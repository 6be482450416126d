public import EventStore

/// The two encodings of an export, described once.
///
/// Either is written as one zstd frame with a content checksum (unless `--uncompressed`);
/// an import tells the two apart by zstd's magic number.
///
/// **NDJSON.** Line 1 is the header,
/// `{"rapportExport":1,"encoding":"ndjson","from":F,"through":T,"previousHash":"hex","uniqueKeys":true}`;
/// then one ``EventLine`` per event, with `payload` and `hash`; then, when the export holds
/// the whole log, one `{"uniqueKey":"…","owner":"stream"}` per reserved key; last,
/// `{"end":{"events":N,"uniqueKeys":K,"lastHash":"hex"}}`. An imported event line must be
/// byte for byte what this build renders for the event it describes, so every byte of it is
/// checked: the fields through the chain hash, `data` against the payload.
///
/// **Binary.** The 8 bytes `RAPPORTX`, a u32 format version (1), then frames of
/// `u8 kind · u32 body length · body`, all little-endian:
/// - kind 0, header: `u64 from · u64 through · 32 previous hash · u8 flags (1: unique keys)`
/// - kind 1, event: the stored record exactly, canonical bytes (see `RecordFormat`) then its
///   32-byte chain hash, so an import checks every byte against the chain
/// - kind 2, unique key: `u16 key length · key · owner stream`
/// - kind 3, end: `u64 events · u64 unique keys · 32 last hash`
///
/// **Unique keys.** The log's reservation table (normalized phones, e-mails: the dedup
/// rules) is state, not events: appends reserve and release keys beside their events, so it
/// cannot be rebuilt from the events alone. An export of the whole log carries the table as
/// it stands at the export's snapshot, and the import sets it with its last batch. A range
/// export carries none: the table at the head does not describe a prefix of the log.
public enum ExportFormat {
    /// The format version both encodings carry; an import refuses any other.
    public static let version: UInt32 = 1
    /// The first 8 bytes of a binary export, before zstd.
    public static let binaryMagic = Array("RAPPORTX".utf8)
    /// The first 4 bytes of a zstd frame, which tell a compressed export from a plain one.
    public static let zstdMagic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
    /// The largest binary frame body accepted: a record is at most a few MiB.
    public static let maxFrameBody = 64 << 20

    /// How the items of an export are written.
    public enum Encoding: String, CaseIterable, Sendable {
        /// One JSON object a line.
        case ndjson
        /// `RAPPORTX` frames.
        case binary
    }

    /// The kind byte that opens a binary frame.
    public enum FrameKind: UInt8, Sendable {
        /// The export's ``Header``, first.
        case header = 0
        /// One stored record and its chain hash.
        case event = 1
        /// One entry of the unique-key table.
        case uniqueKey = 2
        /// The export's ``End``, last.
        case end = 3
    }

    /// What an export holds, from its first line or frame.
    public struct Header: Sendable, Hashable {
        /// The first position exported.
        public var from: UInt64
        /// The last position exported.
        public var through: UInt64
        /// The chain hash just before `from`: what an importing log's head must hold.
        public var previousHash: ChainHash
        /// Whether the unique-key table follows the events (an export of the whole log).
        public var carriesUniqueKeys: Bool

        /// Describes an export's content.
        public init(from: UInt64, through: UInt64, previousHash: ChainHash, carriesUniqueKeys: Bool) {
            self.from = from
            self.through = through
            self.previousHash = previousHash
            self.carriesUniqueKeys = carriesUniqueKeys
        }
    }

    /// The summary at an export's end, which tells a complete file from a cut one.
    public struct End: Sendable, Hashable {
        /// The number of events written.
        public var events: UInt64
        /// The number of unique keys written.
        public var uniqueKeys: UInt64
        /// The chain hash of the last event (`previousHash` when there is none).
        public var lastHash: ChainHash

        /// Summarizes an export.
        public init(events: UInt64, uniqueKeys: UInt64, lastHash: ChainHash) {
            self.events = events
            self.uniqueKeys = uniqueKeys
            self.lastHash = lastHash
        }
    }
}
