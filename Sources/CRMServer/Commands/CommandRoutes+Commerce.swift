import CRMDomain
import CRMService
import Foundation
import Hummingbird

/// The product list and quotes: products with their list price and cost, and quotes priced
/// from the list for an owned customer, then accepted or rejected.
extension CommandRoutes {
    func addCommerce(to router: some RouterMethods<RapportRequestContext>) {
        router.post("v1/products", use: addProduct)
        router.post("v1/products/:product/price", use: changeProductPrice)
        router.post("v1/quotes", use: createQuote)
        router.post("v1/quotes/:quote/accept", use: acceptQuote)
        router.post("v1/quotes/:quote/reject", use: rejectQuote)
    }

    // MARK: - Products

    struct NewProductBody: CommandBody {
        static let fields: Set<String> = ["sku", "name", "price", "cost", "unit"]
        static var nested: [String: any BodyShape.Type] { ["price": MoneyBody.self, "cost": MoneyBody.self] }
        var sku: String
        var name: String
        var price: MoneyBody
        var cost: MoneyBody
        var unit: String?
    }

    /// `POST /v1/products`: 201 with the product's id; 409 `duplicate_product` for a SKU in use.
    @Sendable func addProduct(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await NewProductBody.decodeCommand(from: request, context: context)
        var product = NewProduct(sku: body.sku, name: body.name, price: body.price.money, cost: body.cost.money)
        product.unit = body.unit ?? ""
        return try await created("productId") {
            try await service.addProduct(product, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    struct PriceBody: CommandBody {
        static let fields: Set<String> = ["price", "cost"]
        static var nested: [String: any BodyShape.Type] { ["price": MoneyBody.self, "cost": MoneyBody.self] }
        var price: MoneyBody
        var cost: MoneyBody
    }

    /// `POST /v1/products/{product}/price`: a new list price and cost from `occurredAt` on.
    @Sendable func changeProductPrice(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await PriceBody.decodeCommand(from: request, context: context)
        let product = try context.parameters.require("product")
        return try await appended {
            try await service.changeProductPrice(
                product,
                price: body.price.money,
                cost: body.cost.money,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    // MARK: - Quotes

    /// A line to price from the product list.
    struct LineBody: BodyShape, Decodable {
        static let fields: Set<String> = ["productId", "quantity", "discountBasisPoints"]
        var productId: String
        var quantity: Int32
        /// 0-10000; 1 basis point is 0.01%.
        var discountBasisPoints: Int32?

        var request: Pricing.LineRequest {
            Pricing.LineRequest(productID: productId, quantity: quantity, discountBasisPoints: discountBasisPoints ?? 0)
        }
    }

    struct NewQuoteBody: CommandBody {
        static let fields: Set<String> = ["customerId", "opportunityId", "lines", "validUntil"]
        static var nested: [String: any BodyShape.Type] { ["lines": LineBody.self] }
        var customerId: String
        var opportunityId: String?
        var lines: [LineBody]
        var validUntil: Date
    }

    /// `POST /v1/quotes`: 201 with the quote's id, its lines priced from the list now.
    @Sendable func createQuote(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let (body, occurredAt) = try await NewQuoteBody.decodeCommand(from: request, context: context)
        try requireInScope(principal, customer: body.customerId)
        return try await created("quoteId") {
            try await service.createQuote(
                for: body.customerId,
                opportunityID: body.opportunityId ?? "",
                lines: body.lines.map(\.request),
                validUntil: body.validUntil,
                actor: principal.actor,
                occurredAt: occurredAt
            )
        }
    }

    /// `POST /v1/quotes/{quote}/accept`: the customer accepts before the quote expires.
    @Sendable func acceptQuote(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, quote) = try routeRecord(context, "quote")
        let (_, occurredAt) = try await EmptyBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.acceptQuote(quote, actor: principal.actor, occurredAt: occurredAt)
        }
    }

    /// `POST /v1/quotes/{quote}/reject`: the customer rejects, with the reason.
    @Sendable func rejectQuote(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let (principal, quote) = try routeRecord(context, "quote")
        let (body, occurredAt) = try await ReasonBody.decodeCommand(from: request, context: context)
        return try await appended {
            try await service.rejectQuote(quote, reason: body.reason, actor: principal.actor, occurredAt: occurredAt)
        }
    }
}
