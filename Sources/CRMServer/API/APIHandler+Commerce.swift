import CRMDomain
import CRMService
import RapportAPI

/// The product list and quotes: products with their list price and cost, and quotes priced
/// from the list for an owned customer, then accepted or rejected.
extension APIHandler {
    // MARK: - Products

    /// 201 with the product's id; 409 `duplicate_product` for a SKU in use.
    func addProduct(_ input: Operations.AddProduct.Input) async throws -> Operations.AddProduct.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        var product = NewProduct(sku: body.sku, name: body.name, price: body.price.money, cost: body.cost.money)
        product.unit = body.unit ?? ""
        let productID = try await created("productId") {
            try await service.addProduct(product, actor: acting.actor, occurredAt: acting.occurredAt)
        }
        return .created(.init(body: .json(.init(productId: productID))))
    }

    /// A new list price and cost from `occurredAt` on.
    func changeProductPrice(
        _ input: Operations.ChangeProductPrice.Input
    ) async throws -> Operations.ChangeProductPrice.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.changeProductPrice(
                    input.path.product,
                    price: body.price.money,
                    cost: body.cost.money,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }

    // MARK: - Quotes

    /// 201 with the quote's id, its lines priced from the list now.
    func createQuote(_ input: Operations.CreateQuote.Input) async throws -> Operations.CreateQuote.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        try requireInScope(acting.principal, customer: body.customerId)
        let quoteID = try await created("quoteId") {
            try await service.createQuote(
                for: body.customerId,
                opportunityID: body.opportunityId ?? "",
                lines: body.lines.map(\.request),
                validUntil: body.validUntil,
                actor: acting.actor,
                occurredAt: acting.occurredAt
            )
        }
        return .created(.init(body: .json(.init(quoteId: quoteID))))
    }

    /// The customer accepts before the quote expires.
    func acceptQuote(_ input: Operations.AcceptQuote.Input) async throws -> Operations.AcceptQuote.Output {
        let body = input.body?.json
        let acting = try acting(at: body?.occurredAt)
        return .ok(
            try await appended {
                try await service.acceptQuote(input.path.quote, actor: acting.actor, occurredAt: acting.occurredAt)
            }
        )
    }

    /// The customer rejects, with the reason.
    func rejectQuote(_ input: Operations.RejectQuote.Input) async throws -> Operations.RejectQuote.Output {
        let body = input.body.json
        let acting = try acting(at: body.occurredAt)
        return .ok(
            try await appended {
                try await service.rejectQuote(
                    input.path.quote,
                    reason: body.reason,
                    actor: acting.actor,
                    occurredAt: acting.occurredAt
                )
            }
        )
    }
}
