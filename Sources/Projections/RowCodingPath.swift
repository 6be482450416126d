// The row encoder and decoder keep no coding path while they work (it would cost an allocation
// per nested value); an error gets its path as it unwinds, each container putting its own key in
// front. Containers and the coders themselves report an empty `codingPath`, so an error a type
// builds from `container.codingPath` ends up with the full path too.

/// An array index or a dictionary key, as a coding key in an error's path.
struct RowIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init?(intValue: Int) {
        self.init(intValue)
    }
}

extension DecodingError {
    /// The same error, found under `key`.
    func prefixed(by key: any CodingKey) -> DecodingError {
        func under(_ context: Context) -> Context {
            Context(
                codingPath: [key] + context.codingPath,
                debugDescription: context.debugDescription,
                underlyingError: context.underlyingError
            )
        }
        switch self {
        case .typeMismatch(let type, let context): return .typeMismatch(type, under(context))
        case .valueNotFound(let type, let context): return .valueNotFound(type, under(context))
        case .keyNotFound(let missing, let context): return .keyNotFound(missing, under(context))
        case .dataCorrupted(let context): return .dataCorrupted(under(context))
        @unknown default: return self
        }
    }
}

extension EncodingError {
    /// The same error, found under `key`.
    func prefixed(by key: any CodingKey) -> EncodingError {
        switch self {
        case .invalidValue(let value, let context):
            return .invalidValue(
                value,
                Context(
                    codingPath: [key] + context.codingPath,
                    debugDescription: context.debugDescription,
                    underlyingError: context.underlyingError
                )
            )
        @unknown default: return self
        }
    }
}
