import CRMSchema
import Foundation

// A contract's state is kept as a snapshot of its stream (payments, invoices and shipments
// make it long), so it encodes deterministically: the event messages it holds as protobuf
// bytes with maps in a fixed order, dictionaries with number keys as lists sorted by key. An
// encoder that sorts keys (the snapshot coder does) orders the dictionaries with string keys.

extension ContractState: Codable {
    private enum CodingKeys: String, CodingKey {
        case contractID, status, drafted, approvals, instalments, allocated, credit, paymentsByBankReference
        case invoiced, invoices, refunds, commissionCarry, shipped
    }

    /// Minor units allocated to one instalment.
    private struct Allocation: Codable {
        var instalment: Int32
        var amount: Int64
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(contractID: try container.decode(String.self, forKey: .contractID))
        status = try container.decode(Status.self, forKey: .status)
        drafted = try container.decodeMessage(CRMContractDrafted.self, forKey: .drafted)
        approvals = try container.decodeMessages(CRMContractApproved.self, forKey: .approvals)
        instalments = try container.decodeMessages(CRMInstalment.self, forKey: .instalments)
        for allocation in try container.decode([Allocation].self, forKey: .allocated) {
            guard allocated.updateValue(allocation.amount, forKey: allocation.instalment) == nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .allocated,
                    in: container,
                    debugDescription: "instalment \(allocation.instalment) allocated twice"
                )
            }
        }
        credit = try container.decode(Int64.self, forKey: .credit)
        paymentsByBankReference = try container.decode([String: String].self, forKey: .paymentsByBankReference)
        invoiced = try container.decode(Int64.self, forKey: .invoiced)
        invoices = try container.decode([String: Bool].self, forKey: .invoices)
        refunds = try container.decode([String: Refund].self, forKey: .refunds)
        commissionCarry = try container.decode(Int64.self, forKey: .commissionCarry)
        shipped = try container.decode([String: Int64].self, forKey: .shipped)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(contractID, forKey: .contractID)
        try container.encode(status, forKey: .status)
        try container.encodeMessage(drafted, forKey: .drafted)
        try container.encodeMessages(approvals, forKey: .approvals)
        try container.encodeMessages(instalments, forKey: .instalments)
        try container.encode(
            allocated.sorted { $0.key < $1.key }.map { Allocation(instalment: $0.key, amount: $0.value) },
            forKey: .allocated
        )
        try container.encode(credit, forKey: .credit)
        try container.encode(paymentsByBankReference, forKey: .paymentsByBankReference)
        try container.encode(invoiced, forKey: .invoiced)
        try container.encode(invoices, forKey: .invoices)
        try container.encode(refunds, forKey: .refunds)
        try container.encode(commissionCarry, forKey: .commissionCarry)
        try container.encode(shipped, forKey: .shipped)
    }
}

extension ContractState.Status: Codable {}

extension ContractState.Refund: Codable {
    private enum CodingKeys: String, CodingKey {
        case request, approved, rejected, goodsReceived, paid
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(request: try container.decodeMessage(CRMRefundRequested.self, forKey: .request))
        approved = try container.decode(Bool.self, forKey: .approved)
        rejected = try container.decode(Bool.self, forKey: .rejected)
        goodsReceived = try container.decode(Bool.self, forKey: .goodsReceived)
        paid = try container.decode(Bool.self, forKey: .paid)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeMessage(request, forKey: .request)
        try container.encode(approved, forKey: .approved)
        try container.encode(rejected, forKey: .rejected)
        try container.encode(goodsReceived, forKey: .goodsReceived)
        try container.encode(paid, forKey: .paid)
    }
}
