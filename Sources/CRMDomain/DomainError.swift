/// A refused command: a stable code for programs, a sentence for people, and the facts.
///
/// A refusal appends nothing. The facts name what the user needs to act, such as who owns
/// the customer and since when.
public struct DomainError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable reason, such as `customer_owned_by_other_rep`.
    ///
    /// An enumeration, so that whatever answers a refusal (the HTTP status, a report's
    /// column) switches over every code and a new code does not compile until it has its
    /// answer.
    public enum Code: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {

        /// The command's business time is in the future beyond the allowed clock skew.
        case occurredInFuture = "occurred_in_future"
        /// The command's business time is before the earliest the CRM takes (1900).
        case occurredOutOfRange = "occurred_out_of_range"
        /// A customer with the same company name, credit code, phone or email exists.
        case duplicateCustomer = "duplicate_customer"
        /// A lead with the same company name, credit code, phone or email exists.
        case duplicateLead = "duplicate_lead"
        /// The lead does not exist.
        case leadNotFound = "lead_not_found"
        /// The lead was converted or disqualified and takes no more changes.
        case leadClosed = "lead_closed"
        /// Only a qualified lead can be converted.
        case leadNotQualified = "lead_not_qualified"
        /// The command needs a reason and has none.
        case reasonRequired = "reason_required"
        /// The customer does not exist.
        case customerNotFound = "customer_not_found"
        /// Another rep owns the customer.
        case customerOwnedByOtherRep = "customer_owned_by_other_rep"
        /// The acting rep owns the customer already.
        case customerAlreadyOwned = "customer_already_owned"
        /// The customer is in the public pool, so it cannot be released or transferred.
        case customerInPool = "customer_in_pool"
        /// The acting rep does not own the customer.
        case notCustomerOwner = "not_customer_owner"
        /// The rep has claimed as many customers today as the rules allow.
        case dailyClaimLimitReached = "daily_claim_limit_reached"
        /// The rep holds as many customers as the rules allow.
        case holdingCapReached = "holding_cap_reached"
        /// The rep released this customer too recently to claim it back.
        case previousOwnerCooldown = "previous_owner_cooldown"
        /// A required field is blank; `field` names it.
        case fieldRequired = "field_required"
        /// A field holds a value the rule does not accept; `field` names it.
        case invalidValue = "invalid_value"
        /// The command would change nothing (same team, same role, same stage).
        case noChange = "no_change"
        /// The user does not exist.
        case userNotFound = "user_not_found"
        /// The user has been deactivated.
        case userInactive = "user_inactive"
        /// The user's role owns no customers (admin, finance, auditor).
        case roleCannotOwnCustomers = "role_cannot_own_customers"
        /// The actor may not act on this user or their customers.
        case outsideScope = "outside_scope"
        /// A user with this email address exists.
        case duplicateUser = "duplicate_user"
        /// The team does not exist.
        case teamNotFound = "team_not_found"
        /// A team with this name exists.
        case duplicateTeam = "duplicate_team"
        /// The contact does not exist on this customer.
        case contactNotFound = "contact_not_found"
        /// The pipeline configuration is malformed (no stages, repeated ids or orders, …).
        case invalidPipeline = "invalid_pipeline"
        /// The stage is not in the pipeline in force.
        case unknownStage = "unknown_stage"
        /// The opportunity does not exist.
        case opportunityNotFound = "opportunity_not_found"
        /// The opportunity was won or lost; reopen it first.
        case opportunityClosed = "opportunity_closed"
        /// The opportunity is open, so there is nothing to reopen.
        case opportunityOpen = "opportunity_open"
        /// The product does not exist.
        case productNotFound = "product_not_found"
        /// A product with this SKU exists.
        case duplicateProduct = "duplicate_product"
        /// The quote does not exist.
        case quoteNotFound = "quote_not_found"
        /// The quote was accepted or rejected already.
        case quoteClosed = "quote_closed"
        /// The quote's validity ended before it was accepted.
        case quoteExpired = "quote_expired"
        /// A contract is drafted only from an accepted quote.
        case quoteNotAccepted = "quote_not_accepted"
        /// The quote became a contract already; `existing` names it.
        case quoteAlreadyContracted = "quote_already_contracted"
        /// A payment of the contract carries the bank reference already; `existing` names it.
        case duplicateBankReference = "duplicate_bank_reference"
        /// The contract does not exist.
        case contractNotFound = "contract_not_found"
        /// The contract is not approved yet, or was rejected: it binds nobody.
        case contractNotBinding = "contract_not_binding"
        /// The contract needs no (more) approval.
        case approvalNotPending = "approval_not_pending"
        /// The approver may not approve this step (wrong role, own contract, second step).
        case notApprover = "not_approver"
        /// The payment plan's instalments would exceed the contract amount.
        case planExceedsContract = "plan_exceeds_contract"
        /// A payment needs instalments to be allocated to.
        case noPaymentPlan = "no_payment_plan"
        /// Money in a currency other than the contract's.
        case currencyMismatch = "currency_mismatch"
        /// Invoices would exceed the contract amount.
        case invoiceExceedsContract = "invoice_exceeds_contract"
        /// The invoice does not exist on this contract.
        case invoiceNotFound = "invoice_not_found"
        /// The invoice was issued already.
        case invoiceAlreadyIssued = "invoice_already_issued"
        /// Refunds would exceed what was collected.
        case refundExceedsCollected = "refund_exceeds_collected"
        /// The refund does not exist on this contract.
        case refundNotFound = "refund_not_found"
        /// The refund is not at the step the command needs (approval, goods back, payment).
        case refundNotReady = "refund_not_ready"
        /// The work order does not exist.
        case workOrderNotFound = "work_order_not_found"
        /// The work order is not at the step the command needs (open, resolved, closed).
        case workOrderNotReady = "work_order_not_ready"
        /// The complaint does not exist.
        case complaintNotFound = "complaint_not_found"
        /// The complaint was resolved already.
        case complaintResolved = "complaint_resolved"
        /// The campaign does not exist.
        case campaignNotFound = "campaign_not_found"
        /// The campaign had ended when the response came.
        case campaignEnded = "campaign_ended"
        /// The supplier does not exist.
        case supplierNotFound = "supplier_not_found"
        /// The purchase order does not exist.
        case purchaseOrderNotFound = "purchase_order_not_found"
        /// More goods would be received than the purchase order ordered.
        case receiptExceedsOrder = "receipt_exceeds_order"
        /// More goods would be shipped than the contract ordered.
        case shipmentExceedsContract = "shipment_exceeds_contract"
        /// Stock would go negative.
        case insufficientStock = "insufficient_stock"
        /// The supplier has no such bill.
        case billNotFound = "bill_not_found"
        /// Payments would exceed the bill.
        case paymentExceedsBill = "payment_exceeds_bill"

        public var description: String { rawValue }
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
