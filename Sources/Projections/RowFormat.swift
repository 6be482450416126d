/// The binary format rows are stored in, written by ``RowEncoder`` and read by ``RowDecoder``.
///
/// A stored row is the format byte ``version`` followed by one value. Every value starts with a
/// tag byte saying what it is, so a decoder can check types and skip values it does not want:
///
/// | Tag         | Value                                | Followed by                                 |
/// | ----------- | ------------------------------------ | ------------------------------------------- |
/// | `0x00`      | nil                                  | nothing                                     |
/// | `0x01`      | false                                | nothing                                     |
/// | `0x02`      | true                                 | nothing                                     |
/// | `0x03`      | an integer n ≥ 128                   | varint n                                    |
/// | `0x04`      | a negative integer n                 | varint (−1 − n)                             |
/// | `0x05`      | a floating-point number              | IEEE 754 double, 8 bytes little-endian      |
/// | `0x06`      | a string of 64 UTF-8 bytes or more   | varint byte count, the bytes                |
/// | `0x07`      | an array (unkeyed container)         | varint payload size, payload: varint count, elements |
/// | `0x08`      | an object (keyed container)          | varint payload size, payload: the fields    |
/// | `0x40…0x7F` | a string of 0…63 UTF-8 bytes         | the bytes (count = tag − `0x40`)            |
/// | `0x80…0xFF` | an integer 0…127                     | nothing (value = tag − `0x80`)              |
///
/// A field of an object is its key (a varint byte count and the key's UTF-8 bytes) and a value.
///
/// Varints are unsigned LEB128: seven bits a byte, least significant first, high bit set on all
/// bytes but the last. Integers are encoded by value, whatever their Swift type, so a field can
/// widen from `Int32` to `Int64` without a rebuild; decoding checks that the value fits.
///
/// The encoding of a row is canonical, which is what lets the engine compare read models byte
/// for byte across processes: each integer and string has one encoding (the shortest), lengths
/// are minimal varints, and dictionaries are written in sorted key order (see
/// ``RowEncodingOverride``). Fields of a struct come in the order its `encode(to:)` writes them,
/// and a `nil` optional is left out. Arrays and objects carry their size, so a decoder skips a
/// field it does not know, or that comes out of order, without reading it.
enum RowFormat {
    /// The first byte of every stored row: format 1. It is a UTF-8 continuation byte, so no text,
    /// and in particular no JSON row of the format before, starts with it.
    static let version: UInt8 = 0xB1

    /// Tag bytes; see the table above.
    enum Tag {
        static let null: UInt8 = 0x00
        static let `false`: UInt8 = 0x01
        static let `true`: UInt8 = 0x02
        static let positive: UInt8 = 0x03
        static let negative: UInt8 = 0x04
        static let double: UInt8 = 0x05
        static let string: UInt8 = 0x06
        static let array: UInt8 = 0x07
        static let object: UInt8 = 0x08
        /// `shortString + n` is a string of n bytes, n < ``shortStringLimit``.
        static let shortString: UInt8 = 0x40
        static let shortStringLimit = 64
        /// `smallInteger + n` is the integer n, n < ``smallIntegerLimit``.
        static let smallInteger: UInt8 = 0x80
        static let smallIntegerLimit: UInt64 = 128
    }

    /// How many bytes the varint of `value` takes.
    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // ⌈bit length / 7⌉, with 0 taking one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }
}
