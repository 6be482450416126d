public import Hummingbird

/// What a request carries through the routes besides itself.
public struct RapportRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is asking, once the authenticator has checked their token.
    public var principal: Principal?
    /// When the caller's commands may say they happened, once the caller is known.
    var businessTime: BusinessTimeRules?
    /// The route's rule from ``AccessTable``, once ``AccessCheck`` has applied it.
    public var access: AccessRule?
    /// The route's `operationId` in the spec, once ``AccessCheck`` has found its rule.
    var operationID: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Command bodies are small; a larger one is refused with 413 before it is read.
    public var maxUploadSize: Int { 1 << 20 }
}

extension Request {
    /// The whole body, up to the context's upload limit (413 `body_too_large` past it). The
    /// request keeps what was read, so the next reader of its body gets the same bytes.
    mutating func collectBody(within context: RapportRequestContext) async throws -> ByteBuffer {
        do {
            return try await collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIError.bodyTooLarge(limit: context.maxUploadSize)
        }
    }
}
