import CRMDomain
import Testing

@Suite("dedup keys: company names")
struct CompanyNameTests {
    @Test(
        "real-world spellings of one company give one key",
        arguments: [
            "北京星辰科技有限公司",
            "北京星辰科技（有限公司）",
            "北京星辰科技(有限公司)",
            "北京星辰科技有限公司。",
            "北京星辰科技有限公司.",
            "北京　星辰科技　有限公司",  // ideographic spaces
            "北京星辰\u{200B}科技有限公司",  // a zero-width space from a web page
            "\u{FEFF}北京星辰科技有限公司\n",
            "北京星辰·科技有限公司",
            "北京星辰科技股份公司",
            "北京星辰科技 Co., Ltd.",
            "北京星辰科技Co.,Ltd",
        ]
    )
    func chineseSpellings(_ name: String) throws {
        #expect(try CompanyName.normalized(name) == "北京星辰科技")
    }

    @Test(
        "English legal forms, with and without spaces and dots",
        arguments: [
            "Shanghai Blue Ocean Trading Co.,Ltd",
            "Shanghai Blue Ocean Trading Co.,Ltd.",
            "Shanghai Blue Ocean Trading CO.,LTD..",
            "Shanghai Blue Ocean Trading Co. Ltd",
            "Shanghai Blue Ocean Trading Co., Limited",
            "Shanghai Blue Ocean Trading Company Ltd.",
            "Shanghai Blue Ocean Trading Ltd",
            "Shanghai Blue Ocean Trading Limited",
            "Shanghai Blue Ocean Trading Co.",
            "Shanghai Blue Ocean Trading Corp.",
            "Shanghai Blue Ocean Trading Corporation",
            "Shanghai Blue Ocean Trading, Inc.",
            "Shanghai Blue Ocean Trading LLC",
            "Shanghai Blue Ocean Trading L.L.C.",
            "Shanghai Blue Ocean Trading CoLtd",
            "ＳＨＡＮＧＨＡＩ　ＢＬＵＥ　ＯＣＥＡＮ　ＴＲＡＤＩＮＧ　ＣＯ．，ＬＴＤ．",
        ]
    )
    func englishForms(_ name: String) throws {
        #expect(try CompanyName.normalized(name) == "shanghaiblueoceantrading")
    }

    @Test("集团 and Group are part of the name, not a legal form")
    func group() throws {
        #expect(try CompanyName.normalized("北京星辰科技集团") == "北京星辰科技集团")
        #expect(try CompanyName.normalized("北京星辰科技（集团）有限公司") == "北京星辰科技集团")
        #expect(try CompanyName.normalized("北京星辰科技集团股份有限公司") == "北京星辰科技集团")
        #expect(try CompanyName.normalized("Blue Ocean Group Co., Ltd.") == "blueoceangroup")
    }

    @Test("a branch keeps its parent's legal form: it is its own entity")
    func branches() throws {
        #expect(try CompanyName.normalized("北京星辰科技有限公司上海分公司") == "北京星辰科技有限公司上海分公司")
        #expect(try CompanyName.normalized("北京星辰科技有限公司（上海分公司）") == "北京星辰科技有限公司上海分公司")
        #expect(try CompanyName.normalized("Blue Ocean Co., Ltd. Shanghai Branch") == "blueoceancoltdshanghaibranch")
        // Bare 公司 is not a legal form, so a head office and a branch are not cut short.
        #expect(try CompanyName.normalized("中国星辰总公司") == "中国星辰总公司")
    }

    @Test("partnership and sole-proprietorship forms")
    func otherForms() throws {
        #expect(try CompanyName.normalized("宁波星辰投资合伙企业（有限合伙）") == "宁波星辰投资合伙企业")
        #expect(try CompanyName.normalized("北京星辰会计师事务所（特殊普通合伙）") == "北京星辰会计师事务所")
        #expect(try CompanyName.normalized("香港星辰科技有限責任公司") == "香港星辰科技")
    }

    @Test("English forms are whole words: a name ending in 'inc' or 'co' keeps it")
    func wholeWords() throws {
        #expect(try CompanyName.normalized("Zinc") == "zinc")
        #expect(try CompanyName.normalized("Zinc Mining Inc.") == "zincmining")
        #expect(try CompanyName.normalized("Costco") == "costco")
        #expect(try CompanyName.normalized("Blue Ocean Incubator") == "blueoceanincubator")
    }

    @Test("only one trailing legal form is removed")
    func oneForm() throws {
        #expect(try CompanyName.normalized("星辰有限公司有限公司") == "星辰有限公司")
        #expect(try CompanyName.normalized("Blue Ocean Co. Inc.") == "blueoceanco")
        // Documented exceptions to idempotence: the remainder still ends in a legal form.
        #expect(try CompanyName.normalized("星辰有限公司") == "星辰")
        #expect(try CompanyName.normalized("星辰 Co. Inc.") == "星辰co")
        #expect(try CompanyName.normalized("星辰co") == "星辰")
    }

    @Test("symbols, digits and Latin mixed into Chinese names")
    func mixed() throws {
        #expect(try CompanyName.normalized("3M中国有限公司") == "3m中国")
        #expect(try CompanyName.normalized("Ａ＆Ｂ商贸有限公司") == "ab商贸")
        #expect(try CompanyName.normalized("C++ Tech Ltd") == "c++tech")
    }

    @Test(
        "names that leave nothing to tell a company apart are refused",
        arguments: ["", "   ", "\u{3000}", "（）", "……", "有限公司", "股份有限公司", "Co., Ltd.", "Inc.", "Company Limited"]
    )
    func refused(_ name: String) {
        let error = #expect(throws: DedupKeyError.self) { try CompanyName.normalized(name) }
        #expect(error?.code == .invalidCompanyName)
        #expect(error?.input == name)
    }

    @Test("messages say why")
    func messages() {
        #expect(message("   ") == #"company name "   " is blank"#)
        #expect(message("（）") == "company name （） has no letters or digits")
        #expect(message("有限公司") == "company name 有限公司 is only a legal form; nothing is left to tell the company apart")
        #expect(message(String(repeating: "星", count: 101))?.contains("the limit is 300") == true)
    }

    private func message(_ name: String) -> String? {
        #expect(throws: DedupKeyError.self) { try CompanyName.normalized(name) }?.message
    }
}
