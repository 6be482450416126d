import CRMReadModels
import Hummingbird

/// Money: receivables as of any day, receipts, expenses, payables and commission.
///
/// Receivables and commission are cut by rep (a rep sees their own, a manager their team's);
/// receipts, expenses and payables are the company's books: admins, finance and auditors only.
extension QueryRoutes {
    func addFinance(to router: some RouterMethods<RapportRequestContext>) {
        router.get("v1/receivables/aging", use: aging)
        router.get("v1/receivables/contracts/:contract", use: contractReceivables)
        router.get("v1/receivables/customers/:customer", use: customerReceivables)
        let books = FinanceQueries(store: store)
        // `?period=`: customer payments received in a month, quarter or year, by method, clerk
        // and month.
        router.get("v1/finance/receipts", use: periodReport { try books.receipts(period: $0) })
        // `?period=`: expenses by category, item, month and clerk.
        router.get("v1/finance/expenses", use: periodReport { try books.expenses(period: $0) })
        router.get("v1/finance/payables", use: payables)
        router.get("v1/finance/payables/:supplier", use: supplierPayables)
        router.get("v1/finance/commission", use: commission)
    }

    // MARK: - Receivables

    /// `GET /v1/receivables/aging?asOf=yyyy-mm-dd&owner=&top=`: receivables and overdue
    /// buckets per currency as of the end of a business day. Every owner's for admins, finance
    /// and auditors (or the `owner` named); a rep's own; a manager names a rep of their team.
    @Sendable func aging(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let query = QueryParameters(request)
        let asOf = try query.required("asOf", "yyyy-mm-dd")
        let owner = try scope.repOrEveryone(principal, asked: try query.optional("owner"), parameter: "owner")
        let report = try ReceivablesQueries(store: store).aging(
            asOf: asOf,
            owner: owner,
            top: try query.integer("top", in: 1...1_000, default: 10)
        )
        return try .encoded(report)
    }

    /// `GET /v1/receivables/contracts/{contract}?asOf=yyyy-mm-dd`: one contract's plan,
    /// payments, invoices, refunds and figures as of the end of a business day, for whoever
    /// may see the contract's owner or its customer; 404 `not_found` when no such contract had
    /// been drafted by then.
    @Sendable func contractReceivables(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let id = try context.parameters.require("contract")
        let contract = try ReceivablesQueries(store: store).contract(
            id: id,
            asOf: try QueryParameters(request).required("asOf", "yyyy-mm-dd")
        )
        if try !scope.allows(principal, owner: contract.ownerID) {
            // The customer's owner now sees the contracts another rep drafted before it moved.
            let customer = try customers.view(customerID: contract.customerID)
            let owner = customer.map { $0.inPool ? nil : $0.owner } ?? contract.ownerID
            try scope.require(principal, owner: owner, customer: contract.customerID)
        }
        return try .encoded(contract)
    }

    /// `GET /v1/receivables/customers/{customer}?asOf=yyyy-mm-dd`: one customer's receivables
    /// per currency and per contract as of the end of a business day, within the caller's
    /// customers.
    @Sendable func customerReceivables(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let customer = try visibleCustomer(context)
        let asOf = try QueryParameters(request).required("asOf", "yyyy-mm-dd")
        return try .encoded(try ReceivablesQueries(store: store).customer(id: customer.customerID, asOf: asOf))
    }

    // MARK: - The company's books

    /// `GET /v1/finance/payables?outstanding=&after=&limit=`: what is owed to each supplier per
    /// currency, by supplier, a page at a time (`next` is `supplier:currency`);
    /// `outstanding=true` keeps the suppliers still owed something.
    @Sendable func payables(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        let query = QueryParameters(request)
        var all = try FinanceQueries(store: store).payables()
        if try query.optional("outstanding", as: Bool.self) == true { all = all.filter { $0.outstanding != 0 } }
        let (after, limit) = try query.page()
        return try .encoded(
            try ListPage("suppliers", all, key: { "\($0.supplierID):\($0.currency)" }, after: after, limit: limit)
        )
    }

    /// `GET /v1/finance/payables/{supplier}`: one supplier's payables per currency and bills;
    /// 404 `not_found` for a supplier the read model does not know.
    @Sendable func supplierPayables(_ request: Request, context: RapportRequestContext) async throws -> Response {
        _ = try context.caller()
        return try .encoded(
            try FinanceQueries(store: store).payables(supplier: try context.parameters.require("supplier"))
        )
    }

    // MARK: - Commission

    /// `GET /v1/finance/commission?period=&rep=`: commission per rep per month, with each
    /// rep's sums and the totals. Every rep's for admins, finance and auditors (or the `rep`
    /// named); a rep's own; a manager names a rep of their team.
    @Sendable func commission(_ request: Request, context: RapportRequestContext) async throws -> Response {
        let principal = try context.caller()
        let query = QueryParameters(request)
        let rep = try scope.repOrEveryone(principal, asked: try query.optional("rep"), parameter: "rep")
        return try .encoded(try FinanceQueries(store: store).commission(period: try query.period(), rep: rep))
    }
}
