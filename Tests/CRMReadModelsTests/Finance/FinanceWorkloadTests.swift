import CRMReadModels
import CRMWorkload
import EventStore
import Foundation
import Projections
import RapportTestSupport
import Testing

/// The five finance read models over a small generated history: they build without error, hold
/// plausible figures, agree with themselves (every breakdown adds up to its total) and with each
/// other (receipts, collections and signed amounts seen by different read models match).
@Suite("Finance read models over a generated history")
struct FinanceWorkloadTests {
    struct Built {
        /// Holds the log and the read models; removed when the test lets go of it.
        let directory: TemporaryDirectory
        let store: ReadModelStore
        let days: [BusinessDay]
        let years: [String]
        let events: Int
    }

    /// 600 customers, 8 reps in 2 teams, 240 days from 2024-11-01.
    static func build() async throws -> Built {
        var options = WorkloadOptions()
        (options.customers, options.reps, options.teams, options.days) = (600, 8, 2, 240)
        let directory = TemporaryDirectory("finance-workload")
        let log = try openTestLog(directory)
        let summary = try await WorkloadGenerator(options: options, log: log).run()
        let times = try log.readAll(from: 1).map(\.occurredAt)
        let (first, last) = (BusinessDay(times.min()!), BusinessDay(times.max()!))
        let store = try ReadModelStore(directory: directory.path + "/read-models")
        try await ProjectionBuilder.build(
            [
                ReceivablesProjector.self, SalesProjector.self, FinanceProjector.self, ServiceProjector.self,
                StockProjector.self,
            ],
            log: log,
            decoder: CRMProjections.decoder,
            into: store
        )
        await log.close()
        let days = [first.adding(days: 30), first.adding(days: 75), last, last.adding(days: 200)]
        return Built(
            directory: directory,
            store: store,
            days: days,
            years: Array(Set([first.year, last.year])).sorted(),
            events: summary.events
        )
    }

    @Test(
        "Receivables on several days: buckets add up to what is outstanding, contracts to owners' and everyone's totals"
    )
    func receivables() async throws {
        let built = try await Self.build()
        let queries = ReceivablesQueries(store: built.store)
        let contractIDs = try built.store.contents(of: ReceivablesProjector.name).filter { $0.table == "contracts" }
            .map(\.key)
        #expect(contractIDs.count > 50, "\(contractIDs.count) contracts in \(built.events) events")
        // Every 16th day over the history and after it: contracts settle and open all along.
        let days = stride(from: built.days[0].number - 40, through: built.days[3].number, by: 16).map {
            BusinessDay(number: $0).description
        }
        for day in days {
            let aging = try queries.aging(asOf: day, top: 1_000)
            var summed: [String: ReceivablesFigures] = [:]
            var overdue: [String: Int64] = [:]
            var owners: Set<String> = []
            for id in contractIDs {
                let contract: ContractReceivables
                do {
                    contract = try queries.contract(id: id, asOf: day)
                } catch let error as ReadModelQueryError where error.code == .notFound {
                    continue  // drafted later
                }
                owners.insert(contract.ownerID)
                let f = contract.figures
                #expect(
                    f.buckets.total == f.outstanding && f.outstanding == f.scheduled - f.collected,
                    "\(id) on \(day)"
                )
                #expect(f.received == f.collected + f.credit && f.balance == f.outstanding + f.unscheduled - f.credit)
                #expect(f.outstanding >= 0 && f.unscheduled >= 0 && f.refunded <= f.collected)
                guard contract.status == .binding else { continue }
                summed[f.currency, default: ReceivablesFigures(currency: f.currency)].add(f)
                if f.overdue > 0 { overdue[contract.customerID, default: 0] += f.overdue }
            }
            #expect(
                aging.currencies.map(\.figures) == summed.keys.sorted().map { summed[$0]! },
                "aging on \(day) is the sum of its contracts"
            )
            let listed = aging.currencies.flatMap(\.topOverdueCustomers)
            #expect(
                Dictionary(listed.map { ($0.customerID, $0.overdue) }, uniquingKeysWith: +) == overdue,
                "every customer with money overdue on \(day) is listed with it"
            )
            for currency in aging.currencies {
                let f = currency.figures
                #expect(f.buckets.total == f.outstanding && f.buckets.overdue == f.overdue)
                #expect(
                    currency.topOverdueCustomers.reduce(0) { $0 + $1.overdue } == f.overdue,
                    "every overdue customer is listed"
                )
                #expect(
                    zip(currency.topOverdueCustomers, currency.topOverdueCustomers.dropFirst()).allSatisfy {
                        $0.overdue >= $1.overdue
                    }
                )
            }
            // The owners' agings add up to everyone's.
            var byOwners: [String: ReceivablesFigures] = [:]
            for owner in owners {
                for currency in try queries.aging(asOf: day, owner: owner).currencies {
                    byOwners[
                        currency.figures.currency,
                        default: ReceivablesFigures(currency: currency.figures.currency)
                    ].add(currency.figures)
                }
            }
            #expect(byOwners == summed)
        }
        // Later there is more overdue than at first, and something was collected.
        let first = try queries.aging(asOf: built.days[0].description)
        let last = try queries.aging(asOf: built.days[2].description)
        #expect((first.currencies.first?.figures.collected ?? 0) < (last.currencies.first?.figures.collected ?? 0))
        #expect((last.currencies.first?.figures.overdue ?? 0) > 0)
    }

    @Test("Receipts, collections and signed amounts agree across the receivables, finance and sales read models")
    func acrossReadModels() async throws {
        let built = try await Self.build()
        let end = built.days[3].description
        let receivables = try ReceivablesQueries(store: built.store).aging(asOf: end).currencies
        let finance = FinanceQueries(store: built.store)
        let sales = SalesQueries(store: built.store)
        var receipts: Int64 = 0
        var commissionCollected: Int64 = 0
        var signed: Int64 = 0
        var collected: Int64 = 0
        for year in built.years {
            receipts += try finance.receipts(period: year).totals.reduce(0) { $0 + $1.amount }
            commissionCollected += try finance.commission(period: year).totals.reduce(0) { $0 + $1.collected }
            let byRep = try sales.sales(period: year, by: .rep).totals
            signed += byRep.reduce(0) { $0 + $1.signed }
            collected += byRep.reduce(0) { $0 + $1.collected }
        }
        let received = receivables.reduce(0) { $0 + $1.figures.received }
        #expect(received > 0)
        #expect(receipts == received, "finance's receipts are the receivables' payments")
        #expect(collected == received, "sales' collections are the same payments")
        #expect(
            commissionCollected == receivables.reduce(0) { $0 + $1.figures.collected },
            "commission is earned on every allocated amount"
        )
        #expect(signed == receivables.reduce(0) { $0 + $1.figures.amount }, "signed = the amounts of binding contracts")
    }

    @Test("Sales and finance: every breakdown adds up to its total; attainment follows from target and achieved")
    func breakdowns() async throws {
        let built = try await Self.build()
        let finance = FinanceQueries(store: built.store)
        let sales = SalesQueries(store: built.store)
        var expenses = 0
        for year in built.years {
            for quarter in ["", "-Q1", "-Q2", "-Q3", "-Q4"] {
                let period = year + quarter
                let receipts = try finance.receipts(period: period)
                let total = receipts.totals.reduce(0) { $0 + $1.amount }
                for way in [receipts.byMethod, receipts.byClerk, receipts.byMonth] {
                    #expect(way.reduce(0) { $0 + $1.amount } == total, "\(period)")
                }
                let spent = try finance.expenses(period: period)
                let spentTotal = spent.totals.reduce(0) { $0 + $1.amount }
                for way in [spent.byCategory, spent.byMonth, spent.byClerk] {
                    #expect(way.reduce(0) { $0 + $1.amount } == spentTotal)
                }
                #expect(spent.byItem.reduce(0) { $0 + $1.amount } == spentTotal)
                if quarter.isEmpty { expenses += spent.totals.reduce(0) { $0 + $1.count } }
                let commission = try finance.commission(period: period)
                #expect(
                    commission.lines.reduce(0) { $0 + $1.commission }
                        == commission.totals.reduce(0) { $0 + $1.commission }
                )
                for dimension in SalesDimension.allCases {
                    let breakdown = try sales.sales(period: period, by: dimension)
                    #expect(
                        breakdown.rows.reduce(0) { $0 + $1.signed } == breakdown.totals.reduce(0) { $0 + $1.signed },
                        "\(period) by \(dimension)"
                    )
                    #expect(
                        breakdown.rows.reduce(0) { $0 + $1.collected }
                            == breakdown.totals.reduce(0) { $0 + $1.collected }
                    )
                }
                let targets = try sales.targets(period: period)
                for row in targets.reps + targets.teams {
                    if let target = row.target, target > 0 {
                        #expect(row.attainmentBasisPoints == Int(row.achieved * 10_000 / target))
                    }
                }
            }
        }
        #expect(expenses > 0)
        let payables = try finance.payables()
        #expect(!payables.isEmpty)
        for supplier in payables {
            #expect(
                supplier.outstanding == supplier.billed - supplier.paid && supplier.paid <= supplier.billed
                    && supplier.outstanding >= 0
            )
        }
    }

    @Test("Service and stock: months and reps add up to the period, on hand is received minus shipped")
    func serviceAndStock() async throws {
        let built = try await Self.build()
        let service = ServiceQueries(store: built.store)
        var opened = 0
        var closed = 0
        var filed = 0
        var resolved = 0
        for year in built.years {
            let statistics = try service.statistics(period: year)
            for parts in [
                try service.months(period: year).map(\.statistics), try service.reps(period: year).map(\.statistics),
            ] {
                #expect(parts.reduce(0) { $0 + $1.workOrders.opened } == statistics.workOrders.opened)
                #expect(parts.reduce(0) { $0 + $1.complaints.filed } == statistics.complaints.filed)
                #expect(parts.reduce(0) { $0 + $1.satisfaction.surveys } == statistics.satisfaction.surveys)
            }
            #expect(statistics.satisfaction.scores.reduce(0, +) == statistics.satisfaction.surveys)
            #expect(statistics.complaints.byCategory.reduce(0) { $0 + $1.count } == statistics.complaints.filed)
            #expect(statistics.complaints.byRootCause.reduce(0) { $0 + $1.count } == statistics.complaints.resolved)
            opened += statistics.workOrders.opened
            closed += statistics.workOrders.closed
            filed += statistics.complaints.filed
            resolved += statistics.complaints.resolved
        }
        #expect(opened > 0 && filed > 0)
        let open = try service.openNow()
        #expect(open.workOrders == opened - closed && open.complaints == filed - resolved)

        let stock = StockQueries(store: built.store)
        var shipped: Int64 = 0
        for product in try stock.products() {
            let total = product.total
            #expect(
                product.onHand == total.receivedQuantity - total.shippedQuantity,
                "\(product.sku): stock is what came in less what went out"
            )
            #expect(
                product.stockValue == total.receivedCost - total.costOfGoodsShipped,
                "\(product.sku): every cost is in stock or shipped"
            )
            #expect(product.stockValue >= 0 && (product.onHand > 0 || product.stockValue == 0))
            #expect(total.grossMargin == total.revenue - total.costOfGoodsShipped)
            let months = try stock.product(id: product.productID).months
            #expect(
                months.reduce(0) { $0 + $1.figures.revenue } == total.revenue
                    && months.reduce(0) { $0 + $1.figures.shippedQuantity } == total.shippedQuantity
            )
            shipped += total.shippedQuantity
        }
        #expect(shipped > 0)
    }
}
