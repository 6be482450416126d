import CRMDomain
public import Projections

/// Questions to the receivables read model: a contract's, a customer's and everyone's
/// position on any day, worked out from the stored history when asked.
///
/// Every `asOf` is a business day written `yyyy-mm-dd` and means the end of that day.
public struct ReceivablesQueries: Sendable {
    /// The store the read model lives in.
    public let store: ReadModelStore

    /// Queries against `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    private var name: String { ReceivablesProjector.name }

    /// One contract's plan, payments, invoices, refunds and figures as of a day.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for an empty id or a
    ///   malformed day; `not_found` when no such contract had been drafted by then.
    public func contract(id: String, asOf: String) throws -> ContractReceivables {
        guard !id.isEmpty else { throw ReadModelQueryError.invalid("id", "a contract id is required") }
        let day = try FinanceDay.parse(asOf, parameter: "asOf")
        guard let row = try store.row(ReceivableContractRow.self, projector: name, table: "contracts", key: id),
            let receivables = row.receivables(asOf: day)
        else {
            throw ReadModelQueryError(.notFound, "no contract \(id) had been drafted by \(asOf)", parameter: "id")
        }
        return receivables
    }

    /// One customer's receivables as of a day: per currency, and per contract drafted by then.
    /// A customer without contracts owes nothing: its answer is empty, not refused.
    ///
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for an empty id or a
    ///   malformed day.
    public func customer(id: String, asOf: String) throws -> CustomerReceivables {
        guard !id.isEmpty else { throw ReadModelQueryError.invalid("id", "a customer id is required") }
        let day = try FinanceDay.parse(asOf, parameter: "asOf")
        var contracts: [ContractReceivablesSummary] = []
        var currencies: [String: ReceivablesFigures] = [:]
        for contract in try receivables(linkedIn: "customer-contracts", to: id, asOf: day) {
            contracts.append(
                ContractReceivablesSummary(
                    contractID: contract.contractID,
                    ownerID: contract.ownerID,
                    status: contract.status,
                    amount: contract.amount,
                    figures: contract.figures
                )
            )
            guard contract.status == .binding else { continue }
            currencies[contract.figures.currency, default: ReceivablesFigures(currency: contract.figures.currency)].add(
                contract.figures
            )
        }
        return CustomerReceivables(
            customerID: id,
            asOf: day.description,
            currencies: currencies.keys.sorted().map { currencies[$0]! },
            contracts: contracts
        )
    }

    /// The aging of every contract, or of one owner's, as of a day: per currency the figures
    /// of all binding contracts, and the `top` customers with the most overdue.
    ///
    /// - Parameters:
    ///   - owner: a rep's user id, to see only the contracts they own (a contract's owner is
    ///     set when it is drafted; a later transfer of the customer does not move it).
    ///   - top: how many overdue customers to list per currency, 1-1000.
    /// - Throws: ``ReadModelQueryError`` `invalid_query_parameter` for a malformed day, an empty
    ///   owner or `top` out of range.
    public func aging(asOf: String, owner: String? = nil, top: Int = 10) throws -> AgingReport {
        let day = try FinanceDay.parse(asOf, parameter: "asOf")
        if let owner, owner.isEmpty {
            throw ReadModelQueryError.invalid("owner", "an owner is a user id; leave it out for every owner")
        }
        guard (1...1_000).contains(top) else {
            throw ReadModelQueryError.invalid("top", "top is 1 to 1000, not \(top)")
        }

        var totals: [String: ReceivablesFigures] = [:]
        var customers: [String: [String: OverdueCustomer]] = [:]
        func count(_ contract: ReceivableContractRow) {
            guard let standing = contract.standing(asOf: day), standing.status == .binding else { return }
            let currency = standing.figures.currency
            totals[currency, default: ReceivablesFigures(currency: currency)].add(standing.figures)
            guard standing.figures.outstanding > 0 else { return }
            customers[currency, default: [:]][
                contract.customerID,
                default: OverdueCustomer(
                    customerID: contract.customerID,
                    overdue: 0,
                    outstanding: 0,
                    oldestDaysOverdue: 0,
                    buckets: AgingBuckets()
                )
            ].add(standing.figures, oldestDaysOverdue: standing.mostDaysOverdue ?? 0)
        }
        if let owner {
            try contracts(linkedIn: "owner-contracts", to: owner).forEach(count)
        } else {
            // Contracts settled by then are in the per-day sums; only the ledgers of those settled
            // later or still open are read, one at a time, all from one commit so that none is
            // counted twice or missed.
            try store.snapshot(of: name) { (rows) throws(ProjectionError) in
                try rows.forEachRow(SettledDayRow.self, table: "settled") { _, settled in
                    guard settled.day <= day.number else { return true }
                    let currency = settled.figures.currency
                    totals[currency, default: ReceivablesFigures(currency: currency)].add(settled.figures)
                    return true
                }
                let settledBy = SortableKey.hex(Int64(day.number)) + "}"
                try rows.forEachRow(
                    AgingLedgerRow.self,
                    table: "aging",
                    after: settledBy,
                    where: { key in  // one drafted later has no standing yet
                        (ReceivablesProjector.draftedDay(inAgingKey: key) ?? .min) <= day.number
                    }
                ) { (key, ledger) throws(ProjectionError) in
                    count(try ledger.contract(key: key))
                    return true
                }
            }
        }
        return AgingReport(
            asOf: day.description,
            owner: owner,
            currencies: totals.keys.sorted().map { currency in
                let ranked = (customers[currency] ?? [:]).values.filter { $0.overdue > 0 }
                    .sorted { ($1.overdue, $0.customerID) < ($0.overdue, $1.customerID) }
                return CurrencyAging(figures: totals[currency]!, topOverdueCustomers: Array(ranked.prefix(top)))
            }
        )
    }

    /// The contracts listed under `id` in the index `table`, as of `day`, in contract-id order.
    private func receivables(
        linkedIn table: String,
        to id: String,
        asOf day: BusinessDay
    ) throws -> [ContractReceivables] {
        try contracts(linkedIn: table, to: id).compactMap { $0.receivables(asOf: day) }
    }

    /// The rows of the contracts listed under `id` in the index `table`, in contract-id order.
    private func contracts(linkedIn table: String, to id: String) throws -> [ReceivableContractRow] {
        try store.rows(ReceivableLinkRow.self, projector: name, table: table, prefix: FinanceKey.prefix(id)).compactMap
        { link in
            try store.row(ReceivableContractRow.self, projector: name, table: "contracts", key: link.row.contractID)
        }
    }
}

extension OverdueCustomer {
    fileprivate mutating func add(_ figures: ReceivablesFigures, oldestDaysOverdue oldest: Int) {
        overdue.saturatingIncrement(by: figures.overdue)
        outstanding.saturatingIncrement(by: figures.outstanding)
        buckets.add(figures.buckets)
        oldestDaysOverdue = max(oldestDaysOverdue, oldest)
    }
}
