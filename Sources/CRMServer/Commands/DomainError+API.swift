import CRMDomain
import Hummingbird

extension DomainError.Code {
    /// The status that answers a refusal with this code: 404 when what the command acts on
    /// does not exist, 409 when it collides with what exists (a duplicate, another rep's
    /// customer), 403 outside the actor's scope, 400 for a field the rule does not accept (a
    /// blank required field or reason, a malformed value or pipeline, a business time out of
    /// range), and 422 for every other rule. Exhaustive: a new code has no status, and does
    /// not compile, until it is placed here.
    var status: HTTPResponse.Status {
        switch self {
        case .leadNotFound, .customerNotFound, .userNotFound, .teamNotFound, .contactNotFound, .opportunityNotFound,
            .productNotFound,
            .quoteNotFound, .contractNotFound, .invoiceNotFound, .refundNotFound, .workOrderNotFound,
            .complaintNotFound,
            .campaignNotFound, .supplierNotFound, .purchaseOrderNotFound, .billNotFound:
            .notFound
        case .duplicateCustomer, .duplicateLead, .duplicateUser, .duplicateTeam, .duplicateProduct,
            .duplicateBankReference,
            .customerOwnedByOtherRep, .customerAlreadyOwned:
            .conflict
        case .outsideScope, .notApprover, .notCustomerOwner:
            .forbidden
        case .fieldRequired, .reasonRequired, .invalidValue, .invalidPipeline, .occurredInFuture, .occurredOutOfRange:
            .badRequest
        case .leadClosed, .leadNotQualified, .customerInPool, .dailyClaimLimitReached, .holdingCapReached,
            .previousOwnerCooldown,
            .noChange, .userInactive, .roleCannotOwnCustomers, .unknownStage, .opportunityClosed, .opportunityOpen,
            .quoteClosed,
            .quoteExpired, .quoteNotAccepted, .quoteAlreadyContracted, .contractNotBinding, .approvalNotPending,
            .planExceedsContract,
            .noPaymentPlan, .currencyMismatch, .invoiceExceedsContract, .invoiceAlreadyIssued, .refundExceedsCollected,
            .refundNotReady, .workOrderNotReady, .complaintResolved, .campaignEnded, .receiptExceedsOrder,
            .shipmentExceedsContract,
            .insufficientStock, .paymentExceedsBill:
            .unprocessableContent
        }
    }
}

extension APIError {
    /// The answer to a refused command: the code's status (``DomainError/Code/status``), the
    /// code, the message, and the facts as they are.
    init(_ error: DomainError) {
        self.init(error.code.status, code: error.code.rawValue, error.message, facts: error.facts)
    }

    /// The answer to a malformed dedup key (company name, credit code, phone, email).
    init(_ error: DedupKeyError) {
        self.init(.badRequest, code: error.code.rawValue, error.message, facts: ["field": "\(error.kind)"])
    }
}
