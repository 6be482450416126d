/// A refused command: a stable code for programs, a sentence for people, and the facts.
///
/// A refusal appends nothing. The facts name what the user needs to act, such as who owns
/// the customer and since when.
public struct DomainError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable reason, such as `customer_owned_by_other_rep`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The command's business time is in the future beyond the allowed clock skew.
        public static let occurredInFuture = Code(rawValue: "occurred_in_future")
        /// The command's business time is before the earliest the CRM takes (1900).
        public static let occurredOutOfRange = Code(rawValue: "occurred_out_of_range")
        /// A customer with the same company name, credit code, phone or email exists.
        public static let duplicateCustomer = Code(rawValue: "duplicate_customer")
        /// A lead with the same company name, credit code, phone or email exists.
        public static let duplicateLead = Code(rawValue: "duplicate_lead")
        /// The lead does not exist.
        public static let leadNotFound = Code(rawValue: "lead_not_found")
        /// The lead was converted or disqualified and takes no more changes.
        public static let leadClosed = Code(rawValue: "lead_closed")
        /// Only a qualified lead can be converted.
        public static let leadNotQualified = Code(rawValue: "lead_not_qualified")
        /// The command needs a reason and has none.
        public static let reasonRequired = Code(rawValue: "reason_required")
        /// The customer does not exist.
        public static let customerNotFound = Code(rawValue: "customer_not_found")
        /// Another rep owns the customer.
        public static let customerOwnedByOtherRep = Code(rawValue: "customer_owned_by_other_rep")
        /// The acting rep owns the customer already.
        public static let customerAlreadyOwned = Code(rawValue: "customer_already_owned")
        /// The customer is in the public pool, so it cannot be released or transferred.
        public static let customerInPool = Code(rawValue: "customer_in_pool")
        /// The acting rep does not own the customer.
        public static let notCustomerOwner = Code(rawValue: "not_customer_owner")
        /// The rep has claimed as many customers today as the rules allow.
        public static let dailyClaimLimitReached = Code(rawValue: "daily_claim_limit_reached")
        /// The rep holds as many customers as the rules allow.
        public static let holdingCapReached = Code(rawValue: "holding_cap_reached")
        /// The rep released this customer too recently to claim it back.
        public static let previousOwnerCooldown = Code(rawValue: "previous_owner_cooldown")
        /// A required field is blank; `field` names it.
        public static let fieldRequired = Code(rawValue: "field_required")
        /// A field holds a value the rule does not accept; `field` names it.
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// The command would change nothing (same team, same role, same stage).
        public static let noChange = Code(rawValue: "no_change")
        /// The user does not exist.
        public static let userNotFound = Code(rawValue: "user_not_found")
        /// The user has been deactivated.
        public static let userInactive = Code(rawValue: "user_inactive")
        /// The user's role owns no customers (admin, finance, auditor).
        public static let roleCannotOwnCustomers = Code(rawValue: "role_cannot_own_customers")
        /// The actor may not act on this user or their customers.
        public static let outsideScope = Code(rawValue: "outside_scope")
        /// A user with this email address exists.
        public static let duplicateUser = Code(rawValue: "duplicate_user")
        /// The team does not exist.
        public static let teamNotFound = Code(rawValue: "team_not_found")
        /// A team with this name exists.
        public static let duplicateTeam = Code(rawValue: "duplicate_team")
        /// The contact does not exist on this customer.
        public static let contactNotFound = Code(rawValue: "contact_not_found")
        /// The pipeline configuration is malformed (no stages, repeated ids or orders, …).
        public static let invalidPipeline = Code(rawValue: "invalid_pipeline")
        /// The stage is not in the pipeline in force.
        public static let unknownStage = Code(rawValue: "unknown_stage")
        /// The opportunity does not exist.
        public static let opportunityNotFound = Code(rawValue: "opportunity_not_found")
        /// The opportunity was won or lost; reopen it first.
        public static let opportunityClosed = Code(rawValue: "opportunity_closed")
        /// The opportunity is open, so there is nothing to reopen.
        public static let opportunityOpen = Code(rawValue: "opportunity_open")
        /// The product does not exist.
        public static let productNotFound = Code(rawValue: "product_not_found")
        /// A product with this SKU exists.
        public static let duplicateProduct = Code(rawValue: "duplicate_product")
        /// The quote does not exist.
        public static let quoteNotFound = Code(rawValue: "quote_not_found")
        /// The quote was accepted or rejected already.
        public static let quoteClosed = Code(rawValue: "quote_closed")
        /// The quote's validity ended before it was accepted.
        public static let quoteExpired = Code(rawValue: "quote_expired")
        /// A contract is drafted only from an accepted quote.
        public static let quoteNotAccepted = Code(rawValue: "quote_not_accepted")
        /// The quote became a contract already; `existing` names it.
        public static let quoteAlreadyContracted = Code(rawValue: "quote_already_contracted")
        /// A payment of the contract carries the bank reference already; `existing` names it.
        public static let duplicateBankReference = Code(rawValue: "duplicate_bank_reference")
        /// The contract does not exist.
        public static let contractNotFound = Code(rawValue: "contract_not_found")
        /// The contract is not approved yet, or was rejected: it binds nobody.
        public static let contractNotBinding = Code(rawValue: "contract_not_binding")
        /// The contract needs no (more) approval.
        public static let approvalNotPending = Code(rawValue: "approval_not_pending")
        /// The approver may not approve this step (wrong role, own contract, second step).
        public static let notApprover = Code(rawValue: "not_approver")
        /// The payment plan's instalments would exceed the contract amount.
        public static let planExceedsContract = Code(rawValue: "plan_exceeds_contract")
        /// A payment needs instalments to be allocated to.
        public static let noPaymentPlan = Code(rawValue: "no_payment_plan")
        /// Money in a currency other than the contract's.
        public static let currencyMismatch = Code(rawValue: "currency_mismatch")
        /// Invoices would exceed the contract amount.
        public static let invoiceExceedsContract = Code(rawValue: "invoice_exceeds_contract")
        /// The invoice does not exist on this contract.
        public static let invoiceNotFound = Code(rawValue: "invoice_not_found")
        /// The invoice was issued already.
        public static let invoiceAlreadyIssued = Code(rawValue: "invoice_already_issued")
        /// Refunds would exceed what was collected.
        public static let refundExceedsCollected = Code(rawValue: "refund_exceeds_collected")
        /// The refund does not exist on this contract.
        public static let refundNotFound = Code(rawValue: "refund_not_found")
        /// The refund is not at the step the command needs (approval, goods back, payment).
        public static let refundNotReady = Code(rawValue: "refund_not_ready")
        /// The work order does not exist.
        public static let workOrderNotFound = Code(rawValue: "work_order_not_found")
        /// The work order is not at the step the command needs (open, resolved, closed).
        public static let workOrderNotReady = Code(rawValue: "work_order_not_ready")
        /// The complaint does not exist.
        public static let complaintNotFound = Code(rawValue: "complaint_not_found")
        /// The complaint was resolved already.
        public static let complaintResolved = Code(rawValue: "complaint_resolved")
        /// The campaign does not exist.
        public static let campaignNotFound = Code(rawValue: "campaign_not_found")
        /// The campaign had ended when the response came.
        public static let campaignEnded = Code(rawValue: "campaign_ended")
        /// The supplier does not exist.
        public static let supplierNotFound = Code(rawValue: "supplier_not_found")
        /// The purchase order does not exist.
        public static let purchaseOrderNotFound = Code(rawValue: "purchase_order_not_found")
        /// More goods would be received than the purchase order ordered.
        public static let receiptExceedsOrder = Code(rawValue: "receipt_exceeds_order")
        /// More goods would be shipped than the contract ordered.
        public static let shipmentExceedsContract = Code(rawValue: "shipment_exceeds_contract")
        /// Stock would go negative.
        public static let insufficientStock = Code(rawValue: "insufficient_stock")
        /// The supplier has no such bill.
        public static let billNotFound = Code(rawValue: "bill_not_found")
        /// Payments would exceed the bill.
        public static let paymentExceedsBill = Code(rawValue: "payment_exceeds_bill")
    }

    /// The reason.
    public var code: Code
    /// What happened, for people.
    public var message: String
    /// The facts, such as `owner` and `since`.
    public var facts: [String: String]

    /// Creates a refusal.
    public init(_ code: Code, _ message: String, facts: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.facts = facts
    }

    public var description: String { "\(code): \(message)" }
}
