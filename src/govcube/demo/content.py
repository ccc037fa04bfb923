"""The fixed content of the Jing'an demo: places, buildings, accounts and name pools.

Street, road and the well-known building names are real (see GLOSSARY.md); every figure
(tax, tenants, people) is invented. Buildings carry a *revenue profile* that steers the tax
generator; their tier is computed from the generated tax records, never taken from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govcube.accounts.roles import Role

CITY = ("310000", "上海市")
DISTRICT = ("310106", "静安区")

# (code suffix, name, map centre (lat, lon)) — the district's 13 streets and one town, in the
# order of GLOSSARY.md. The centres are approximate and only place invented buildings.
STREETS: list[tuple[str, str, tuple[float, float]]] = [
    ("S01", "静安寺街道", (31.2232, 121.4432)),
    ("S02", "南京西路街道", (31.2285, 121.4530)),
    ("S03", "江宁路街道", (31.2370, 121.4470)),
    ("S04", "石门二路街道", (31.2358, 121.4575)),
    ("S05", "曹家渡街道", (31.2315, 121.4335)),
    ("S06", "天目西路街道", (31.2480, 121.4590)),
    ("S07", "北站街道", (31.2495, 121.4715)),
    ("S08", "宝山路街道", (31.2575, 121.4780)),
    ("S09", "共和新路街道", (31.2650, 121.4585)),
    ("S10", "大宁路街道", (31.2790, 121.4560)),
    ("S11", "彭浦新村街道", (31.3030, 121.4470)),
    ("S12", "临汾路街道", (31.3120, 121.4500)),
    ("S13", "芷江西路街道", (31.2610, 121.4640)),
    ("S14", "彭浦镇", (31.2980, 121.4420)),
]
NJXL = "S02"
JAS = "S01"

# Revenue profiles for the tax generator.
FLAGSHIP = "flagship"  # months of ¥100m and more
STRONG = "strong"  # ¥100m+ a year, no single month reaching ¥100m
ORDINARY = "ordinary"  # below ¥100m a year


@dataclass(frozen=True)
class BuildingSpec:
    name: str
    name_en: str
    address: str
    is_key: bool
    profile: str
    floors: int | None = None
    floor_area: int | None = None
    coords: tuple[float, float] | None = None


def _b(name, name_en, address, key, profile, floors=None, area=None, coords=None) -> BuildingSpec:
    return BuildingSpec(name, name_en, address, key, profile, floors, area, coords)


@dataclass(frozen=True)
class ClusterSpec:
    name: str
    buildings: list[BuildingSpec] = field(default_factory=list)


@dataclass(frozen=True)
class BlockSpec:
    name: str
    clusters: list[ClusterSpec] = field(default_factory=list)


HENGLONG = "恒隆广场"
BOHUA = "博华大厦"

# The Nanjing West Road business district: 27 business buildings in two block grids and
# seven building-cluster grids.
NJXL_BLOCKS: list[BlockSpec] = [
    BlockSpec(
        "南京西路商圈东片街区网格",
        [
            ClusterSpec(
                "恒隆广场楼群网格",
                [
                    _b(HENGLONG, "Plaza 66", "南京西路1266号", True, FLAGSHIP, 66, 213000, (31.2269, 121.4523)),
                    _b(
                        "中信泰富广场",
                        "CITIC Square",
                        "南京西路1168号",
                        True,
                        FLAGSHIP,
                        38,
                        110000,
                        (31.2276, 121.4546),
                    ),
                    _b("茂名金融大厦", "Maoming Finance Tower", "茂名北路200号", True, STRONG),
                    _b("吴江商务中心", "Wujiang Business Centre", "吴江路169号", True, STRONG),
                ],
            ),
            ClusterSpec(
                "梅龙镇广场楼群网格",
                [
                    _b("梅龙镇广场", "Westgate Mall", "南京西路1038号", True, STRONG, 39, 120000, (31.2293, 121.4576)),
                    _b("泰兴大厦", "Taixing Building", "泰兴路238号", True, ORDINARY),
                    _b("凤阳商务楼", "Fengyang Office Building", "凤阳路288号", False, ORDINARY),
                    _b("大田国际中心", "Datian International Centre", "大田路129号", True, STRONG),
                ],
            ),
            ClusterSpec(
                "兴业太古汇楼群网格",
                [
                    _b(
                        "兴业太古汇",
                        "HKRI Taikoo Hui",
                        "石门一路288号",
                        True,
                        FLAGSHIP,
                        48,
                        322000,
                        (31.2318, 121.4587),
                    ),
                    _b("威海路国际大厦", "Weihai Road International Tower", "威海路500号", True, STRONG),
                    _b("石门一路商务中心", "Shimen No.1 Road Business Centre", "石门一路82号", True, ORDINARY),
                    _b("华康大厦", "Huakang Building", "威海路233号", True, STRONG),
                ],
            ),
            ClusterSpec(
                "成都北路楼群网格",
                [
                    _b("成都北路商务大厦", "Chengdu North Road Business Tower", "成都北路333号", True, ORDINARY),
                    _b("北京西路金融中心", "Beijing West Road Finance Centre", "北京西路1068号", True, STRONG),
                    _b("山海关路商务楼", "Shanhaiguan Road Office Building", "山海关路339号", False, ORDINARY),
                ],
            ),
        ],
    ),
    BlockSpec(
        "南京西路商圈西片街区网格",
        [
            ClusterSpec(
                "上海商城楼群网格",
                [
                    _b("上海商城", "Shanghai Centre", "南京西路1376号", True, STRONG, 48, 185000, (31.2255, 121.4486)),
                    _b("陕北商务大楼", "Shaanbei Office Building", "陕西北路457号", True, ORDINARY),
                    _b("南汇路商务楼", "Nanhui Road Office Building", "南汇路58号", False, ORDINARY),
                    _b("奉贤路创意大楼", "Fengxian Road Creative Building", "奉贤路68号", False, ORDINARY),
                ],
            ),
            ClusterSpec(
                "静安嘉里中心楼群网格",
                [
                    _b(
                        "静安嘉里中心",
                        "Jing'an Kerry Centre",
                        "南京西路1515号",
                        True,
                        FLAGSHIP,
                        60,
                        320000,
                        (31.2244, 121.4462),
                    ),
                    _b("越洋广场", "Park Place", "南京西路1601号", True, STRONG, 43, 160000, (31.2234, 121.4453)),
                    _b("铜仁国际大厦", "Tongren International Tower", "铜仁路90号", True, STRONG),
                    _b("延安中路科技大厦", "Yan'an Middle Road Tech Tower", "延安中路1000号", True, ORDINARY),
                ],
            ),
            ClusterSpec(
                "会德丰国际广场楼群网格",
                [
                    _b(
                        "会德丰国际广场",
                        "Wheelock Square",
                        "南京西路1717号",
                        True,
                        FLAGSHIP,
                        58,
                        110000,
                        (31.2237, 121.4437),
                    ),
                    _b("西康商务广场", "Xikang Business Plaza", "西康路300号", True, STRONG),
                    _b("新闸大厦", "Xinzha Building", "新闸路1000号", True, ORDINARY),
                    _b("荣恒大厦", "Rongheng Building", "常德路500号", False, ORDINARY),
                ],
            ),
        ],
    ),
]

# Buildings outside the Nanjing West Road business district, by street (hung on the street).
OTHER_BUILDINGS: dict[str, list[BuildingSpec]] = {
    "S01": [
        _b("愚园国际大厦", "Yuyuan International Tower", "愚园路68号", True, STRONG),
        _b("华山商务中心", "Huashan Business Centre", "华山路328号", True, ORDINARY),
        _b("常德大厦", "Changde Building", "常德路800号", True, STRONG),
        _b("万航渡商务中心", "Wanhangdu Business Centre", "万航渡路88号", True, ORDINARY),
        _b("延安中路金融大厦", "Yan'an Middle Road Finance Tower", "延安中路1440号", True, ORDINARY),
        _b("乌鲁木齐北路商务楼", "Urumqi North Road Office Building", "乌鲁木齐北路200号", True, ORDINARY),
        _b("镇宁路创意大楼", "Zhenning Road Creative Building", "镇宁路9号", False, ORDINARY),
    ],
    "S04": [
        _b("新闸路国际大厦", "Xinzha Road International Tower", "新闸路831号", True, STRONG),
        _b("康定商务中心", "Kangding Business Centre", "康定路100号", True, STRONG),
        _b("石门二路大厦", "Shimen No.2 Road Building", "石门二路258号", True, ORDINARY),
        _b("北京西路商务广场", "Beijing West Road Business Plaza", "北京西路1277号", True, ORDINARY),
        _b("昌平路创意楼", "Changping Road Creative Building", "昌平路68号", False, ORDINARY),
    ],
    "S03": [
        _b("静安国际中心", "Jing'an International Centre", "江宁路1158号", True, STRONG),
        _b("武定大厦", "Wuding Building", "武定路1000号", True, ORDINARY),
        _b("余姚路商务中心", "Yuyao Road Business Centre", "余姚路60号", True, ORDINARY),
        _b("海防大厦", "Haifang Building", "海防路399号", True, ORDINARY),
    ],
    "S06": [
        _b(BOHUA, "Bohua Building", "共和路209号", True, STRONG),
        _b("恒丰国际大厦", "Hengfeng International Tower", "恒丰路500号", True, STRONG),
        _b("天目中心", "Tianmu Centre", "天目西路100号", True, ORDINARY),
        _b("长安商务大厦", "Chang'an Business Tower", "长安路1001号", True, ORDINARY),
        _b("梅园大楼", "Meiyuan Building", "梅园路77号", False, ORDINARY),
    ],
    "S05": [
        _b("长寿商务中心", "Changshou Business Centre", "长寿路1111号", True, ORDINARY),
        _b("武宁南路大厦", "Wuning South Road Building", "武宁南路488号", True, ORDINARY),
    ],
    "S07": [
        _b("北站大厦", "North Station Building", "天目中路380号", True, STRONG),
        _b("浙江北路商务楼", "Zhejiang North Road Office Building", "浙江北路118号", False, ORDINARY),
    ],
    "S10": [
        _b("大宁商务中心", "Daning Business Centre", "广中西路777号", True, STRONG),
        _b("灵石国际大厦", "Lingshi International Tower", "灵石路695号", True, ORDINARY),
        _b("共和新路科技大厦", "Gonghe New Road Tech Tower", "共和新路3088号", True, ORDINARY),
    ],
    "S14": [
        _b("市北科创中心", "Shibei Innovation Centre", "汶水路40号", True, STRONG),
        _b("江场三路科技大厦", "Jiangchang No.3 Road Tech Tower", "江场三路238号", True, ORDINARY),
    ],
    "S09": [
        _b("中山北路商务大厦", "Zhongshan North Road Business Tower", "中山北路1000号", True, ORDINARY),
    ],
    "S13": [
        _b("芷江商务楼", "Zhijiang Office Building", "芷江西路488号", False, ORDINARY),
    ],
    "S08": [
        _b("宝山路商务中心", "Baoshan Road Business Centre", "宝山路500号", True, ORDINARY),
    ],
}

# The year whose twelve months of tax revenue decide the tiers (the last complete year).
TAX_YEAR = 2025

# --- Demo accounts ----------------------------------------------------------------------
DEFAULT_PASSWORD = "GovCube-Demo-2026"
# One fixed, published TOTP secret for every demo account that needs a second factor.
# Anyone can read it here: that is why a production start refuses while demo accounts exist.
DEMO_TOTP_SECRET = "GOVCUBEDEMOTOTPSECRETJINGANDEMOA"

# Scope keys: "district", "street:<code>", "building:<name>", "enterprise:<building name>".
# Person keys: "gov:<name>" (a government person hung on the scope), "grid_convener" /
# "grid_worker" (Hang Lung Plaza's two grid chiefs), "employee:<building name>".


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: str
    scopes: tuple[str, ...]
    person: str


DEMO_ACCOUNTS: list[AccountSpec] = [
    AccountSpec("district_admin", Role.SYSTEM_ADMIN, ("district",), "gov:陈立新"),
    AccountSpec("district_security", Role.SECURITY_ADMIN, ("district",), "gov:周敏"),
    AccountSpec("district_auditor", Role.AUDITOR, ("district",), "gov:吴静"),
    AccountSpec("district_leader", Role.DISTRICT_LEADER, ("district",), "gov:徐振华"),
    AccountSpec("street_njxl", Role.STREET_OFFICIAL, ("street:S02",), "gov:赵晓雯"),
    AccountSpec("street_jas", Role.STREET_OFFICIAL, ("street:S01",), "gov:孙浩"),
    AccountSpec("grid_chief_henglong", Role.GRID_CHIEF, (f"building:{HENGLONG}",), "grid_convener"),
    AccountSpec("grid_worker_henglong", Role.GRID_WORKER, (f"building:{HENGLONG}",), "grid_worker"),
    AccountSpec(
        "liaison_wang",
        Role.LIAISON_CADRE,
        (f"building:{HENGLONG}", "building:中信泰富广场", "building:静安嘉里中心"),
        "gov:王建国",
    ),
    AccountSpec("convener_henglong", Role.CONVENER, (f"building:{HENGLONG}",), f"employee:{HENGLONG}:黄志刚"),
    AccountSpec("secretary_henglong", Role.SECRETARY, (f"building:{HENGLONG}",), f"employee:{HENGLONG}:林晓燕"),
    AccountSpec("contact_bohua", Role.ENTERPRISE_CONTACT, (f"enterprise:{BOHUA}",), f"employee:{BOHUA}:郑伟"),
    AccountSpec("employee_henglong_1", Role.EMPLOYEE, (f"building:{HENGLONG}",), f"employee:{HENGLONG}:张悦"),
    AccountSpec("employee_henglong_2", Role.EMPLOYEE, (f"building:{HENGLONG}",), f"employee:{HENGLONG}:何俊"),
    AccountSpec("employee_henglong_3", Role.EMPLOYEE, (f"building:{HENGLONG}",), f"employee:{HENGLONG}:马丽"),
    AccountSpec("service_hr", Role.SERVICE_MEMBER, ("district",), "gov:朱慧"),
    AccountSpec("service_tax", Role.SERVICE_MEMBER, ("district",), "gov:许强"),
    AccountSpec("service_lead", Role.SERVICE_LEAD, ("district",), "gov:高明"),
    AccountSpec("alliance_lead", Role.ALLIANCE_LEAD, ("district",), "gov:罗云"),
    AccountSpec("expert_li", Role.EXPERT, ("district",), "gov:李文博"),
]

# --- Name pools ---------------------------------------------------------------------------
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严戴孔汤"
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌波宁欣怡晨雨佳琪浩宇思睿子轩梓涵"
    "一诺嘉懿晓峰颖婷俊鹏飞雪梅志远海燕立新振国云鹤佩瑶舒雅天翊若溪诗涵蕾慧琳家豪博文昊然楚瑜"
)
BRAND_FIRST = "恒华瑞嘉鼎汇博锦盛泰宏德信安融智睿元优卓承启正和沐景致谦聚"
BRAND_SECOND = "信达丰通源诚远和辰泽越亿晟禾川享策合立迅衡润恺明盈弘科朗拓"

# (GB/T 4754 division, weight, name templates). Finance, law, consulting, HR services and IT
# dominate Nanjing West Road; "{b}" is a two-character brand.
ENTERPRISE_KINDS: list[tuple[str, int, tuple[str, ...]]] = [
    ("66", 6, ("上海{b}商业保理有限公司", "{b}融资租赁（上海）有限公司")),
    ("67", 10, ("上海{b}投资管理有限公司", "上海{b}资产管理有限公司", "上海{b}私募基金管理有限公司")),
    ("68", 5, ("上海{b}保险经纪有限公司", "{b}保险代理（上海）有限公司")),
    ("69", 4, ("上海{b}金融信息服务有限公司",)),
    ("72", 10, ("上海{b}企业管理咨询有限公司", "上海{b}商务咨询有限公司", "{b}（中国）投资有限公司")),
    ("72", 7, ("上海市{b}律师事务所",)),
    ("72", 7, ("上海{b}人力资源有限公司", "{b}人才服务（上海）有限公司")),
    ("72", 3, ("{b}会计师事务所（特殊普通合伙）上海分所", "上海{b}广告有限公司")),
    ("64", 5, ("上海{b}网络科技有限公司",)),
    ("65", 10, ("上海{b}信息技术有限公司", "上海{b}软件科技有限公司", "上海{b}数据科技有限公司")),
    ("51", 8, ("上海{b}国际贸易有限公司", "{b}贸易（上海）有限公司")),
    ("52", 2, ("上海{b}商贸有限公司",)),
    ("74", 5, ("上海{b}工程咨询有限公司", "上海{b}检测技术有限公司", "上海{b}建筑设计有限公司")),
    ("73", 2, ("上海{b}生物医药研发有限公司",)),
    ("75", 2, ("上海{b}科技发展有限公司",)),
    ("70", 3, ("上海{b}物业管理有限公司", "上海{b}置业有限公司")),
    ("58", 2, ("上海{b}国际货运代理有限公司",)),
    ("87", 2, ("上海{b}影视文化有限公司",)),
    ("88", 1, ("上海{b}文化艺术有限公司",)),
    ("62", 1, ("上海{b}餐饮管理有限公司",)),
    ("83", 1, ("上海{b}教育培训有限公司",)),
    ("27", 1, ("{b}医药（中国）有限公司",)),
    ("39", 1, ("{b}电子（上海）有限公司",)),
]
LAW_FIRM_MARK = "律师事务所"
# Divisions from which the Global Service Provider alliance's members are drawn.
GLOBAL_SERVICE_DIVISIONS = {"66", "67", "68", "69", "72", "65", "74"}
GLOBAL_SERVICE_PROVIDERS = 32  # first-batch members

# Current tenants per building, by profile (key buildings) and for non-key buildings.
TENANTS_PER_BUILDING = {FLAGSHIP: (20, 28), STRONG: (8, 12), ORDINARY: (4, 7), "non_key": (2, 4)}

# Fixed names of the people behind Hang Lung Plaza's two grid chief accounts.
HENGLONG_GRID_CONVENER = "刘建平"
HENGLONG_GRID_WORKER = "杨倩"
