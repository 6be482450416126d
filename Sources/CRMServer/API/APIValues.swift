import CRMDomain
import CRMSchema
import Foundation
import RapportAPI
import SwiftProtobuf

/// The API's shared body values as the domain takes them.
extension Components.Schemas.Money {
    /// The amount; the domain checks the currency code and the sign.
    var money: CRMMoney { CRMMoney(minorUnits: amount, currency: currency) }
}

extension Components.Schemas.PricedLineRequest {
    /// A line to price from the product list; `discountBasisPoints` 0-10000 (0.01% each).
    var request: Pricing.LineRequest {
        Pricing.LineRequest(productID: productId, quantity: quantity, discountBasisPoints: discountBasisPoints ?? 0)
    }
}

extension OpportunityDecisions.NewOpportunity {
    /// The opportunity a body describes: at `stageId`, or the pipeline's first stage.
    init(name: String, amount: Int64, currency: String, stageId: String?, expectedCloseAt: Date?) {
        self.init(name: name, amount: CRMMoney(minorUnits: amount, currency: currency))
        stageID = stageId ?? ""
        self.expectedCloseAt = expectedCloseAt.map { Google_Protobuf_Timestamp(date: $0) }
    }
}

extension Components.RequestBodies.Units.JsonPayload {
    /// The products and their numbers of units the body lists.
    var units: [InventoryDecisions.Units] {
        lines.map { InventoryDecisions.Units(productID: $0.productId, quantity: $0.quantity) }
    }
}
