import CRMDomain
import CRMSchema
import Foundation
import FoundationEssentials
import PropertyBased
import Testing

/// Rules about every sequence of tag commands: whatever is typed, in any order, the tags stay
/// clean and behave as an ordered set.
@Suite("Customer tag invariants")
struct CustomerTagPropertyTests {
    /// Tags as people type them: padded, in two scripts, the same tag spelled three ways.
    static let typed = ["vip", " vip", "vip\n", "export", "north", "星", "重点客户", "south "]
    /// Tags every command must refuse.
    static let malformed = ["", "  ", String(repeating: "x", count: 65)]

    /// One typed tag; one in 25 malformed.
    static let tag = zip(Gen.int(in: typed.indices), Gen.bool(0.04), Gen.int(in: malformed.indices))
        .map { index, isMalformed, bad in isMalformed ? malformed[bad] : typed[index] }

    /// Commands: tags to add and tags to remove.
    static let commands = zip(tag.array(of: 0...4), tag.array(of: 0...3)).array(of: 1...40)

    @Test("tags never hold a blank, an untrimmed tag or a repeat, and equal a simple ordered-set model")
    func tagsFollowModel() async {
        await propertyCheck(count: 300, input: Self.commands) { commands in
            var state = customer(tags: [])
            var model: [String] = []
            for (added, removed) in commands {
                let add = added.map(trimmed)
                let remove = removed.map(trimmed)
                let refused =
                    (add + remove).contains { $0.isEmpty || $0.count > 64 } || add.contains(where: remove.contains)
                let before = model
                do throws(DomainError) {
                    let event = try CustomerDecisions.tag(state, adding: added, removing: removed)
                    #expect(!refused, "accepted adding \(added), removing \(removed)")
                    model.removeAll(where: remove.contains)
                    for tag in add where !model.contains(tag) { model.append(tag) }
                    #expect((event == nil) == (model == before), "an event exactly when the tags change")
                    if let event { state.apply(event, occurredAt: .distantPast) }
                } catch {
                    #expect(refused, "refused adding \(added), removing \(removed): \(error)")
                    #expect(error.code == .invalidValue)
                    #expect(error.facts["field"] == "tags")
                }
                #expect(state.tags == model)
                #expect(Set(state.tags).count == state.tags.count)
                #expect(state.tags.allSatisfy { !$0.isEmpty && $0 == trimmed($0) && $0.count <= 64 })
            }
        }
    }

    private func trimmed(_ tag: String) -> String {
        tag.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
