/// Row keys of the sales read models: ids, months and days joined by `|`.
///
/// A key is built for nearly every event a sales projector applies, so each is built into one
/// string of the right capacity rather than through the intermediate strings of `a + "|" + b`.
enum SalesKey {
    /// `a|b`.
    static func join(_ a: String, _ b: String) -> String {
        var key = ""
        key.reserveCapacity(a.utf8.count + b.utf8.count + 1)
        key += a
        key += "|"
        key += b
        return key
    }

    /// `a|b|c`.
    static func join(_ a: String, _ b: String, _ c: String) -> String {
        var key = ""
        key.reserveCapacity(a.utf8.count + b.utf8.count + c.utf8.count + 2)
        key += a
        key += "|"
        key += b
        key += "|"
        key += c
        return key
    }

    /// Whether `id` can be a part of a key other than the last: non-empty, without the
    /// separator (which would make a prefix scan read another id's rows).
    static func fits(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { bytes in !bytes.isEmpty && !bytes.contains(UInt8(ascii: "|")) }
    }
}
