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

/// Who may use which route: every route the server answers, keyed `METHOD /path/{parameter}`
/// as ``RapportServer/routes(log:readModels:tokens:idempotency:)`` lists them, with its roles
/// and scope rule. This table is the only place a route's roles are written: ``AccessCheck``
/// refuses a role the rule does not name with 403 `forbidden` before the handler runs, and
/// a route missing from the table is refused to everyone.
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
    /// Who may change a customer's level (a higher level gets a longer idle limit in the pool).
    static let levelSetters: Set<AccessRole> = [.admin, .manager, .migration]

    // MARK: - The table

    /// Every route, `METHOD /path/{parameter}` → its rule.
    public static let rules: [String: AccessRule] = [
        // Health and metrics
        "GET /health": .open,
        "GET /metrics": AccessRule(operators),
        // The log
        "GET /v1/events": AccessRule(logReaders),
        "GET /v1/streams/{stream}": AccessRule(logReaders),
        "GET /v1/subscribe": AccessRule(logReaders),
        "GET /v1/audit/backdated": AccessRule(historians),
        "GET /v1/consumers/{consumer}": AccessRule(consumers),
        "PUT /v1/consumers/{consumer}/position": AccessRule(consumers),
        // Leads
        "POST /v1/leads": AccessRule(sales, .assignee),
        "POST /v1/leads/{lead}/assign": AccessRule(sales, .lead),
        "POST /v1/leads/{lead}/qualify": AccessRule(sales, .lead),
        "POST /v1/leads/{lead}/disqualify": AccessRule(sales, .lead),
        "POST /v1/leads/{lead}/convert": AccessRule(sales, .lead),
        // Customers and the pool
        "POST /v1/customers": AccessRule(sales, .assignee, narrower: ["level": levelSetters]),
        "PATCH /v1/customers/{customer}": AccessRule(sales, .heldCustomer, narrower: ["level": levelSetters]),
        "POST /v1/customers/{customer}/tags": AccessRule(sales, .heldCustomer),
        "POST /v1/customers/{customer}/contacts": AccessRule(sales, .heldCustomer),
        "PATCH /v1/customers/{customer}/contacts/{contact}": AccessRule(sales, .heldCustomer),
        "POST /v1/customers/{customer}/follow-ups": AccessRule(sales, .customer),
        "POST /v1/customers/{customer}/claim": AccessRule(sales, .domain),
        "POST /v1/customers/{customer}/release": AccessRule(sales, .domain),
        "POST /v1/customers/{customer}/transfer": AccessRule(management, .customer),
        "POST /v1/customers/{customer}/surveys": AccessRule(sales, .customer),
        "POST /v1/pool/sweep": AccessRule(administration),
        // Deals
        "POST /v1/opportunities": AccessRule(sales, .bodyCustomer),
        "POST /v1/opportunities/{opportunity}/stage": AccessRule(sales, .opportunityCustomer),
        "POST /v1/opportunities/{opportunity}/win": AccessRule(sales, .opportunityCustomer),
        "POST /v1/opportunities/{opportunity}/lose": AccessRule(sales, .opportunityCustomer),
        "POST /v1/opportunities/{opportunity}/reopen": AccessRule(sales, .opportunityCustomer),
        "POST /v1/products": AccessRule(money),
        "POST /v1/products/{product}/price": AccessRule(money),
        "POST /v1/quotes": AccessRule(sales, .bodyCustomer),
        "POST /v1/quotes/{quote}/accept": AccessRule(sales, .quoteCustomer),
        "POST /v1/quotes/{quote}/reject": AccessRule(sales, .quoteCustomer),
        // Contracts and money
        "POST /v1/contracts": AccessRule(sales, .bodyCustomer),
        "POST /v1/contracts/{contract}/approve": AccessRule(approvers, .domain),
        "POST /v1/contracts/{contract}/reject": AccessRule(approvers, .domain),
        "POST /v1/contracts/{contract}/instalments": AccessRule(salesAndFinance, .contractCustomer),
        "POST /v1/contracts/{contract}/payments": AccessRule(money),
        "POST /v1/contracts/{contract}/invoices": AccessRule(salesAndFinance, .contractCustomer),
        "POST /v1/contracts/{contract}/invoices/{invoice}/issue": AccessRule(money),
        "POST /v1/contracts/{contract}/refunds": AccessRule(salesAndFinance, .contractCustomer),
        "POST /v1/contracts/{contract}/refunds/{refund}/approve": AccessRule(approvers, .domain),
        "POST /v1/contracts/{contract}/refunds/{refund}/reject": AccessRule(approvers, .domain),
        "POST /v1/contracts/{contract}/refunds/{refund}/goods-returned": AccessRule(operations, .contractCustomer),
        "POST /v1/contracts/{contract}/refunds/{refund}/pay": AccessRule(money),
        "POST /v1/contracts/{contract}/shipments": AccessRule(operations, .contractCustomer),
        // Purchasing and expenses
        "POST /v1/suppliers": AccessRule(operations),
        "POST /v1/suppliers/{supplier}/purchase-orders": AccessRule(operations),
        "POST /v1/purchase-orders/{order}/receipts": AccessRule(operations),
        "POST /v1/suppliers/{supplier}/bills": AccessRule(money),
        "POST /v1/suppliers/{supplier}/bills/{bill}/payments": AccessRule(money),
        "POST /v1/expenses": AccessRule(money),
        // Marketing and targets
        "POST /v1/campaigns": AccessRule(management),
        "POST /v1/campaigns/{campaign}/responses": AccessRule(sales, .bodyCustomer),
        "POST /v1/sales-targets": AccessRule(management, .callerCut),
        // After-sales service
        "POST /v1/work-orders": AccessRule(sales, .bodyCustomer),
        "POST /v1/work-orders/{workOrder}/assign": AccessRule(sales, .workOrderCustomer),
        "POST /v1/work-orders/{workOrder}/resolve": AccessRule(sales, .workOrderCustomer),
        "POST /v1/work-orders/{workOrder}/close": AccessRule(sales, .workOrderCustomer),
        "POST /v1/complaints": AccessRule(sales, .bodyCustomer),
        "POST /v1/complaints/{complaint}/resolve": AccessRule(sales, .complaintCustomer),
        // Settings
        "GET /v1/settings/pool-rules": AccessRule(settingsReaders),
        "PUT /v1/settings/pool-rules": AccessRule(administration),
        "GET /v1/settings/pipeline": AccessRule(settingsReaders),
        "PUT /v1/settings/pipeline": AccessRule(administration),
        "GET /v1/settings/approval-policy": AccessRule(settingsReaders),
        "PUT /v1/settings/approval-policy": AccessRule(administration),
        "GET /v1/settings/commission-rate": AccessRule(settingsReaders),
        "PUT /v1/settings/commission-rate": AccessRule(administration),
        // Users and teams
        "POST /v1/teams": AccessRule(administration),
        "POST /v1/users": AccessRule(administration),
        "POST /v1/users/{user}/team": AccessRule(administration),
        "POST /v1/users/{user}/role": AccessRule(administration),
        "POST /v1/users/{user}/deactivate": AccessRule(management, .domain),
        // Customers read
        "GET /v1/customers": AccessRule(readers, .callerCut),
        "GET /v1/customers/{customer}": AccessRule(
            readers,
            .customer,
            narrower: ["asOf": historians, "basis": historians]
        ),
        "GET /v1/customers/{customer}/timeline": AccessRule(readers, .customer),
        "GET /v1/customers/{customer}/segment": AccessRule(readers, .customer),
        "GET /v1/reminders": AccessRule(readers, .callerCut),
        "GET /v1/segments": AccessRule(overseers),
        "GET /v1/campaigns": AccessRule(readers),
        "GET /v1/campaigns/{campaign}": AccessRule(readers),
        // Sales reports
        "GET /v1/funnel": AccessRule(readers, .callerCut),
        "GET /v1/activity": AccessRule(readers, .callerCut),
        "GET /v1/activity/team": AccessRule(overseers, .callerCut),
        "GET /v1/sales": AccessRule(readers, .callerCut),
        "GET /v1/sales/targets": AccessRule(readers, .callerCut),
        "GET /v1/churn/losses": AccessRule(overseers),
        "GET /v1/churn/reasons": AccessRule(overseers),
        "GET /v1/churn/win-backs": AccessRule(overseers),
        "GET /v1/churn/customer-flow": AccessRule(overseers),
        // Money read
        "GET /v1/receivables/aging": AccessRule(readers, .callerCut),
        "GET /v1/receivables/contracts/{contract}": AccessRule(readers, .contractCustomer),
        "GET /v1/receivables/customers/{customer}": AccessRule(readers, .customer),
        "GET /v1/finance/receipts": AccessRule(financeReaders),
        "GET /v1/finance/expenses": AccessRule(financeReaders),
        "GET /v1/finance/payables": AccessRule(financeReaders),
        "GET /v1/finance/payables/{supplier}": AccessRule(financeReaders),
        "GET /v1/finance/commission": AccessRule(readers, .callerCut),
        // Service read
        "GET /v1/service/statistics": AccessRule(overseers),
        "GET /v1/service/months": AccessRule(overseers),
        "GET /v1/service/reps": AccessRule(readers, .callerCut),
        "GET /v1/service/open": AccessRule(readers, .callerCut),
        // Stock: cost prices and margin
        "GET /v1/stock/products": AccessRule(costReaders),
        "GET /v1/stock/products/{product}": AccessRule(costReaders),
        "GET /v1/stock/margin": AccessRule(costReaders),
    ]

    /// The rule of the route `method path` (`path` with `{parameter}`s), `nil` for none.
    public static func rule(method: String, path: String) -> AccessRule? {
        rules[method + " " + path]
    }
}
