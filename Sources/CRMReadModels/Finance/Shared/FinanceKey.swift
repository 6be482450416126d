/// Builds the keys of the finance read models' tables.
///
/// Keys join parts with `|` so that a prefix scan reads one month, one rep or one contract.
/// Free text (an expense item, a category, a region) may itself contain `|`, so each part is
/// escaped: `%` becomes `%25` and `|` becomes `%7C`; `a|b` + `c` and `a` + `b|c` stay apart.
enum FinanceKey {
    /// The parts joined with `|`, each escaped.
    static func join(_ parts: String...) -> String {
        var key = ""
        for (index, part) in parts.enumerated() {
            if index > 0 { key += "|" }
            key += escape(part)
        }
        return key
    }

    /// A prefix that matches every key starting with `parts` followed by more parts.
    static func prefix(_ parts: String...) -> String {
        var key = ""
        for part in parts { key += escape(part) + "|" }
        return key
    }

    /// `part` with `%` and `|` escaped; untouched (no copy) in the usual case of neither.
    static func escape(_ part: String) -> String {
        guard part.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "%") }) else { return part }
        return part.replacingPercentAndBar()
    }
}

extension String {
    fileprivate func replacingPercentAndBar() -> String {
        var escaped = ""
        for character in self {
            switch character {
            case "%": escaped += "%25"
            case "|": escaped += "%7C"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
