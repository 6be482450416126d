import CRMSchema

// A user's state is kept as a snapshot of their stream (claims and releases make it long), so
// it encodes deterministically: collections in sorted order, enums by their numbers. Decoding
// checks what the fold could never produce, since the bytes come from a file.

extension UserState: Codable {
    private enum CodingKeys: String, CodingKey {
        case userID, exists, name, email, role, teamID, isActive, holdings
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(userID: try container.decode(String.self, forKey: .userID))
        exists = try container.decode(Bool.self, forKey: .exists)
        name = try container.decode(String.self, forKey: .name)
        email = try container.decode(String.self, forKey: .email)
        // A protobuf enum field holds any Int32, a number this build does not name included.
        guard let number = Int32(exactly: try container.decode(Int.self, forKey: .role)),
            let role = CRMRole(rawValue: Int(number))
        else {
            throw DecodingError.dataCorruptedError(forKey: .role, in: container, debugDescription: "not a role number")
        }
        self.role = role
        teamID = try container.decode(String.self, forKey: .teamID)
        isActive = try container.decode(Bool.self, forKey: .isActive)
        holdings = try container.decode(RepHoldings.self, forKey: .holdings)
        guard holdings.repID == userID else {
            throw DecodingError.dataCorruptedError(
                forKey: .holdings,
                in: container,
                debugDescription: "the holdings of \(holdings.repID) in the state of \(userID)"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userID, forKey: .userID)
        try container.encode(exists, forKey: .exists)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
        try container.encode(role.rawValue, forKey: .role)
        try container.encode(teamID, forKey: .teamID)
        try container.encode(isActive, forKey: .isActive)
        try container.encode(holdings, forKey: .holdings)
    }
}

extension RepHoldings: Codable {
    private enum CodingKeys: String, CodingKey {
        case repID, customers, claimsByDay
    }

    /// One business day's claims.
    private struct DayClaims: Codable {
        var day: Int
        var claims: Int
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(repID: try container.decode(String.self, forKey: .repID))
        customers = Set(try container.decode([String].self, forKey: .customers))
        for entry in try container.decode([DayClaims].self, forKey: .claimsByDay) {
            // A negative count would let a rep claim past the daily limit; a day twice is no fold.
            guard entry.claims > 0, claimsByDay.updateValue(entry.claims, forKey: entry.day) == nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .claimsByDay,
                    in: container,
                    debugDescription: "\(entry.claims) claims on day \(entry.day)"
                )
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(repID, forKey: .repID)
        try container.encode(customers.sorted(), forKey: .customers)
        try container.encode(
            claimsByDay.sorted { $0.key < $1.key }.map { DayClaims(day: $0.key, claims: $0.value) },
            forKey: .claimsByDay
        )
    }
}
