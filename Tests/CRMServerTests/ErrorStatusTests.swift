import CRMDomain
import HTTPTypes
import Testing

@testable import CRMServer

/// Every refusal's status comes from one exhaustive switch; these check that the switch keeps
/// the conventions the API documents, for every code there is and every code added later.
@Suite("Error statuses")
struct ErrorStatusTests {
    @Test("what does not exist is a 404, a duplicate a 409, and each code has its status whatever its facts")
    func domainCodes() {
        for code in DomainError.Code.allCases {
            let status = APIError(DomainError(code, "refused", facts: ["field": "x"])).status
            if code.rawValue.hasSuffix("_not_found") { #expect(status == .notFound, "\(code)") }
            if code.rawValue.hasPrefix("duplicate_") { #expect(status == .conflict, "\(code)") }
            #expect(
                [.badRequest, .forbidden, .notFound, .conflict, .unprocessableContent].contains(status),
                "\(code): \(status)"
            )
            #expect(APIError(DomainError(code, "another")).status == status)
        }
    }

    @Test("the domain's refusals reach the client through the error middleware, with their code and facts")
    func throughTheMiddleware() {
        let answer = APIError.answer(
            to: DomainError(.duplicateBankReference, "paid already", facts: ["existing": "p-1"])
        )
        #expect(answer.status == .conflict)
        #expect(answer.code == "duplicate_bank_reference")
        #expect(answer.facts == ["existing": "p-1"])
        let dedup = APIError.answer(
            to: DedupKeyError(.invalidPhone, kind: .phone, input: "12", message: "phone 12 is too short")
        )
        #expect(dedup.status == .badRequest && dedup.code == "invalid_phone")
    }

    @Test("the server's own codes are distinct snake_case words")
    func serverCodes() {
        let codes = APIError.Code.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        for code in codes { #expect(code.allSatisfy { $0.isLowercase || $0 == "_" }, "\(code)") }
    }
}
