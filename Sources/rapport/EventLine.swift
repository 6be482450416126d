import CRMSchema
import EventStore
import Foundation
import SwiftProtobuf

/// One event as a line of canonical JSON: what `replay` prints and NDJSON `export` writes.
///
/// Keys always come in this order, with no spaces: `position`, `stream`, `streamVersion`,
/// `id`, `type`, `schemaVersion`, `contentType`, `recordedAt`, `occurredAt` (RFC 3339, UTC,
/// nanoseconds), `actor`, `correlationID`, `causationID` (a UUID or `null`), and `data`: the
/// payload decoded through the CRM event catalogue (upcast to the type's current version) as
/// protobuf canonical JSON, or the payload in base64 as a JSON string when the catalogue does
/// not know the type or version. An export line adds `payload` (the stored bytes, base64) and
/// `hash` (the chain hash, hex), which is what an import reads back.
struct EventLine {
    var catalogue = EventCatalogue.crm

    /// Appends the line for `record`, without a newline, to `output`.
    func render(_ record: borrowing RecordView, withStoredBytes: Bool, into output: inout [UInt8]) {
        render(record.decode(), withStoredBytes: withStoredBytes, into: &output)
    }

    /// Appends the line for `event`, without a newline, to `output`.
    func render(_ event: RecordedEvent, withStoredBytes: Bool, into output: inout [UInt8]) {
        output.append(contentsOf: #"{"position":"#.utf8)
        output.append(contentsOf: String(event.position).utf8)
        output.append(contentsOf: #","stream":"#.utf8)
        appendString(event.stream.rawValue, to: &output)
        output.append(contentsOf: #","streamVersion":"#.utf8)
        output.append(contentsOf: String(event.streamVersion).utf8)
        output.append(contentsOf: #","id":""#.utf8)
        output.append(contentsOf: event.id.uuidString.lowercased().utf8)
        output.append(contentsOf: #"","type":"#.utf8)
        appendString(event.type, to: &output)
        output.append(contentsOf: #","schemaVersion":"#.utf8)
        output.append(contentsOf: String(event.schemaVersion).utf8)
        output.append(contentsOf: #","contentType":"#.utf8)
        appendString(event.contentType, to: &output)
        output.append(contentsOf: #","recordedAt":""#.utf8)
        appendTime(event.recordedAt, to: &output)
        output.append(contentsOf: #"","occurredAt":""#.utf8)
        appendTime(event.occurredAt, to: &output)
        output.append(contentsOf: #"","actor":"#.utf8)
        appendString(event.actor, to: &output)
        output.append(contentsOf: #","correlationID":"#.utf8)
        appendUUID(event.correlationID, to: &output)
        output.append(contentsOf: #","causationID":"#.utf8)
        appendUUID(event.causationID, to: &output)
        output.append(contentsOf: #","data":"#.utf8)
        if let message = try? catalogue.decode(typeName: event.type, schemaVersion: event.schemaVersion, payload: event.payload),
            let json = try? message.jsonString()
        {
            output.append(contentsOf: json.utf8)
        } else {
            appendBase64(event.payload, to: &output)
        }
        if withStoredBytes {
            output.append(contentsOf: #","payload":"#.utf8)
            appendBase64(event.payload, to: &output)
            output.append(contentsOf: #","hash":""#.utf8)
            appendHex(event.hash.bytes, to: &output)
            output.append(UInt8(ascii: "\""))
        }
        output.append(UInt8(ascii: "}"))
    }

    private func appendUUID(_ id: UUID?, to output: inout [UInt8]) {
        guard let id else { return output.append(contentsOf: "null".utf8) }
        output.append(UInt8(ascii: "\""))
        output.append(contentsOf: id.uuidString.lowercased().utf8)
        output.append(UInt8(ascii: "\""))
    }

    private func appendBase64(_ bytes: [UInt8], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        output.append(contentsOf: Data(bytes).base64EncodedString().utf8)
        output.append(UInt8(ascii: "\""))
    }
}

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

/// Appends what `Timestamp.description` says, `2026-11-24T09:30:00.000000001Z`, without
/// `String(format:)`, which cost half of a replay's time.
func appendTime(_ time: Timestamp, to output: inout [UInt8]) {
    let start = output.count
    var seconds = time.nanosecondsSinceEpoch / 1_000_000_000
    var nanos = time.nanosecondsSinceEpoch % 1_000_000_000
    if nanos < 0 {
        nanos += 1_000_000_000
        seconds -= 1
    }
    var days = seconds / 86_400
    var secondOfDay = seconds % 86_400
    if secondOfDay < 0 {
        secondOfDay += 86_400
        days -= 1
    }
    // Howard Hinnant's days-to-civil-date, for the proleptic Gregorian calendar.
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    guard (0...9_999).contains(year) else { return output.append(contentsOf: time.description.utf8) }
    func digits(_ value: Int64, _ count: Int) {
        var divisor: Int64 = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
    digits(year, 4)
    output.append(UInt8(ascii: "-"))
    digits(month, 2)
    output.append(UInt8(ascii: "-"))
    digits(day, 2)
    output.append(UInt8(ascii: "T"))
    digits(secondOfDay / 3_600, 2)
    output.append(UInt8(ascii: ":"))
    digits(secondOfDay / 60 % 60, 2)
    output.append(UInt8(ascii: ":"))
    digits(secondOfDay % 60, 2)
    output.append(UInt8(ascii: "."))
    digits(nanos, 9)
    output.append(UInt8(ascii: "Z"))
    assert(String(decoding: output[start...], as: UTF8.self) == time.description, "appendTime disagrees with Timestamp.description")
}

extension Timestamp {
    /// Parses what `description` writes, `2026-11-24T09:30:00.000000001Z`, to the nanosecond;
    /// `nil` for anything else.
    init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 30, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            bytes[19] == UInt8(ascii: "."), bytes[29] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), let nanos = number(20..<29)
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Int64(timegm(&parts))
        self.init(nanosecondsSinceEpoch: seconds * 1_000_000_000 + Int64(nanos))
        var canonical: [UInt8] = []
        appendTime(self, to: &canonical)
        guard canonical == bytes else { return nil }
    }
}

/// Bytes to standard output, written in large pieces.
struct OutputBuffer: ~Copyable {
    private var bytes: [UInt8] = []
    private let threshold: Int

    init(threshold: Int = 1 << 16) {
        self.threshold = threshold
        bytes.reserveCapacity(threshold + 4096)
    }

    /// Appends `body`'s bytes and a newline, writing out once the buffer is large.
    mutating func line(_ body: (inout [UInt8]) -> Void) throws(OutputError) {
        body(&bytes)
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= threshold { try flush() }
    }

    mutating func flush() throws(OutputError) {
        guard !bytes.isEmpty else { return }
        try writeAll(bytes, to: STDOUT_FILENO, naming: "standard output")
        bytes.removeAll(keepingCapacity: true)
    }
}
