import CRMDomain
import Foundation

/// Company names, people, phones, emails and credit codes that look like a Chinese CRM's
/// data. Each company index gives its own name, code, phone and email, so they never clash
/// by accident; duplicates are made on purpose by reusing an index.
enum WorkloadNames {
    static let cities = [
        "北京", "上海", "广州", "深圳", "杭州", "苏州", "南京", "成都", "武汉", "西安", "天津", "重庆", "宁波", "青岛", "长沙", "厦门",
    ]
    static let regions = [
        "North China", "East China", "South China", "Central China", "Southwest", "Northwest", "Northeast",
    ]
    static let industries = [
        "manufacturing", "software", "retail", "logistics", "healthcare", "education", "construction", "energy",
        "finance", "food",
    ]
    static let sizes = ["1-49", "50-249", "250-999", "1000+"]
    static let sources = ["website", "trade-show", "referral", "cold-call", "campaign", "partner"]
    static let trades = ["科技", "贸易", "制造", "物流", "电子", "信息技术", "医疗器械", "建材", "食品", "新能源"]
    private static let syllables = Array("华盛恒达鑫源泰和信诚瑞丰宏远博通嘉德安康永昌金鼎天成正阳明辉启航卓越佳禾")
    private static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
    private static let givenNames = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "丽", "强"]

    /// The company with index `index`: a city, a brand of syllables unique to the index, a trade.
    static func company(_ index: Int) -> String {
        var brand = ""
        var rest = index
        repeat {
            brand.append(syllables[rest % syllables.count])
            rest /= syllables.count
        } while rest > 0
        if brand.count < 2 { brand.append(syllables[(index * 7 + 3) % syllables.count]) }
        return cities[index % cities.count] + brand + trades[(index / 7) % trades.count] + "有限公司"
    }

    /// A person's name.
    static func person(_ random: inout WorkloadRandom) -> String {
        String(random.pick(surnames)) + random.pick(givenNames)
    }

    /// A mobile number in the form reps type them, unique to `index`.
    static func phone(_ index: Int) -> String {
        let prefix = ["138", "139", "186", "135", "150", "177"][index % 6]
        return String(format: "%@-%04d-%04d", prefix, (index / 10_000) % 10_000, index % 10_000)
    }

    /// An email address unique to `index`.
    static func email(_ index: Int) -> String { "contact\(index)@company\(index % 977).example.cn" }

    /// A valid unified social credit code unique to `index`.
    static func creditCode(_ index: Int) -> String {
        let alphabet = CreditCode.alphabet
        var digits = ""
        var rest = index
        for _ in 0..<8 {
            digits.append(alphabet[rest % 10])
            rest /= 10
        }
        let base = "911101MA" + String(digits.reversed()) + "X"
        return base + String((try? CreditCode.checkCharacter(for: base)) ?? "0")
    }
}
