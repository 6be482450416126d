import CRMDomain
import PropertyBased
import Testing

@Suite("dedup keys: unified social credit codes")
struct CreditCodeTests {
    @Test("check characters match an independent computation of GB 32100-2015")
    func checkCharacters() throws {
        // Bases picked for this test; their check characters worked out separately by hand-written
        // Python (sum of value × 3^i mod 31, check = (31 − sum mod 31) mod 31).
        #expect(try CreditCode.checkCharacter(for: "91110000MA00ABCD1") == "3")
        #expect(try CreditCode.checkCharacter(for: "12100000400000624") == "D")
        #expect(try CreditCode.validated("91110000MA00ABCD13") == "91110000MA00ABCD13")
        #expect(try CreditCode.validated("12100000400000624D") == "12100000400000624D")
        // The fixture's valid codes, from their first 17 characters.
        #expect(try CreditCode.checkCharacter(for: "91110108MA01AY4CL") == "4")
        #expect(try CreditCode.checkCharacter(for: "92330106MA2H612DD") == "Y")
        #expect(try CreditCode.checkCharacter(for: "91500000ma60272hd") == "L")
    }

    @Test(
        "spelling variants of a valid code",
        arguments: [
            "９１１１０１０８ＭＡ０１ＡＹ４ＣＬ４",  // full-width
            "91110108-MA01AY4CL4",
            "91110108-MA01AY4C-L4",
            " 91110108 MA01AY4CL4\n",
            "91110108ma01ay4cl4",
            "91110108MA01AY4Cl4",
        ]
    )
    func variants(_ input: String) throws {
        #expect(try CreditCode.validated(input) == "91110108MA01AY4CL4")
    }

    @Test(
        "malformed codes are refused",
        arguments: [
            "",
            "  ",
            "91110108MA01AY4CL4X",  // 19 characters
            "91110108MA01AY4CI4",  // I is not in the alphabet
            "91110108MA01AY4CZ4",
            "91110108MA01AY4CL_",
            "91110108MA01AY4CL４5",
            "91110108MA01AY4CLé",
        ]
    )
    func refused(_ input: String) {
        let error = #expect(throws: DedupKeyError.self) { try CreditCode.validated(input) }
        #expect(error?.code == .invalidCreditCode)
        #expect(error?.input == input)
    }

    @Test("messages say why, without giving away the expected check character")
    func messages() {
        #expect(
            message("91110108MA01AY4CL")
                == "credit code 91110108MA01AY4CL has 17 characters; a unified social credit code has 18"
        )
        #expect(
            message("91110108MA01AY4CLO")
                == "credit code 91110108MA01AY4CLO has O at position 18; a code never uses I, O, S, V or Z"
        )
        let wrongCheck = message("91110108MA01AY4CL5")
        #expect(
            wrongCheck == "credit code 91110108MA01AY4CL5 has check character 5, "
                + "which does not match its first 17 characters; one of them is mistyped"
        )
    }

    @Test("the base for a check character must be 17 characters from the alphabet")
    func checkCharacterInput() {
        #expect(throws: DedupKeyError.self) { try CreditCode.checkCharacter(for: "9111000MA00ABCD1") }
        #expect(throws: DedupKeyError.self) { try CreditCode.checkCharacter(for: "91110000MA00ABCDO") }
    }

    @Test("every single mistyped character and every swap of neighbours is caught")
    func typosCaught() async {
        let alphabet = CreditCode.alphabet
        await propertyCheck(count: 100, input: Gen.element(of: alphabet).array(of: 17)) { characters in
            let base = String(characters.compactMap { $0 })
            let code = Array(base + String(try CreditCode.checkCharacter(for: base)))
            #expect(try CreditCode.validated(String(code)) == String(code))
            for position in code.indices {
                for replacement in alphabet where replacement != code[position] {
                    var typo = code
                    typo[position] = replacement
                    #expect(throws: DedupKeyError.self, "\(String(typo))") { try CreditCode.validated(String(typo)) }
                }
                if position + 1 < code.count, code[position] != code[position + 1] {
                    var swapped = code
                    swapped.swapAt(position, position + 1)
                    #expect(throws: DedupKeyError.self, "\(String(swapped))") {
                        try CreditCode.validated(String(swapped))
                    }
                }
            }
        }
    }

    private func message(_ input: String) -> String? {
        #expect(throws: DedupKeyError.self) { try CreditCode.validated(input) }?.message
    }
}
