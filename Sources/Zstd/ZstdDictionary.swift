import CZstd

/// A compression dictionary, trained on samples of the data it will compress.
///
/// Small records compress poorly alone (~1.3x for one event); a dictionary trained on many of
/// them carries their shared structure and lifts that to several times.
public struct ZstdDictionary: Sendable, Hashable {
    /// The dictionary's bytes, as stored beside the data it compresses.
    public let bytes: [UInt8]

    /// The id zstd writes into frames compressed with this dictionary.
    public var id: UInt32 {
        bytes.withUnsafeBytes { ZSTD_getDictID_fromDict($0.baseAddress, $0.count) }
    }

    /// Wraps stored dictionary bytes.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Trains a dictionary of at most `capacity` bytes on `samples`.
    ///
    /// - Throws: `ZstdError` with `.trainingFailed` when zstd cannot build one, typically
    ///   because there are too few samples (give it hundreds).
    public static func train(samples: [[UInt8]], capacity: Int = 110 * 1024) throws -> ZstdDictionary {
        let total = samples.reduce(0) { $0 + $1.count }
        guard !samples.isEmpty, total > 0 else {
            throw ZstdError(code: .trainingFailed, detail: "no sample bytes to train on")
        }
        var joined = [UInt8]()
        joined.reserveCapacity(total)
        for sample in samples { joined.append(contentsOf: sample) }
        let sizes = samples.map { $0.count }
        var dictionary = [UInt8](repeating: 0, count: capacity)
        let size = dictionary.withUnsafeMutableBytes { dict in
            joined.withUnsafeBytes { data in
                ZDICT_trainFromBuffer(dict.baseAddress, capacity, data.baseAddress, sizes, UInt32(sizes.count))
            }
        }
        if ZDICT_isError(size) != 0 {
            throw ZstdError(code: .trainingFailed, detail: String(cString: ZDICT_getErrorName(size)))
        }
        return ZstdDictionary(bytes: Array(dictionary.prefix(size)))
    }
}
