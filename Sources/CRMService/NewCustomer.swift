/// A customer to create: the profile, and who owns it from the start.
public struct NewCustomer: Sendable, Hashable {
    /// The company name (required; its normalized form is a dedup key).
    public var name: String
    /// The unified social credit code, if known (a dedup key).
    public var creditCode = ""
    /// A phone number in any common form (a dedup key, stored in E.164).
    public var phone = ""
    /// An email address (a dedup key, stored lowercased).
    public var email = ""
    public var region = ""
    public var industry = ""
    public var size = ""
    public var source = ""
    /// The level, which sets the pool's idle limit.
    public var level = ""
    public var tags: [String] = []
    /// The owning rep; empty puts the customer straight into the public pool.
    public var ownerID = ""

    /// A customer called `name`; set the other fields as needed.
    public init(name: String) {
        self.name = name
    }
}
