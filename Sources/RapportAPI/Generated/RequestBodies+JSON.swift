// Written by Tools/generate-openapi from the generated types; do not edit.

extension Operations.CreateLead.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.CreateLead.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.CreateCustomer.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.CreateCustomer.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.UpdateCustomerProfile.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.UpdateCustomerProfile.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.LaunchCampaign.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.LaunchCampaign.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.LogFollowUp.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.LogFollowUp.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.RecordPayment.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.RecordPayment.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.FollowUpLead.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.FollowUpLead.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.AssignLead.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.AssignLead.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ConvertLead.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.ConvertLead.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.TagCustomer.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.TagCustomer.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.AddContact.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Components.Schemas.NewContact {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.UpdateContact.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Components.Schemas.ContactFields {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.TransferCustomer.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.TransferCustomer.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.RecordSurvey.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.RecordSurvey.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.OpenOpportunity.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.OpenOpportunity.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.MoveOpportunity.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.MoveOpportunity.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.WinOpportunity.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.WinOpportunity.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ReopenOpportunity.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.ReopenOpportunity.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.AddProduct.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.AddProduct.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ChangeProductPrice.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.ChangeProductPrice.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.CreateQuote.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.CreateQuote.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.DraftContract.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.DraftContract.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ScheduleInstalments.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.ScheduleInstalments.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.RequestInvoice.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.RequestInvoice.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.IssueInvoice.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.IssueInvoice.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.RequestRefund.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.RequestRefund.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.PayRefund.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.PayRefund.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.AddSupplier.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.AddSupplier.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ReceiveSupplierBill.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.ReceiveSupplierBill.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.PaySupplier.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.PaySupplier.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.RecordExpense.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.RecordExpense.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.RecordCampaignResponse.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.RecordCampaignResponse.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.SetSalesTarget.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.SetSalesTarget.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.OpenWorkOrder.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.OpenWorkOrder.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.AssignWorkOrder.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.AssignWorkOrder.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ResolveWorkOrder.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.ResolveWorkOrder.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.FileComplaint.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.FileComplaint.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ResolveComplaint.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.ResolveComplaint.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ConfigurePoolRules.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Components.Schemas.PoolRules {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ConfigurePipeline.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Components.Schemas.Pipeline {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ConfigureApprovalPolicy.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Components.Schemas.ApprovalPolicy {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ConfigureCommissionRate.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Components.Schemas.CommissionRate {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ConfigureLeadPriority.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Components.Schemas.LeadPriorityWeights {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.CreateTeam.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.CreateTeam.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.AddUser.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.AddUser.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.MoveUser.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.MoveUser.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.ChangeRole.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.ChangeRole.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.DeactivateUser.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.DeactivateUser.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Operations.Acknowledge.Input.Body {
    /// The body's JSON payload, its only content type.
    package var json: Operations.Acknowledge.Input.Body.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Components.RequestBodies.Note {
    /// The body's JSON payload, its only content type.
    package var json: Components.RequestBodies.Note.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Components.RequestBodies.Empty {
    /// The body's JSON payload, its only content type.
    package var json: Components.RequestBodies.Empty.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Components.RequestBodies.Reason {
    /// The body's JSON payload, its only content type.
    package var json: Components.RequestBodies.Reason.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Components.RequestBodies.Comment {
    /// The body's JSON payload, its only content type.
    package var json: Components.RequestBodies.Comment.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}

extension Components.RequestBodies.Units {
    /// The body's JSON payload, its only content type.
    package var json: Components.RequestBodies.Units.JsonPayload {
        switch self {
        case .json(let body): body
        }
    }
}
