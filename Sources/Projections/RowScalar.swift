/// The scalar types the row coders read and write directly, without a container.
///
/// Told apart by comparing metatypes, far cheaper than a dynamic cast, in generic code that
/// does not know its type until it runs. An optional `RowScalar` rather than an optional `T`
/// also spares the runtime from looking up `Optional<T>`'s metadata on every value.
enum RowScalar {
    case string, int, int64, uint64, bool, double, int32, uint32, uint, float, int16, uint16, int8, uint8

    /// The kind of `type`, or `nil` when it is not a scalar; the most common types first.
    @inline(__always)
    init?(_ type: Any.Type) {
        if type == String.self {
            self = .string
        } else if type == Int.self {
            self = .int
        } else if type == Int64.self {
            self = .int64
        } else if type == UInt64.self {
            self = .uint64
        } else if type == Bool.self {
            self = .bool
        } else if type == Double.self {
            self = .double
        } else if type == Int32.self {
            self = .int32
        } else if type == UInt32.self {
            self = .uint32
        } else if type == UInt.self {
            self = .uint
        } else if type == Float.self {
            self = .float
        } else if type == Int16.self {
            self = .int16
        } else if type == UInt16.self {
            self = .uint16
        } else if type == Int8.self {
            self = .int8
        } else if type == UInt8.self {
            self = .uint8
        } else {
            return nil
        }
    }
}
