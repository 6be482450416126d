import CRMReadModels
import RapportAPI

/// Money: receivables as of any day, receipts, expenses, payables and commission.
///
/// Receivables and commission are cut by rep (a rep sees their own, a manager their team's);
/// receipts, expenses and payables are the company's books: admins, finance and auditors only.
extension APIHandler {
    private var receivables: ReceivablesQueries { ReceivablesQueries(store: reads) }
    private var books: FinanceQueries { FinanceQueries(store: reads) }

    // MARK: - Receivables

    /// Receivables and overdue buckets per currency as of the end of a business day. Every
    /// owner's for admins, finance and auditors (or the `owner` named); a rep's own; a manager
    /// names a rep of their team.
    func receivablesAging(_ input: Operations.ReceivablesAging.Input) async throws -> Operations.ReceivablesAging.Output
    {
        let query = input.query
        // Any text names an owner but a `|` or a NUL, which would reach into other keys' rows.
        if let owner = query.owner, owner.isEmpty || owner.utf8.contains(where: { $0 == 0 || $0 == UInt8(ascii: "|") })
        {
            throw APIError.badRequest(.invalidQueryParameter, "owner is text without | or NUL", parameter: "owner")
        }
        let owner = try scope.repOrEveryone(try caller, asked: query.owner, parameter: "owner")
        let report = try receivables.aging(asOf: query.asOf, owner: owner, top: query.top ?? 10)
        return .ok(.init(body: .json(try answer(report))))
    }

    /// One contract's plan, payments, invoices, refunds and figures as of the end of a
    /// business day, for whoever may see the contract's owner or its customer; 404 `not_found`
    /// when no such contract had been drafted by then.
    func contractReceivables(
        _ input: Operations.ContractReceivables.Input
    ) async throws -> Operations.ContractReceivables.Output {
        let principal = try caller
        let contract = try receivables.contract(id: input.path.contract, asOf: input.query.asOf)
        if try !scope.allows(principal, owner: contract.ownerID) {
            // The customer's owner now sees the contracts another rep drafted before it moved.
            let customer = try customerViews.view(customerID: contract.customerID)
            let owner = customer.map { $0.inPool ? nil : $0.owner } ?? contract.ownerID
            try scope.require(principal, owner: owner, customer: contract.customerID)
        }
        return .ok(.init(body: .json(try answer(contract))))
    }

    /// One customer's receivables per currency and per contract as of the end of a business
    /// day, within the caller's customers.
    func customerReceivables(
        _ input: Operations.CustomerReceivables.Input
    ) async throws -> Operations.CustomerReceivables.Output {
        let customer = try visibleCustomer(input.path.customer)
        return .ok(
            .init(body: .json(try answer(receivables.customer(id: customer.customerID, asOf: input.query.asOf))))
        )
    }

    // MARK: - The company's books

    /// Customer payments received in a period, by method, clerk and month.
    func receipts(_ input: Operations.Receipts.Input) async throws -> Operations.Receipts.Output {
        .ok(.init(body: .json(try answer(books.receipts(period: input.query.period)))))
    }

    /// Expenses in a period by category, item, month and clerk.
    func expenses(_ input: Operations.Expenses.Input) async throws -> Operations.Expenses.Output {
        .ok(.init(body: .json(try answer(books.expenses(period: input.query.period)))))
    }

    /// What is owed to each supplier per currency, by supplier, a page at a time (`next` is
    /// `supplier:currency`); `outstanding=true` keeps the suppliers still owed something.
    func payables(_ input: Operations.Payables.Input) async throws -> Operations.Payables.Output {
        let query = input.query
        var all = try books.payables()
        if query.outstanding == true { all = all.filter { $0.outstanding != 0 } }
        let page = try ListPage(all, key: { "\($0.supplierID):\($0.currency)" }, after: query.after, limit: query.limit)
        return .ok(.init(body: .json(.init(suppliers: try answer(page.items), next: page.next))))
    }

    /// One supplier's payables per currency and bills; 404 `not_found` for a supplier the
    /// read model does not know.
    func supplierPayables(_ input: Operations.SupplierPayables.Input) async throws -> Operations.SupplierPayables.Output
    {
        .ok(.init(body: .json(try answer(books.payables(supplier: input.path.supplier)))))
    }

    // MARK: - Commission

    /// Commission per rep per month, with each rep's sums and the totals. Every rep's for
    /// admins, finance and auditors (or the `rep` named); a rep's own; a manager names a rep
    /// of their team.
    func commission(_ input: Operations.Commission.Input) async throws -> Operations.Commission.Output {
        let rep = try scope.repOrEveryone(try caller, asked: input.query.rep, parameter: "rep")
        return .ok(.init(body: .json(try answer(books.commission(period: input.query.period, rep: rep)))))
    }
}
