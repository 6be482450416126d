import CRMDomain
import CRMService
import Crypto
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOFoundationEssentialsCompat
import OpenAPIRuntime
import Synchronization

/// Makes a command sent with `Idempotency-Key` run at most once per client and key, across
/// crashes: a retry with the same method, path and body gets the first answer again (with
/// `Idempotent-Replayed: true`), a reuse of the key for another request is refused with 422,
/// and a retry while the first is still running with 409. Commands come as `POST`, `PUT`
/// (settings) and `PATCH` (profiles, contacts); reads ignore the header.
///
/// A command that appends leaves a ``CommandReceipt`` in the log, in the same transaction as
/// its events: the request's fingerprint, how the route answers, and the ids it made. A retry
/// finds it and rebuilds the answer from it, so a crash between the commit and the answer
/// can never run the command twice. A command that appends nothing (a refusal, an update
/// that changes nothing) has its answer kept in the ``IdempotencyStore`` instead. A failure
/// of the server is not kept, so a retry runs the command again.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext
    let store: IdempotencyStore
    let log: LMDBEventLog
    let inFlight = InFlightKeys()

    private static let commandMethods: Set<HTTPRequest.Method> = [.post, .put, .patch]

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard Self.commandMethods.contains(request.method), let key = request.headers[.idempotencyKey],
            let principal = context.principal
        else {
            return try await next(request, context)
        }
        guard !key.isEmpty, key.utf8.count <= 255 else {
            throw APIError.badRequest(
                .invalidIdempotencyKey,
                "an Idempotency-Key is 1 to 255 characters",
                parameter: "Idempotency-Key"
            )
        }
        var request = request
        let body = try await request.collectBody(within: context)
        var digest = SHA256()
        digest.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        digest.update(data: Data(buffer: body))
        let fingerprint = Array(digest.finalize())
        let storageKey = IdempotencyStore.storageKey(actor: principal.actor, key: key)

        // Claimed before the look-ups: a retry racing the first request cannot miss its answer
        // and run the command again.
        guard inFlight.claim(storageKey) else {
            throw APIError(
                .conflict,
                .idempotencyKeyInFlight,
                "a request with this Idempotency-Key is still running",
                facts: ["key": key]
            )
        }
        defer { inFlight.release(storageKey) }
        if let answer = try await earlierAnswer(for: storageKey, fingerprint: fingerprint, key: key) {
            return Self.response(answer, replayed: true)
        }

        let receipt = CommandReceipt(key: storageKey, request: Self.hex(fingerprint))
        let response: Response
        do {
            response = try await CommandReceipt.$current.withValue(receipt) { try await next(request, context) }
        } catch {
            guard let refusal = Self.keptRefusal(error) else { throw error }
            response = try refusal.response(from: request, context: context)
        }
        let collected = CollectingWriter()
        try await response.body.write(collected)
        let answer = IdempotencyStore.Answer(request: fingerprint, status: response.status.code, body: collected.bytes)
        // A command that appended has its receipt in the log already.
        if answer.status < 500 && !receipt.isTaken {
            do {
                try await store.save(answer, for: storageKey)
            } catch {
                // Nothing was appended: a retry that cannot find this answer runs the command again.
                context.logger.error("cannot keep an idempotent answer", metadata: ["error": "\(error)"])
            }
        }
        return Self.response(answer, replayed: false)
    }

    /// The answer a failed command keeps for its retries: a refusal of the request or of a
    /// rule (a 4xx), which a retry would meet again. A conflict of the log
    /// (`wrong_expected_version`) and a failure of the server are not kept: a retry may well
    /// succeed.
    private static func keptRefusal(_ error: any Error) -> APIError? {
        if let wrapped = error as? ServerError { return keptRefusal(wrapped.underlyingError) }
        if error is EventStoreError { return nil }
        let answer = APIError.answer(to: error)
        return answer.status.code < 500 ? answer : nil
    }

    /// The first answer to the key: rebuilt from the command's receipt in the log when it
    /// appended, else as kept in the store; 422 when the key was first used for another request.
    private func earlierAnswer(
        for storageKey: [UInt8],
        fingerprint: [UInt8],
        key: String
    ) async throws -> IdempotencyStore.Answer? {
        let answer: IdempotencyStore.Answer? =
            if let stored = try log.receipt(for: storageKey), let note = CommandReceipt.Note(stored) {
                CommandAnswer.rebuild(note, stored, request: Self.bytes(hex: note.request))
            } else {
                try await store.answer(for: storageKey)
            }
        guard let answer else { return nil }
        guard answer.request == fingerprint else {
            throw APIError(
                .unprocessableContent,
                .idempotencyKeyReused,
                "this Idempotency-Key was first used for another request",
                facts: ["key": key]
            )
        }
        return answer
    }

    private static func response(_ answer: IdempotencyStore.Answer, replayed: Bool) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if replayed { headers[.idempotentReplayed] = "true" }
        return Response(
            status: .init(code: answer.status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), index < hex.endIndex {
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return [] }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

/// The keys whose first request is still running.
final class InFlightKeys: Sendable {
    private let keys = Mutex<Set<[UInt8]>>([])

    /// Whether `key` was free; it is taken now.
    func claim(_ key: [UInt8]) -> Bool {
        keys.withLock { $0.insert(key).inserted }
    }

    func release(_ key: [UInt8]) {
        _ = keys.withLock { $0.remove(key) }
    }
}

/// A response body gathered into bytes.
private struct CollectingWriter: ResponseBodyWriter {
    private let storage = Box()
    var bytes: [UInt8] { storage.bytes }

    mutating func write(_ buffer: ByteBuffer) async throws {
        storage.bytes.append(contentsOf: buffer.readableBytesView)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}

    private final class Box: @unchecked Sendable {
        var bytes: [UInt8] = []
    }
}

extension HTTPField.Name {
    /// The client's key for a command it may retry.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// Set on an answer given again for a retried key.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
