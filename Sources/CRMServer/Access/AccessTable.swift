import RapportAPI

/// How a route cuts its records to the caller once the caller's role may use it.
///
/// The scopes that a route's path names (`customer`, `heldCustomer`, `lead` and the records
/// of a customer) are checked at the door by ``AccessCheck``, before the body is read, against
/// the owners the log holds as of its last commit; the others are checked by the handler once
/// it has read what they depend on (the body, the query).
public enum AccessScope: String, Sendable, Hashable, CaseIterable, Codable {
    /// No record of anyone's: the role is enough.
    case none
    /// The path's `{customer}`: a rep's own and the pool, a manager's team's and the pool,
    /// everyone's for the other roles.
    case customer
    /// The path's `{customer}` as its holder changes it: a rep's own only, never a pool
    /// customer; a manager's team's and the pool; everyone's for admin and migration.
    case heldCustomer
    /// The path's `{lead}`: a rep's own and the unassigned, a manager's team's and the
    /// unassigned, every lead for admin and migration.
    case lead
    /// The customer of the path's `{contract}`, by the `customer` rule.
    case contractCustomer
    /// The customer of the path's `{quote}`, by the `customer` rule.
    case quoteCustomer
    /// The customer of the path's `{opportunity}`, by the `customer` rule.
    case opportunityCustomer
    /// The customer of the path's `{workOrder}`, by the `customer` rule.
    case workOrderCustomer
    /// The customer of the path's `{complaint}`, by the `customer` rule.
    case complaintCustomer
    /// The body's `customerId`, by the `customer` rule (checked once the body is read).
    case bodyCustomer
    /// Whom the body gives a new record to (`ownerId`, `repId`): a rep themselves, a manager
    /// their team's reps, anyone for admin and migration (checked once the body is read).
    case assignee
    /// Figures and lists cut to the caller: a rep's own, a manager's team's, everyone's for
    /// admin, finance and auditor; a named rep or team outside that is 403 `outside_scope`.
    case callerCut
    /// The CRM's own rules decide whose record it is: the approval chain, a claim by the
    /// acting rep, a release by the owner or their manager, a transfer between two reps of
    /// the manager's team, a manager deactivating their team's reps.
    case domain
}

/// Who may use one route: the roles, the scope rule, and the parts of the request (a body
/// field or a query parameter) that only some of those roles may send.
public struct AccessRule: Sendable, Hashable {
    /// The roles that may call the route at all; every other role gets 403 `forbidden`.
    public var roles: Set<AccessRole>
    /// How the route cuts records to the caller.
    public var scope: AccessScope
    /// The route needs no token (the load balancer's health check).
    public var isOpen: Bool
    /// Parts of the request only some of ``roles`` may send: a body field or query parameter
    /// name → the roles that may. Sending it from another role is 403 `forbidden`.
    public var narrower: [String: Set<AccessRole>]

    init(
        _ roles: Set<AccessRole>,
        _ scope: AccessScope = .none,
        narrower: [String: Set<AccessRole>] = [:],
        isOpen: Bool = false
    ) {
        self.roles = roles
        self.scope = scope
        self.narrower = narrower
        self.isOpen = isOpen
    }

    /// Anyone, without a token.
    static let open = AccessRule([], isOpen: true)
}

/// Who may use which operation: every operation the server answers, keyed by its
/// `operationId` in `Schemas/openapi.yaml`, with its roles and scope rule. This table is the
/// only place an operation's roles are written: ``AccessCheck`` refuses a role the rule does
/// not name with 403 `forbidden` before the handler runs, and a route with no rule is refused
/// to everyone.
public enum AccessTable {
    // MARK: - Role sets

    /// Work customers, leads and deals. Migration sends every command an admin sends.
    static let sales: Set<AccessRole> = [.admin, .manager, .salesRep, .migration]
    /// The sales roles and finance: a contract's paperwork.
    static let salesAndFinance: Set<AccessRole> = sales.union([.finance])
    /// Record money and the price list.
    static let money: Set<AccessRole> = [.admin, .finance, .migration]
    /// May be an approver; the approval chain decides whether this one is.
    static let approvers: Set<AccessRole> = [.admin, .manager, .finance, .migration]
    /// Decide approvals: what waits for them is their inbox.
    static let deciders: Set<AccessRole> = [.admin, .manager, .finance]
    /// Purchasing, goods received, shipped and returned.
    static let operations: Set<AccessRole> = [.admin, .manager, .finance, .migration]
    /// Campaigns, targets, a team's people.
    static let management: Set<AccessRole> = [.admin, .manager, .migration]
    /// The CRM's settings, users and teams, and the pool sweep.
    static let administration: Set<AccessRole> = [.admin, .migration]
    /// Read the read models (cut to the caller by the route's scope).
    static let readers: Set<AccessRole> = [.admin, .manager, .salesRep, .finance, .auditor]
    /// Company-wide figures with no rep's customers in them.
    static let overseers: Set<AccessRole> = [.admin, .manager, .finance, .auditor]
    /// The company's books.
    static let financeReaders: Set<AccessRole> = [.admin, .finance, .auditor]
    /// Cost prices, stock value and gross margin: not for reps, who quote from the price list.
    static let costReaders: Set<AccessRole> = [.admin, .manager, .finance, .auditor]
    /// A customer as it stood at a past point, and who back-dated what.
    static let historians: Set<AccessRole> = [.admin, .auditor]
    /// The raw log and its live stream.
    static let logReaders: Set<AccessRole> = [.admin, .auditor, .subscriber]
    /// A consumer group's checkpoint.
    static let consumers: Set<AccessRole> = [.admin, .subscriber]
    /// The business settings in force; migration reads them to map the history it brings.
    static let settingsReaders: Set<AccessRole> = [.admin, .manager, .salesRep, .finance, .auditor, .migration]
    /// The Prometheus scrape, unless served on the separate loopback metrics port.
    static let operators: Set<AccessRole> = [.admin, .auditor]
    /// The users and teams as the people who run them see them (a manager, their own team).
    static let peopleReaders: Set<AccessRole> = [.admin, .manager, .auditor]
    /// Who may change a customer's level (a higher level gets a longer idle limit in the pool).
    static let levelSetters: Set<AccessRole> = [.admin, .manager, .migration]

    // MARK: - The table

    /// Every operation of `Schemas/openapi.yaml`, by its `operationId`, → its rule (its route
    /// beside it, for the reader).
    public static let rules: [String: AccessRule] = [
        // Health and metrics
        "health": .open,  // GET /health
        "metrics": AccessRule(operators),  // GET /metrics
        // The log
        "readLog": AccessRule(logReaders),  // GET /v1/events
        "readStream": AccessRule(logReaders),  // GET /v1/streams/{stream}
        "subscribe": AccessRule(logReaders),  // GET /v1/subscribe
        "backdatedAppends": AccessRule(historians),  // GET /v1/audit/backdated
        "consumerGroup": AccessRule(consumers),  // GET /v1/consumers/{consumer}
        "acknowledge": AccessRule(consumers),  // PUT /v1/consumers/{consumer}/position
        // Leads
        "createLead": AccessRule(sales, .assignee),  // POST /v1/leads
        "assignLead": AccessRule(sales, .lead),  // POST /v1/leads/{lead}/assign
        "qualifyLead": AccessRule(sales, .lead),  // POST /v1/leads/{lead}/qualify
        "disqualifyLead": AccessRule(sales, .lead),  // POST /v1/leads/{lead}/disqualify
        "convertLead": AccessRule(sales, .lead),  // POST /v1/leads/{lead}/convert
        "followUpLead": AccessRule(sales, .lead),  // POST /v1/leads/{lead}/follow-ups
        "listLeads": AccessRule(readers, .callerCut),  // GET /v1/leads
        "lead": AccessRule(readers, .lead),  // GET /v1/leads/{lead}
        "leadTimeline": AccessRule(readers, .lead),  // GET /v1/leads/{lead}/timeline
        "leadConversion": AccessRule(readers, .callerCut),  // GET /v1/lead-conversion
        "listOpportunities": AccessRule(readers, .callerCut),  // GET /v1/opportunities
        "opportunity": AccessRule(readers, .opportunityCustomer),  // GET /v1/opportunities/{opportunity}
        "forecast": AccessRule(readers, .callerCut),  // GET /v1/forecast
        "pipelineCoverage": AccessRule(readers, .callerCut),  // GET /v1/pipeline-coverage
        "listQuotes": AccessRule(readers, .callerCut),  // GET /v1/quotes
        "quote": AccessRule(readers, .quoteCustomer),  // GET /v1/quotes/{quote}
        "listContracts": AccessRule(readers, .callerCut),  // GET /v1/contracts
        "contract": AccessRule(readers, .contractCustomer),  // GET /v1/contracts/{contract}
        "approvals": AccessRule(deciders),  // GET /v1/approvals
        "approvalTimings": AccessRule(overseers),  // GET /v1/approvals/timings
        "search": AccessRule(readers, .callerCut),  // GET /v1/search
        // Customers and the pool
        "createCustomer": AccessRule(sales, .assignee, narrower: ["level": levelSetters]),  // POST /v1/customers
        // PATCH /v1/customers/{customer}
        "updateCustomerProfile": AccessRule(sales, .heldCustomer, narrower: ["level": levelSetters]),
        "tagCustomer": AccessRule(sales, .heldCustomer),  // POST /v1/customers/{customer}/tags
        "addContact": AccessRule(sales, .heldCustomer),  // POST /v1/customers/{customer}/contacts
        "updateContact": AccessRule(sales, .heldCustomer),  // PATCH /v1/customers/{customer}/contacts/{contact}
        "logFollowUp": AccessRule(sales, .customer),  // POST /v1/customers/{customer}/follow-ups
        "claimCustomer": AccessRule(sales, .domain),  // POST /v1/customers/{customer}/claim
        "releaseCustomer": AccessRule(sales, .domain),  // POST /v1/customers/{customer}/release
        "transferCustomer": AccessRule(management, .customer),  // POST /v1/customers/{customer}/transfer
        "recordSurvey": AccessRule(sales, .customer),  // POST /v1/customers/{customer}/surveys
        "sweepPool": AccessRule(administration),  // POST /v1/pool/sweep
        // Deals
        "openOpportunity": AccessRule(sales, .bodyCustomer),  // POST /v1/opportunities
        "moveOpportunity": AccessRule(sales, .opportunityCustomer),  // POST /v1/opportunities/{opportunity}/stage
        "winOpportunity": AccessRule(sales, .opportunityCustomer),  // POST /v1/opportunities/{opportunity}/win
        "loseOpportunity": AccessRule(sales, .opportunityCustomer),  // POST /v1/opportunities/{opportunity}/lose
        "reopenOpportunity": AccessRule(sales, .opportunityCustomer),  // POST /v1/opportunities/{opportunity}/reopen
        "addProduct": AccessRule(money),  // POST /v1/products
        "changeProductPrice": AccessRule(money),  // POST /v1/products/{product}/price
        "createQuote": AccessRule(sales, .bodyCustomer),  // POST /v1/quotes
        "acceptQuote": AccessRule(sales, .quoteCustomer),  // POST /v1/quotes/{quote}/accept
        "rejectQuote": AccessRule(sales, .quoteCustomer),  // POST /v1/quotes/{quote}/reject
        // Contracts and money
        "draftContract": AccessRule(sales, .bodyCustomer),  // POST /v1/contracts
        "approveContract": AccessRule(approvers, .domain),  // POST /v1/contracts/{contract}/approve
        "rejectContract": AccessRule(approvers, .domain),  // POST /v1/contracts/{contract}/reject
        // POST /v1/contracts/{contract}/instalments
        "scheduleInstalments": AccessRule(salesAndFinance, .contractCustomer),
        "recordPayment": AccessRule(money),  // POST /v1/contracts/{contract}/payments
        "requestInvoice": AccessRule(salesAndFinance, .contractCustomer),  // POST /v1/contracts/{contract}/invoices
        "issueInvoice": AccessRule(money),  // POST /v1/contracts/{contract}/invoices/{invoice}/issue
        "requestRefund": AccessRule(salesAndFinance, .contractCustomer),  // POST /v1/contracts/{contract}/refunds
        "approveRefund": AccessRule(approvers, .domain),  // POST /v1/contracts/{contract}/refunds/{refund}/approve
        "rejectRefund": AccessRule(approvers, .domain),  // POST /v1/contracts/{contract}/refunds/{refund}/reject
        // POST /v1/contracts/{contract}/refunds/{refund}/goods-returned
        "receiveReturnedGoods": AccessRule(operations, .contractCustomer),
        "payRefund": AccessRule(money),  // POST /v1/contracts/{contract}/refunds/{refund}/pay
        "shipGoods": AccessRule(operations, .contractCustomer),  // POST /v1/contracts/{contract}/shipments
        // Purchasing and expenses
        "addSupplier": AccessRule(operations),  // POST /v1/suppliers
        "orderFromSupplier": AccessRule(operations),  // POST /v1/suppliers/{supplier}/purchase-orders
        "receiveGoods": AccessRule(operations),  // POST /v1/purchase-orders/{order}/receipts
        "receiveSupplierBill": AccessRule(money),  // POST /v1/suppliers/{supplier}/bills
        "paySupplier": AccessRule(money),  // POST /v1/suppliers/{supplier}/bills/{bill}/payments
        "recordExpense": AccessRule(money),  // POST /v1/expenses
        // Marketing and targets
        "launchCampaign": AccessRule(management),  // POST /v1/campaigns
        "recordCampaignResponse": AccessRule(sales, .bodyCustomer),  // POST /v1/campaigns/{campaign}/responses
        "setSalesTarget": AccessRule(management, .callerCut),  // POST /v1/sales-targets
        // After-sales service
        "openWorkOrder": AccessRule(sales, .bodyCustomer),  // POST /v1/work-orders
        "assignWorkOrder": AccessRule(sales, .workOrderCustomer),  // POST /v1/work-orders/{workOrder}/assign
        "resolveWorkOrder": AccessRule(sales, .workOrderCustomer),  // POST /v1/work-orders/{workOrder}/resolve
        "closeWorkOrder": AccessRule(sales, .workOrderCustomer),  // POST /v1/work-orders/{workOrder}/close
        "fileComplaint": AccessRule(sales, .bodyCustomer),  // POST /v1/complaints
        "resolveComplaint": AccessRule(sales, .complaintCustomer),  // POST /v1/complaints/{complaint}/resolve
        // Settings
        "poolRules": AccessRule(settingsReaders),  // GET /v1/settings/pool-rules
        "configurePoolRules": AccessRule(administration),  // PUT /v1/settings/pool-rules
        "pipeline": AccessRule(settingsReaders),  // GET /v1/settings/pipeline
        "configurePipeline": AccessRule(administration),  // PUT /v1/settings/pipeline
        "approvalPolicy": AccessRule(settingsReaders),  // GET /v1/settings/approval-policy
        "leadPriority": AccessRule(settingsReaders),  // GET /v1/settings/lead-priority
        "configureLeadPriority": AccessRule(administration),  // PUT /v1/settings/lead-priority
        "configureApprovalPolicy": AccessRule(administration),  // PUT /v1/settings/approval-policy
        "commissionRate": AccessRule(settingsReaders),  // GET /v1/settings/commission-rate
        "configureCommissionRate": AccessRule(administration),  // PUT /v1/settings/commission-rate
        // Users and teams
        "createTeam": AccessRule(administration),  // POST /v1/teams
        "addUser": AccessRule(administration),  // POST /v1/users
        "moveUser": AccessRule(administration),  // POST /v1/users/{user}/team
        "changeRole": AccessRule(administration),  // POST /v1/users/{user}/role
        "deactivateUser": AccessRule(management, .domain),  // POST /v1/users/{user}/deactivate
        "listUsers": AccessRule(peopleReaders, .callerCut),  // GET /v1/users
        "user": AccessRule(peopleReaders, .callerCut),  // GET /v1/users/{user}
        "listTeams": AccessRule(peopleReaders, .callerCut),  // GET /v1/teams
        // Customers read
        "listCustomers": AccessRule(readers, .callerCut),  // GET /v1/customers
        // GET /v1/customers/{customer}
        "customer360": AccessRule(readers, .customer, narrower: ["asOf": historians, "basis": historians]),
        "customerTimeline": AccessRule(readers, .customer),  // GET /v1/customers/{customer}/timeline
        "customerSegment": AccessRule(readers, .customer),  // GET /v1/customers/{customer}/segment
        "reminders": AccessRule(readers, .callerCut),  // GET /v1/reminders
        "segments": AccessRule(overseers),  // GET /v1/segments
        "campaigns": AccessRule(readers),  // GET /v1/campaigns
        "campaign": AccessRule(readers),  // GET /v1/campaigns/{campaign}
        // Sales reports
        "funnel": AccessRule(readers, .callerCut),  // GET /v1/funnel
        "repActivity": AccessRule(readers, .callerCut),  // GET /v1/activity
        "teamActivity": AccessRule(overseers, .callerCut),  // GET /v1/activity/team
        "sales": AccessRule(readers, .callerCut),  // GET /v1/sales
        "salesTargets": AccessRule(readers, .callerCut),  // GET /v1/sales/targets
        "churnLosses": AccessRule(overseers),  // GET /v1/churn/losses
        "churnReasons": AccessRule(overseers),  // GET /v1/churn/reasons
        "churnWinBacks": AccessRule(overseers),  // GET /v1/churn/win-backs
        "customerFlow": AccessRule(overseers),  // GET /v1/churn/customer-flow
        // Money read
        "receivablesAging": AccessRule(readers, .callerCut),  // GET /v1/receivables/aging
        "contractReceivables": AccessRule(readers, .contractCustomer),  // GET /v1/receivables/contracts/{contract}
        "customerReceivables": AccessRule(readers, .customer),  // GET /v1/receivables/customers/{customer}
        "receipts": AccessRule(financeReaders),  // GET /v1/finance/receipts
        "expenses": AccessRule(financeReaders),  // GET /v1/finance/expenses
        "payables": AccessRule(financeReaders),  // GET /v1/finance/payables
        "supplierPayables": AccessRule(financeReaders),  // GET /v1/finance/payables/{supplier}
        "commission": AccessRule(readers, .callerCut),  // GET /v1/finance/commission
        // Service read
        "serviceStatistics": AccessRule(overseers),  // GET /v1/service/statistics
        "serviceMonths": AccessRule(overseers),  // GET /v1/service/months
        "serviceReps": AccessRule(readers, .callerCut),  // GET /v1/service/reps
        "serviceOpen": AccessRule(readers, .callerCut),  // GET /v1/service/open
        // Stock: cost prices and margin
        "products": AccessRule(costReaders),  // GET /v1/stock/products
        "product": AccessRule(costReaders),  // GET /v1/stock/products/{product}
        "margin": AccessRule(costReaders),  // GET /v1/stock/margin
    ]

    /// The rule of the route `method path` (`path` with `{parameter}`s), `nil` for none.
    public static func rule(method: String, path: String) -> AccessRule? {
        operation(method: method, path: path).flatMap { rules[$0] }
    }

    /// The `operationId` of the route `method path`, `nil` for none.
    static func operation(method: String, path: String) -> String? {
        APIOperations.byRoute[method + " " + path]
    }

    /// The route of the operation `operationId`, `METHOD /path/{parameter}`.
    public static func route(of operationId: String) -> String? {
        routes[operationId]
    }

    private static let routes = Dictionary(uniqueKeysWithValues: APIOperations.byRoute.map { ($1, $0) })
}
