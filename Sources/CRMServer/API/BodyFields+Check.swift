import RapportAPI

extension BodyFields {
    /// The first field of `object`, or of an object nested in it, that its shape does not
    /// list, as a dotted path (`lines.1.discount`), with the fields its object may carry.
    func unknownField(in object: [String: Any], at path: String = "") -> (path: String, known: Set<String>)? {
        for key in object.keys.sorted() {
            let field = path.isEmpty ? key : "\(path).\(key)"
            guard fields.contains(key) else { return (field, fields) }
            guard let shape = nested[key] else { continue }
            let children: [(String, [String: Any])] =
                if let child = object[key] as? [String: Any] {
                    [(field, child)]
                } else if let array = object[key] as? [Any] {
                    array.enumerated().compactMap { index, element in
                        (element as? [String: Any]).map { ("\(field).\(index)", $0) }
                    }
                } else {
                    []
                }
            for (childPath, child) in children {
                if let unknown = shape.unknownField(in: child, at: childPath) { return unknown }
            }
        }
        return nil
    }
}
