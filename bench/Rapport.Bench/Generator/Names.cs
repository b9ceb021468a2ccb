namespace Rapport.Bench.Generator;

/// <summary>
/// The names, titles and companies the generator draws from. Chinese family names carry about their share of the population
/// (per cent, after the Ministry of Public Security's 2020 household register ranking: 王 7.1, 李 7.0, 张 6.6 …, the long tail
/// cut off); given names are one or two characters from those parents choose most. English names are weighted by rank.
/// </summary>
internal static class Names
{
    public static readonly (string Hanzi, string Pinyin, double Percent)[] ChineseFamilyNames =
    [
        ("王", "wang", 7.12), ("李", "li", 7.00), ("张", "zhang", 6.60), ("刘", "liu", 5.30), ("陈", "chen", 4.60), ("杨", "yang", 3.20),
        ("黄", "huang", 2.40), ("赵", "zhao", 2.30), ("吴", "wu", 2.10), ("周", "zhou", 2.10), ("徐", "xu", 1.60), ("孙", "sun", 1.50),
        ("马", "ma", 1.50), ("朱", "zhu", 1.40), ("胡", "hu", 1.30), ("郭", "guo", 1.20), ("何", "he", 1.20), ("林", "lin", 1.10),
        ("高", "gao", 1.10), ("罗", "luo", 1.10), ("郑", "zheng", 0.96), ("梁", "liang", 0.93), ("谢", "xie", 0.78), ("宋", "song", 0.74),
        ("唐", "tang", 0.73), ("许", "xu", 0.68), ("韩", "han", 0.67), ("邓", "deng", 0.66), ("冯", "feng", 0.65), ("曹", "cao", 0.64),
        ("彭", "peng", 0.61), ("曾", "zeng", 0.59), ("肖", "xiao", 0.58), ("田", "tian", 0.55), ("董", "dong", 0.53), ("潘", "pan", 0.52),
        ("袁", "yuan", 0.51), ("蔡", "cai", 0.50), ("蒋", "jiang", 0.49), ("余", "yu", 0.48), ("于", "yu", 0.48), ("杜", "du", 0.47),
        ("叶", "ye", 0.46), ("程", "cheng", 0.45), ("魏", "wei", 0.44), ("苏", "su", 0.43), ("吕", "lv", 0.42), ("丁", "ding", 0.41),
        ("任", "ren", 0.40), ("卢", "lu", 0.39), ("姚", "yao", 0.38), ("沈", "shen", 0.37), ("钟", "zhong", 0.36), ("姜", "jiang", 0.35),
        ("崔", "cui", 0.34), ("谭", "tan", 0.33), ("陆", "lu", 0.32), ("范", "fan", 0.31), ("汪", "wang", 0.30), ("廖", "liao", 0.29),
        ("石", "shi", 0.28), ("金", "jin", 0.27), ("韦", "wei", 0.26), ("贾", "jia", 0.26), ("夏", "xia", 0.25), ("付", "fu", 0.25),
        ("方", "fang", 0.24), ("邹", "zou", 0.23), ("熊", "xiong", 0.23), ("白", "bai", 0.22), ("孟", "meng", 0.21), ("秦", "qin", 0.21),
        ("邱", "qiu", 0.20), ("侯", "hou", 0.20), ("江", "jiang", 0.19), ("尹", "yin", 0.19), ("薛", "xue", 0.18), ("闫", "yan", 0.18),
        ("段", "duan", 0.17), ("雷", "lei", 0.17), ("龙", "long", 0.16), ("黎", "li", 0.16), ("史", "shi", 0.15), ("陶", "tao", 0.15),
        ("贺", "he", 0.14), ("毛", "mao", 0.14), ("郝", "hao", 0.13), ("顾", "gu", 0.13), ("龚", "gong", 0.12), ("邵", "shao", 0.12),
        ("万", "wan", 0.11), ("覃", "qin", 0.11), ("武", "wu", 0.11), ("钱", "qian", 0.10), ("戴", "dai", 0.10), ("严", "yan", 0.10),
        ("莫", "mo", 0.09), ("孔", "kong", 0.09), ("向", "xiang", 0.09), ("常", "chang", 0.09), ("欧阳", "ouyang", 0.03),
        ("司马", "sima", 0.005), ("诸葛", "zhuge", 0.005), ("上官", "shangguan", 0.005),
    ];

    public static readonly (string Hanzi, string Pinyin)[] ChineseGivenCharacters =
    [
        ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"), ("磊", "lei"),
        ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"),
        ("超", "chao"), ("秀", "xiu"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂", "gui"), ("英", "ying"), ("华", "hua"),
        ("建", "jian"), ("国", "guo"), ("文", "wen"), ("辉", "hui"), ("玲", "ling"), ("红", "hong"), ("鹏", "peng"), ("飞", "fei"),
        ("宇", "yu"), ("浩", "hao"), ("欣", "xin"), ("婷", "ting"), ("雪", "xue"), ("梅", "mei"), ("琳", "lin"), ("晨", "chen"),
        ("子", "zi"), ("轩", "xuan"), ("涵", "han"), ("睿", "rui"), ("思", "si"), ("佳", "jia"), ("怡", "yi"), ("博", "bo"),
        ("俊", "jun"), ("嘉", "jia"), ("宁", "ning"), ("志", "zhi"), ("海", "hai"), ("小", "xiao"), ("晓", "xiao"), ("东", "dong"),
        ("春", "chun"), ("兰", "lan"), ("凤", "feng"), ("云", "yun"), ("丹", "dan"), ("亮", "liang"), ("斌", "bin"), ("波", "bo"),
        ("成", "cheng"), ("瑞", "rui"), ("一", "yi"), ("诺", "nuo"), ("梓", "zi"), ("萱", "xuan"), ("雨", "yu"), ("泽", "ze"),
        ("宏", "hong"), ("鑫", "xin"), ("慧", "hui"), ("颖", "ying"), ("倩", "qian"), ("彤", "tong"), ("昊", "hao"), ("然", "ran"),
    ];

    public static readonly string[] EnglishFirstNames =
    [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen", "Charles", "Lisa", "Daniel", "Nancy",
        "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily",
        "Paul", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah",
        "Timothy", "Stephanie", "Olivia", "Emma", "Liam", "Noah", "Sophia", "Ava", "Ethan", "Mia", "Lucas", "Chloé", "José", "Zoë",
        "Anne-Marie", "Siobhan", "Priya", "Hiroshi",
    ];

    public static readonly string[] EnglishFamilyNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
        "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
        "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "O'Brien", "Müller", "Van der Berg", "McDonald", "Fitzgerald", "Patel", "Kowalski",
    ];

    public static readonly string[] EnglishJobTitles =
    [
        "Sales Manager", "Account Executive", "Software Engineer", "Marketing Director", "Chief Financial Officer", "Operations Manager",
        "Product Manager", "Purchasing Manager", "HR Business Partner", "Customer Success Manager", "CEO", "CTO", "Office Manager",
        "Business Development Representative", "Procurement Specialist", "Head of IT", "Data Analyst", "Regional Director",
    ];

    public static readonly string[] ChineseJobTitles =
    [
        "销售经理", "软件工程师", "市场总监", "财务总监", "采购经理", "总经理", "人事专员", "客户经理", "产品经理", "运营主管",
        "技术总监", "行政主管", "董事长", "副总裁", "区域经理", "大客户经理",
    ];

    public static readonly string[] PersonalMailDomains = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com", "proton.me"];
    public static readonly string[] ChineseMailDomains = ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "aliyun.com"];

    public static readonly string[] CompanyWords =
    [
        "North", "Blue", "Silver", "Pacific", "Summit", "Bright", "Granite", "Harbor", "Evergreen", "Atlas", "Pioneer", "Crescent",
        "Redwood", "Iron", "Golden", "Maple", "Lakeside", "Orion", "Vertex", "Keystone", "Cedar", "Falcon", "Union", "Liberty", "Sterling",
    ];

    public static readonly string[] CompanyTrades =
    [
        "Logistics", "Analytics", "Foods", "Systems", "Health", "Energy", "Media", "Robotics", "Capital", "Textiles", "Software",
        "Pharma", "Motors", "Labs", "Trading", "Consulting", "Design", "Networks", "Materials", "Instruments",
    ];

    public static readonly string[] CompanySuffixes = ["Inc", "Ltd", "LLC", "Co", "Group", "GmbH", "plc", "AG"];

    public static readonly string[] ChineseCities = ["北京", "上海", "深圳", "杭州", "广州", "成都", "南京", "苏州", "武汉", "西安", "天津", "重庆", "厦门", "青岛", "长沙"];

    public static readonly string[] ChineseBrands =
    [
        "华信", "恒通", "星辰", "天成", "博远", "中科", "鼎盛", "瑞丰", "金桥", "海纳", "宏达", "联创", "新元", "启明", "卓越",
        "汇智", "长风", "明德", "东方", "云帆", "同创", "正泰", "安捷", "万象", "凯旋", "智远", "永信", "嘉禾", "蓝海", "九州",
    ];

    public static readonly string[] ChineseTrades = ["科技", "贸易", "物流", "电子", "医药", "咨询", "软件", "机械", "食品", "文化传媒", "新能源", "信息技术", "建筑工程", "投资", "纺织"];

    public static readonly string[] ChineseCompanySuffixes = ["有限公司", "股份有限公司", "集团有限公司"];

    /// <summary>The custom select field's options: key, English label, Chinese label.</summary>
    public static readonly (string Key, string Label, string LabelZh)[] Tiers =
        [("bronze", "Bronze", "铜牌"), ("silver", "Silver", "银牌"), ("gold", "Gold", "金牌"), ("platinum", "Platinum", "白金")];

    /// <summary>Mobile number prefixes in mainland China.</summary>
    public static readonly string[] ChineseMobilePrefixes =
        ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159", "166", "177", "180", "181", "185", "186", "187", "188", "189", "199"];

    /// <summary>Area codes of Chinese cities with eight-digit landline numbers.</summary>
    public static readonly string[] ChineseAreaCodes = ["10", "21", "20", "755", "571", "28", "25", "512", "27", "29", "22", "23"];

    public static readonly string[] UsAreaCodes = ["212", "415", "312", "617", "206", "512", "303", "646", "213", "404", "713", "305"];
}
