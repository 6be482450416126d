import CRMDomain
import Hummingbird

extension APIError {
    /// The answer to a refused command: 404 when what it acts on does not exist, 409 when it
    /// collides with what exists (a duplicate, another rep's customer), 403 outside the
    /// actor's scope, 400 for a field the rule does not accept (a blank required field or
    /// reason, a malformed value or pipeline, a business time in the future), and 422 for
    /// every other rule; the facts travel as they are.
    init(_ error: DomainError) {
        let code = error.code.rawValue
        let status: HTTPResponse.Status =
            if code.hasSuffix("_not_found") {
                .notFound
            } else if code.hasPrefix("duplicate_") || code == "customer_owned_by_other_rep" || code == "customer_already_owned" {
                .conflict
            } else if code == "outside_scope" || code == "not_approver" || code == "not_customer_owner" {
                .forbidden
            } else if ["field_required", "reason_required", "invalid_value", "invalid_pipeline", "occurred_in_future", "occurred_out_of_range"].contains(code) {
                .badRequest
            } else {
                .unprocessableContent
            }
        self.init(status, code: code, error.message, facts: error.facts)
    }

    /// The answer to a malformed dedup key (company name, credit code, phone, email).
    init(_ error: DedupKeyError) {
        self.init(.badRequest, code: error.code.rawValue, error.message, facts: ["field": "\(error.kind)"])
    }
}
