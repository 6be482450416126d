/// Arithmetic that stops at the type's bounds instead of trapping.
///
/// Swift traps on integer overflow, and a trap while folding the event log kills the server
/// on every restart: the event is still in the log. Decisions refuse amounts above
/// ``CRMSchema/CRMMoney/maxMinorUnits``, but the log may hold events written before that
/// bound or by an import, so every fold of amounts, quantities, counts and durations read
/// from the log uses these. A saturated figure is wrong, visibly (it sits at `Int64.max`),
/// where a trap would take the whole server down.
extension FixedWidthInteger {
    /// `self + other`, or the nearest bound when the sum does not fit.
    @inlinable
    public func saturatingAdd(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other < 0 ? .min : .max
    }

    /// `self - other`, or the nearest bound when the difference does not fit.
    @inlinable
    public func saturatingSubtract(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// `self × other`, or the nearest bound when the product does not fit.
    @inlinable
    public func saturatingMultiply(_ other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) != (other < 0) ? .min : .max
    }

    /// Adds `other` to `self`, stopping at the type's bounds: `+=` for figures read from the log.
    @inlinable
    public mutating func saturatingIncrement(by other: Self) { self = saturatingAdd(other) }

    /// Subtracts `other` from `self`, stopping at the type's bounds: `-=` for figures read from
    /// the log.
    @inlinable
    public mutating func saturatingDecrement(by other: Self) { self = saturatingSubtract(other) }
}

extension Sequence where Element: FixedWidthInteger {
    /// The sum of the elements, stopping at the type's bounds.
    @inlinable
    public func saturatingSum() -> Element { reduce(0) { $0.saturatingAdd($1) } }
}
