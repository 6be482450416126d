import CRMDomain

/// Integer arithmetic on money for the finance read models: no floating point, and no
/// overflow in the intermediate product.
enum FinanceMath {
    /// `value × numerator / denominator`, computed at double width so the product cannot
    /// overflow. Rounds toward zero, or half away from zero when `halfUp` is set. `denominator`
    /// must not be zero. A result beyond `Int64` (possible only with figures from the log far
    /// above ``CRMSchema/CRMMoney/maxMinorUnits``) saturates at `Int64.max` or `-Int64.max`.
    static func scale(_ value: Int64, by numerator: Int64, over denominator: Int64, halfUp: Bool = false) -> Int64 {
        precondition(denominator != 0, "scaling over zero")
        let negative = (value < 0) != (numerator < 0) && value != 0 && numerator != 0
        let product = value.magnitude.multipliedFullWidth(by: numerator.magnitude)
        let divisor = denominator.magnitude
        let sign: Int64 = (negative != (denominator < 0)) ? -1 : 1
        // dividingFullWidth traps when the quotient does not fit in 64 bits.
        guard product.high < divisor else { return sign * .max }
        var (quotient, remainder) = divisor.dividingFullWidth(product)
        if halfUp, remainder >= divisor - remainder { quotient = quotient.saturatingAdd(1) }
        return sign * Int64(clamping: quotient)
    }

    /// `part / whole` in basis points (1 = 0.01%), rounded toward zero; `nil` when `whole` is
    /// zero.
    static func basisPoints(_ part: Int64, of whole: Int64) -> Int? {
        whole == 0 ? nil : Int(scale(part, by: 10_000, over: whole))
    }

    /// Splits `amount` over `weights` in proportion, exactly: share `i` is
    /// `amount × (w₀…wᵢ) / W − amount × (w₀…wᵢ₋₁) / W` with each term rounded down, so the
    /// shares add up to `amount` and the rounding falls where the cumulative weight crosses a
    /// whole minor unit. With no positive total weight the first share takes it all.
    static func split(_ amount: Int64, by weights: [Int64]) -> [Int64] {
        guard !weights.isEmpty else { return [] }
        let whole = weights.saturatingSum()
        guard whole > 0, amount >= 0 else { return [amount] + Array(repeating: 0, count: weights.count - 1) }
        var shares: [Int64] = []
        shares.reserveCapacity(weights.count)
        var cumulative: Int64 = 0
        var before: Int64 = 0
        for weight in weights {
            cumulative.saturatingIncrement(by: weight)
            let upTo = scale(amount, by: cumulative, over: whole)
            shares.append(upTo - before)
            before = upTo
        }
        return shares
    }
}
