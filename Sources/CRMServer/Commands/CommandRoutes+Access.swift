import Hummingbird

extension CommandRoutes {
    /// The caller and the id the route's `parameter` names. The caller's role, and the scope of
    /// the record the path names, were checked at the door by ``AccessCheck`` from the route's
    /// rule in ``AccessTable``.
    func routeRecord(_ context: RapportRequestContext, _ parameter: String) throws -> (Principal, String) {
        (try context.caller(), try context.parameters.require(parameter))
    }
}
