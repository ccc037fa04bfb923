"""The fixed content of the demo's governance bodies and deliberation.

Body names follow GLOSSARY.md; the people, topics, meetings, decisions and minutes are
invented. Buildings are named, people are referred to by *person references* the loader
resolves (see ``bodies_loader.BodiesLoader.person``):

- ``@<username>``: the person of a demo account;
- ``grid:<building>:convener`` / ``grid:<building>:worker``: a Nanjing West Road building's grid chiefs;
- ``staff:<building>:<rank>``: the first staff member of the building's tenant of that rank (by headcount);
- ``extra:<key>``: one of ``EXTRA_PEOPLE`` below, created by the bodies loader.

A body member may also be an organisation: ``ent:<building>:<rank>`` (the building's tenant of
that rank by headcount) or ``org:<name>`` (a party organisation of the foundation data).

Times are days relative to the day of loading (negative: in the past), so the demo always has
a past and a future; the loader moves meetings off weekends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govcube.demo import content as c

HENGLONG_COMMITTEE = "恒隆广场楼宇事务委员会"
# Hang Lung Plaza's committee covers its own building-cluster grid and the neighbouring one
# (梅龙镇广场楼群网格) of the same block grid: eight buildings.
HENGLONG_BUILDINGS = (
    c.HENGLONG,
    "中信泰富广场",
    "茂名金融大厦",
    "吴江商务中心",
    "梅龙镇广场",
    "泰兴大厦",
    "凤阳商务楼",
    "大田国际中心",
)
CATEGORIES = ["环境", "交通", "餐饮", "党建", "企业服务"]
MEMBERS_SINCE_DAYS = -400  # every term in the demo started this many days before loading


@dataclass(frozen=True)
class CommitteeSpec:
    buildings: tuple[str, ...]  # the first one names the committee
    majority_rule: str = "simple"

    @property
    def name(self) -> str:
        return f"{self.buildings[0]}楼宇事务委员会"


# Fifteen more of the 50 key buildings' committees, each covering one to three buildings.
COMMITTEES: list[CommitteeSpec] = [
    CommitteeSpec(("兴业太古汇", "华康大厦")),
    CommitteeSpec(("威海路国际大厦", "石门一路商务中心")),
    CommitteeSpec(("北京西路金融中心", "成都北路商务大厦", "山海关路商务楼")),
    CommitteeSpec(("上海商城", "陕北商务大楼"), "absolute"),
    CommitteeSpec(("静安嘉里中心", "铜仁国际大厦")),
    CommitteeSpec(("越洋广场", "延安中路科技大厦")),
    CommitteeSpec(("会德丰国际广场", "西康商务广场", "新闸大厦"), "absolute"),
    CommitteeSpec(("愚园国际大厦", "华山商务中心")),
    CommitteeSpec(("常德大厦",)),
    CommitteeSpec((c.BOHUA,)),
    CommitteeSpec(("恒丰国际大厦", "天目中心")),
    CommitteeSpec(("静安国际中心", "武定大厦"), "two_thirds"),
    CommitteeSpec(("新闸路国际大厦", "康定商务中心")),
    CommitteeSpec(("北站大厦",)),
    CommitteeSpec(("大宁商务中心", "灵石国际大厦")),
    CommitteeSpec(("市北科创中心", "江场三路科技大厦")),
]


@dataclass(frozen=True)
class ExtraPerson:
    key: str
    name: str
    node: str  # "district" or a street code suffix


# People the bodies need who are not in the foundation's plan.
EXTRA_PEOPLE: list[ExtraPerson] = [
    ExtraPerson("service_industry", "钱志宏", "district"),  # 首席服务官 · 产业扶持
    ExtraPerson("service_approval", "韩雪", "district"),  # 首席服务官 · 行政审批
    ExtraPerson("expert_ge", "葛晓岚", "district"),
    ExtraPerson("expert_shao", "邵振宇", "district"),
    ExtraPerson("shier_convener", "沈卫东", "S04"),  # 石门二路街道党工委
]


# Hang Lung Plaza's committee: (role, member reference).
HENGLONG_MEMBERS: tuple[tuple[str, str], ...] = (
    ("convener", "@convener_henglong"),
    ("deputy", "grid:中信泰富广场:convener"),
    ("secretary", "@secretary_henglong"),
    ("member", "@grid_chief_henglong"),
    ("member", "@grid_worker_henglong"),
    ("member", "grid:梅龙镇广场:convener"),
    ("member", "grid:大田国际中心:convener"),
    ("lead_unit", "org:恒隆广场楼宇联合党委"),
    ("member_unit", "org:梅龙镇广场楼宇联合党委"),
    ("member_unit", f"ent:{c.HENGLONG}:0"),
    ("member_unit", "ent:茂名金融大厦:0"),
    ("member_unit", "ent:凤阳商务楼:0"),
    ("expert", "@expert_li"),
)


@dataclass(frozen=True)
class PlatformSpec:
    name: str
    kind: str
    node: str  # "district", "street:<suffix>" or "block:<block grid name>"
    buildings: tuple[str, ...]  # building names; ("*block",) every building under the node, ("*njxl",) the 27
    description: str
    members: tuple[tuple[str, str], ...]  # (role, member reference)


PLATFORMS: list[PlatformSpec] = [
    PlatformSpec(
        name="静安寺商圈治理联盟",
        kind="governance_alliance",
        node="district",
        buildings=(
            "静安嘉里中心",
            "越洋广场",
            "会德丰国际广场",
            "上海商城",
            "愚园国际大厦",
            "华山商务中心",
            "常德大厦",
            "延安中路金融大厦",
        ),
        description="静安寺商圈的商务楼宇、商业综合体、街道和职能部门共同参与的商圈治理平台，"
        "统筹商圈环境、交通秩序、营商服务和公共活动。",
        members=(
            ("convener", "@street_jas"),
            ("deputy", "@street_njxl"),
            ("lead_unit", "org:静安寺街道党工委"),
            ("member_unit", "org:南京西路街道党工委"),
            ("member_unit", "org:静安嘉里中心楼宇联合党委"),
            ("member_unit", "org:会德丰国际广场楼宇联合党委"),
            ("member_unit", "org:上海商城楼宇联合党委"),
            ("member_unit", "org:愚园国际大厦楼宇联合党委"),
            ("member_unit", "ent:静安嘉里中心:0"),
            ("member_unit", "ent:越洋广场:0"),
        ),
    ),
    PlatformSpec(
        name="恒隆广场商圈党建联席会议",
        kind="joint_conference",
        node="block:南京西路商圈东片街区网格",
        buildings=("*block",),
        description="南京西路街道党工委牵头，恒隆广场商圈各楼宇联合党委、重点企业党组织共同参加，"
        "定期研究商圈党建和楼宇治理中的共性问题。",
        members=(
            ("convener", "@street_njxl"),
            ("member", "@convener_henglong"),
            ("member", "@grid_worker_henglong"),
            ("lead_unit", "org:南京西路街道党工委"),
            ("member_unit", "org:恒隆广场楼宇联合党委"),
            ("member_unit", "org:梅龙镇广场楼宇联合党委"),
            ("member_unit", "org:兴业太古汇楼宇联合党委"),
            ("member_unit", "org:成都北路商务大厦楼宇联合党委"),
            ("member_unit", f"ent:{c.HENGLONG}:0"),
            ("member_unit", "ent:兴业太古汇:0"),
        ),
    ),
    PlatformSpec(
        name="“邻里石二”街区共治联席会议",
        kind="joint_meeting",
        node="street:S04",
        buildings=("新闸路国际大厦", "康定商务中心", "石门二路大厦", "北京西路商务广场", "昌平路创意楼"),
        description="石门二路街道以“邻里石二”为品牌，联合辖区楼宇、企业和居民区共商街区事务，"
        "推进街区“三大行动”和“九大项目”。",
        members=(
            ("convener", "extra:shier_convener"),
            ("member", "staff:新闸路国际大厦:0"),
            ("lead_unit", "org:石门二路街道党工委"),
            ("member_unit", "org:新闸路国际大厦楼宇联合党委"),
            ("member_unit", "org:康定商务中心楼宇联合党委"),
            ("member_unit", "org:石门二路大厦楼宇联合党委"),
            ("member_unit", "org:北京西路商务广场楼宇联合党委"),
            ("member_unit", "ent:康定商务中心:0"),
            ("member_unit", "ent:石门二路大厦:0"),
        ),
    ),
    PlatformSpec(
        name="静安区楼宇首席服务团队",
        kind="service_team",
        node="district",
        buildings=("*njxl",),
        description="区职能部门、市级机构驻区单位和行业协会选派骨干组成，进驻南京西路商圈楼宇，"
        "提供产业扶持、行政审批、财税金融和人才服务，一站式办理企业诉求。",
        members=(
            ("convener", "@service_lead"),
            ("member", "@service_hr"),
            ("member", "@service_tax"),
            ("member", "extra:service_industry"),
            ("member", "extra:service_approval"),
        ),
    ),
    PlatformSpec(
        name="城市基层党建专家顾问团",
        kind="expert_panel",
        node="district",
        buildings=(),
        description="聘请高校和研究机构的专家，为楼宇党建、商圈治理的规划和项目提供咨询意见。",
        members=(("expert", "@expert_li"), ("expert", "extra:expert_ge"), ("expert", "extra:expert_shao")),
    ),
]

ALLIANCE_NAME = "“全球服务商”党建联盟"
ALLIANCE_DESCRIPTION = (
    "由区发展和改革委员会牵头，首批32家全球服务商成员单位，形成“1+4+6”组织架构，"
    "实施“政引擎”“商联体”“智核心”三大计划，建立任务清单、项目推进和常态议事机制；"
    "组织共建、活动共办、资源共享、人才共育。"
)
# (name, industry divisions whose global service providers join it)
WORKING_GROUPS: list[tuple[str, frozenset[str]]] = [
    ("“全球服务商”党建联盟“商联体”金融服务工作组", frozenset({"66", "67", "68", "69"})),
    ("“全球服务商”党建联盟“智核心”专业服务工作组", frozenset({"72", "74", "65"})),
]

# --- Hang Lung Plaza's deliberation ---------------------------------------------------------


@dataclass(frozen=True)
class TopicSpec:
    title: str
    text: str
    category: str
    proposer: str  # person reference; anything but "@…" is a walk-in entered by the convener
    supporters: tuple[str, ...] = ()
    anonymous: bool = False
    on_behalf: bool = False  # speaks for the proposer's employer
    day: int = 0  # submitted this many days relative to loading


TOPICS: dict[str, TopicSpec] = {
    # The past campaign.
    "elevator": TopicSpec(
        "午间电梯高峰排队过长，建议分区错峰运行",
        "<p>工作日11:45至12:30，恒隆广场一座低区电梯厅排队常超过10分钟，不少同事因此压缩了午休时间。</p>"
        "<p>建议物业对高低区电梯实行分区错峰运行，并协调各楼层企业适当错开午休时段。</p>",
        "交通",
        "@employee_henglong_1",
        ("@employee_henglong_3", "@grid_worker_henglong", "@secretary_henglong"),
        day=-82,
    ),
    "elevator_again": TopicSpec(
        "电梯等候时间太长",
        "<p>中午下楼吃饭要等很久电梯，希望楼里想想办法。</p>",
        "交通",
        "@employee_henglong_2",
        day=-80,
    ),
    "charging": TopicSpec(
        "地下车库新能源车充电桩严重不足",
        "<p>中信泰富广场地下车库目前只有8个充电车位，楼内员工的新能源车已超过120辆，排队充电现象突出。</p>"
        "<p>建议在B2层增设快充车位，并探索与周边楼宇错时共享充电设施。</p>",
        "交通",
        "staff:中信泰富广场:0",
        ("@employee_henglong_2", "@grid_chief_henglong"),
        on_behalf=True,
        day=-79,
    ),
    "parcel": TopicSpec(
        "楼宇周边外卖快递取餐点秩序混乱",
        "<p>午餐时段茂名北路、吴江路口电动车和骑手聚集，占用人行道，取餐员工和骑手都不安全。</p>"
        "<p>希望设置固定的临时停车取餐区，并在楼内划定取餐点。</p>",
        "环境",
        "staff:梅龙镇广场:0",
        ("@employee_henglong_1", "@employee_henglong_3"),
        day=-77,
    ),
    "rider_station": TopicSpec(
        "为外卖骑手、快递员设立“暖心驿站”",
        "<p>每天有大量骑手和快递员在楼宇周边等单，夏天没有地方喝水、歇脚、给电动车充电。</p>"
        "<p>建议依托党群服务站设立“暖心驿站”，让新就业群体也能感受到楼宇的温度。</p>",
        "党建",
        "@employee_henglong_3",
        ("@employee_henglong_1", "@employee_henglong_2", "@grid_chief_henglong"),
        anonymous=True,
        day=-76,
    ),
    "canteen": TopicSpec(
        "希望引入平价员工餐厅或团餐服务",
        "<p>商圈周边餐厅人均消费偏高，年轻员工每天午餐支出压力不小。</p>"
        "<p>建议楼事会协调业主方利用裙楼空间引入平价员工餐厅，或由楼内企业联合团餐。</p>",
        "餐饮",
        "@employee_henglong_2",
        ("@employee_henglong_1", "@employee_henglong_3", "@grid_worker_henglong"),
        day=-74,
    ),
    "meeting_rooms": TopicSpec(
        "希望楼宇为每家企业免费提供会议室",
        "<p>小微企业租用面积小，没有独立会议室，接待客户很不方便，希望楼宇免费提供会议室。</p>",
        "企业服务",
        "staff:吴江商务中心:0",
        on_behalf=True,
        day=-73,
    ),
    "talent_permit": TopicSpec(
        "外籍高管人才居住证办理流程不清楚",
        "<p>公司新引进两名外籍高管，办理人才居住证和工作许可需要准备哪些材料、到哪里办理都不清楚，希望得到指导。</p>",
        "企业服务",
        "staff:恒隆广场:1",
        on_behalf=True,
        day=-70,
    ),
    # The current campaign.
    "weekend_ac": TopicSpec(
        "周末加班时段空调不开，办公室闷热",
        "<p>周六周日加班时中央空调不开，申请加时空调手续繁琐、费用也高，希望优化加时空调的申请办法。</p>",
        "环境",
        "@employee_henglong_1",
        ("@employee_henglong_2",),
        anonymous=True,
        day=-2,
    ),
    "nursing_room": TopicSpec(
        "建议在党群服务站增设母婴室",
        "<p>楼内年轻妈妈越来越多，目前只有商场区域有母婴室，办公区没有，希望党群服务站能增设一间。</p>",
        "党建",
        "@employee_henglong_3",
        day=-1,
    ),
    "bikes": TopicSpec(
        "南京西路人行道共享单车乱停放，影响通行",
        "<p>早高峰后恒隆广场门前人行道停满共享单车，轮椅和婴儿车很难通过。</p>"
        "<p>建议与运营企业协调设置电子围栏和专人调度。</p>",
        "交通",
        "@employee_henglong_2",
        ("@employee_henglong_1",),
        day=-6,
    ),
    "youth": TopicSpec(
        "建议举办楼宇青年白领联谊和志愿服务活动",
        "<p>楼里年轻人多，但彼此不认识。建议由楼宇联合党委牵头，组织青年联谊、读书会和志愿服务，增强归属感。</p>",
        "党建",
        "@employee_henglong_3",
        ("@employee_henglong_1", "@employee_henglong_2"),
        day=-8,
    ),
    "waste": TopicSpec(
        "垃圾分类投放点夜间异味明显",
        "<p>泰兴大厦后门的湿垃圾投放点晚上清运不及时，夏天异味很重，影响周边楼宇。</p>"
        "<p>建议增加夜间清运频次，并对投放点做密闭改造。</p>",
        "环境",
        "staff:泰兴大厦:0",
        ("@employee_henglong_1", "@grid_worker_henglong"),
        day=-9,
    ),
    "lunch_orders": TopicSpec(
        "午高峰餐厅排队时间长，建议推广线上错峰订餐",
        "<p>中午12点前后各餐厅排队普遍超过20分钟。建议联合商圈餐厅推出线上预订、错峰取餐的优惠，引导员工错峰就餐。</p>",
        "餐饮",
        "@employee_henglong_1",
        ("@employee_henglong_2", "@employee_henglong_3", "@grid_chief_henglong"),
        day=-9,
    ),
    "service_kiosk": TopicSpec(
        "希望在楼内设立政务服务自助终端",
        "<p>企业办理营业执照变更、社保和公积金业务要跑到行政服务中心，建议在楼内设立“一网通办”自助终端。</p>",
        "企业服务",
        "staff:大田国际中心:0",
        ("@employee_henglong_3",),
        on_behalf=True,
        day=-7,
    ),
    "parcel_lockers": TopicSpec(
        "快递柜容量不足",
        "<p>大堂快递柜经常满格，快递只能堆在前台，建议增加快递柜。</p>",
        "环境",
        "@employee_henglong_2",
        day=-5,
    ),
}

DECLINE_REASON = {
    "meeting_rooms": "楼内共享会议室由物业按市场化方式运营，免费提供涉及各业主单位的经营安排，不属于楼事会协商范围。"
    "恒隆广场党群服务站的会议室可免费预约使用，欢迎通过服务站预约。",
}
REFER_REASON = {
    "talent_permit": "已转静安区楼宇首席服务团队，由人才服务首席服务官一对一上门指导办理（一件事一次办）。",
}


@dataclass(frozen=True)
class DecisionSpec:
    text: str
    method: str  # "show_of_hands" or "roll_call"
    against: int = 0  # show of hands: votes against; roll call: how many of those present vote against
    abstain: int = 0
    follow_ups: tuple[tuple[str, str], ...] = ()  # (kind, description)


@dataclass(frozen=True)
class ItemSpec:
    title: str = ""  # free-text item; empty for a topic's item (it takes the topic's title)
    topic: str = ""  # key in TOPICS
    minutes_planned: int = 15
    minutes: str = ""
    decision: DecisionSpec | None = None
    deliberate_only: bool = False  # discussed, no decision yet
    close_topic: bool = False  # the convener closes the topic after the follow-up is under way


@dataclass(frozen=True)
class MeetingSpec:
    title: str
    day: int  # relative to loading
    hour: int
    minute: int
    place: str
    kind: str = "regular"
    observer_seats: int = 0  # > 0: open to observers
    observers: tuple[str, ...] = ()  # account usernames registered as observers
    absent: int = 2  # voting members who did not come
    items: tuple[ItemSpec, ...] = field(default_factory=tuple)


HENGLONG_PLACE = "恒隆广场党群服务站（南京西路1266号）"

HENGLONG_PAST_MEETINGS: list[MeetingSpec] = [
    MeetingSpec(
        title="恒隆广场楼事会开放式协商议事会（第一期）",
        day=-56,
        hour=14,
        minute=30,
        place=HENGLONG_PLACE,
        kind="open",
        observer_seats=20,
        observers=("employee_henglong_2", "employee_henglong_3"),
        absent=2,
        items=(
            ItemSpec(
                title="通报上季度楼宇包联走访情况",
                minutes_planned=15,
                minutes="<p>网格长刘建平通报：上季度包联干部走访企业46家，召开员工座谈会3场，收集诉求27条，已办结24条，"
                "其余3条正在协调。</p><p>与会成员对走访情况表示认可，建议下季度加大对小微企业的走访力度。</p>",
            ),
            ItemSpec(
                topic="elevator",
                minutes_planned=20,
                minutes="<p>物业公司介绍了电梯运行数据：午高峰低区电梯平均等候8.5分钟。与会成员讨论了分区运行、错峰午休两种方案，"
                "列席员工代表发言支持先行试点。</p>",
                decision=DecisionSpec(
                    "同意自下月起工作日11:30—13:30对恒隆广场一座电梯实行高低区分区错峰运行，"
                    "由物业公司制定时刻表并在各楼层公示，试行一个月后评估。",
                    "show_of_hands",
                    abstain=1,
                    follow_ups=(("task", "物业公司制定电梯分区错峰运行时刻表并在各楼层电梯厅公示"),),
                ),
                close_topic=True,
            ),
            ItemSpec(
                topic="charging",
                minutes_planned=20,
                minutes="<p>中信泰富广场业主方表示可在B2层调整车位布局。成员单位建议由楼内企业党支部认领推进，"
                "并与周边楼宇探索夜间错时共享。</p>",
                decision=DecisionSpec(
                    "同意在中信泰富广场B2层增设20个快充车位，由业主方出资建设、楼内企业党支部认领推进，"
                    "并探索与周边楼宇夜间共享充电设施。",
                    "roll_call",
                    against=1,
                    abstain=1,
                    follow_ups=(("project", "中信泰富广场B2层新增20个快充车位（项目认领）"),),
                ),
                close_topic=True,
            ),
        ),
    ),
    MeetingSpec(
        title="恒隆广场楼事会协商议事会（第二期）",
        day=-21,
        hour=14,
        minute=30,
        place="恒隆广场46楼多功能厅",
        absent=3,
        items=(
            ItemSpec(
                topic="parcel",
                minutes_planned=20,
                minutes="<p>网格长介绍了午间骑手聚集点的现场踏勘情况。因涉及市政道路，需要交通、城管部门支持，"
                "成员一致同意以楼事会名义专项提请。</p>",
                decision=DecisionSpec(
                    "同意在茂名北路、吴江路口设置外卖骑手临时停车取餐区，由楼事会向区交通委、区城管执法局专项提请，"
                    "楼宇物业配合划线与引导。",
                    "show_of_hands",
                    follow_ups=(("petition", "专项提请：茂名北路、吴江路口设置非机动车临时停车取餐区"),),
                ),
            ),
            ItemSpec(
                topic="rider_station",
                minutes_planned=20,
                minutes="<p>恒隆广场楼宇联合党委提出依托党群服务站设立“暖心驿站”的方案，成员企业表示愿意轮值保障饮水和应急物资。</p>",
                decision=DecisionSpec(
                    "同意在恒隆广场党群服务站设立新就业群体“暖心驿站”，提供饮水、充电、休息和应急药箱，"
                    "由恒隆广场楼宇联合党委牵头、成员企业轮值保障。",
                    "roll_call",
                    follow_ups=(
                        ("project", "恒隆广场党群服务站“暖心驿站”建设与成员企业轮值"),
                        ("task", "制定“暖心驿站”开放时间和轮值表"),
                    ),
                ),
            ),
            ItemSpec(
                topic="canteen",
                minutes_planned=20,
                minutes="<p>业主方表示裙楼空间已有租约，短期内难以引入员工餐厅。成员建议先摸清需求：委托秘书处会同物业在8栋楼开展员工就餐需求问卷，"
                "下次会议再议。</p>",
                deliberate_only=True,
            ),
            ItemSpec(
                title="关于将楼事会例会调整为每两月召开一次的动议",
                minutes_planned=10,
                minutes="<p>有成员提出例会过于频繁，动议改为每两月一次。多数成员认为议题较多，应保持每月一次，动议未获通过。</p>",
                decision=DecisionSpec(
                    "将楼事会例会由每月一次调整为每两月一次。", "show_of_hands", against=6, abstain=1
                ),
            ),
        ),
    ),
]

HENGLONG_UPCOMING = MeetingSpec(
    title="恒隆广场楼事会开放式协商议事会（第三期）",
    day=12,
    hour=14,
    minute=30,
    place=HENGLONG_PLACE,
    kind="open",
    observer_seats=30,
    observers=("employee_henglong_1", "employee_henglong_2"),
    items=(
        ItemSpec(title="“暖心驿站”运行情况通报", minutes_planned=10),
        ItemSpec(topic="waste", minutes_planned=20),
        ItemSpec(topic="lunch_orders", minutes_planned=20),
        ItemSpec(topic="service_kiosk", minutes_planned=15),
    ),
)

# --- A few other committees ------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeStory:
    """A lighter cycle for another committee, run by the street official over its territory."""

    committee: str  # the first building's name
    manager: str  # account username
    campaign: str
    submitted: TopicSpec
    accepted: TopicSpec
    referred: tuple[TopicSpec, str]  # the topic and where it went
    decided: TopicSpec  # raised on a visit, decided at the past meeting
    meeting: MeetingSpec
    minutes: str
    decision: DecisionSpec


OTHER_STORIES: list[CommitteeStory] = [
    CommitteeStory(
        committee="静安嘉里中心",
        manager="street_njxl",
        campaign="静安嘉里中心楼事会季度议题征集",
        submitted=TopicSpec(
            "建议延长南区连廊的开放时间",
            "<p>南区连廊晚上8点关闭，加班员工只能绕行延安中路，建议延长到晚上10点。</p>",
            "交通",
            "staff:静安嘉里中心:2",
            day=-3,
        ),
        accepted=TopicSpec(
            "组织楼宇企业开展急救技能培训",
            "<p>建议联合区红十字会在楼内开展心肺复苏和AED使用培训，每家企业至少培训两名急救员。</p>",
            "党建",
            "staff:铜仁国际大厦:0",
            day=-5,
        ),
        referred=(
            TopicSpec(
                "企业申报高新技术企业政策咨询",
                "<p>公司计划申报高新技术企业，希望了解区里的扶持政策和申报辅导安排。</p>",
                "企业服务",
                "staff:静安嘉里中心:1",
                on_behalf=True,
                day=-6,
            ),
            "已转静安区楼宇首席服务团队，由产业扶持首席服务官对接申报辅导。",
        ),
        decided=TopicSpec(
            "安义路一侧非机动车停放区不足",
            "<p>走访中多家企业反映，安义路一侧员工电动车无处停放，经常被贴条。</p>",
            "交通",
            "staff:静安嘉里中心:3",
            day=-40,
        ),
        meeting=MeetingSpec(
            title="静安嘉里中心楼事会协商议事会",
            day=-33,
            hour=15,
            minute=0,
            place="静安嘉里中心党群服务站",
            absent=1,
        ),
        minutes="<p>物业公司介绍了安义路一侧空地的权属和改造方案，成员单位同意增设停放位，并建议配套充电设施。</p>",
        decision=DecisionSpec(
            "同意利用安义路一侧绿化带内侧空地增设60个非机动车停放位，由物业负责建设和日常管理。",
            "show_of_hands",
            follow_ups=(("task", "物业公司完成安义路非机动车停放位施工"),),
        ),
    ),
    CommitteeStory(
        committee="兴业太古汇",
        manager="street_njxl",
        campaign="兴业太古汇楼事会议题征集",
        submitted=TopicSpec(
            "希望在楼内开设职工心理健康讲座",
            "<p>工作节奏快、压力大，建议定期邀请专业机构开展心理健康讲座和一对一咨询。</p>",
            "党建",
            "staff:兴业太古汇:2",
            day=-2,
        ),
        accepted=TopicSpec(
            "石门一路出租车候客点秩序混乱",
            "<p>晚高峰石门一路出租车候客点排队混乱，车辆占用非机动车道，存在安全隐患。</p>",
            "交通",
            "staff:华康大厦:0",
            day=-4,
        ),
        referred=(
            TopicSpec(
                "咨询跨境资金结算便利化政策",
                "<p>公司有跨境服务贸易收入，希望了解外汇结算便利化试点的办理条件。</p>",
                "企业服务",
                "staff:兴业太古汇:1",
                on_behalf=True,
                day=-5,
            ),
            "已转静安区楼宇首席服务团队财税金融专员，会同合作银行上门辅导。",
        ),
        decided=TopicSpec(
            "裙楼屋顶花园对楼内员工开放",
            "<p>裙楼屋顶花园平时很少开放，建议午间对楼内员工开放，作为休憩和党建活动场地。</p>",
            "环境",
            "staff:兴业太古汇:3",
            day=-35,
        ),
        meeting=MeetingSpec(
            title="兴业太古汇楼事会协商议事会",
            day=-26,
            hour=10,
            minute=0,
            place="兴业太古汇二座党群服务站",
            absent=1,
        ),
        minutes="<p>业主方同意午间开放屋顶花园，提出需增加安保人员；成员建议将屋顶花园作为楼宇党建活动的固定场地。</p>",
        decision=DecisionSpec(
            "同意工作日11:30—14:00向楼内员工开放裙楼屋顶花园，由物业配备安保，党建活动可提前预约使用。",
            "show_of_hands",
            abstain=1,
            follow_ups=(("task", "物业公司制定屋顶花园开放和预约规则"),),
        ),
    ),
    CommitteeStory(
        committee="愚园国际大厦",
        manager="street_jas",
        campaign="愚园国际大厦楼事会议题征集",
        submitted=TopicSpec(
            "愚园路沿线施工围挡影响员工通行",
            "<p>愚园路沿线施工围挡占用人行道，早晚高峰通行拥挤，希望协调施工单位优化围挡。</p>",
            "交通",
            "staff:愚园国际大厦:3",
            day=-2,
        ),
        accepted=TopicSpec(
            "建议与周边社区共建共享停车资源",
            "<p>楼宇夜间车位空置，周边居民区停车难，建议探索错时共享停车。</p>",
            "交通",
            "staff:华山商务中心:1",
            day=-4,
        ),
        referred=(
            TopicSpec(
                "企业员工落户政策咨询",
                "<p>应届毕业生员工想了解落户积分政策，希望有专人讲解。</p>",
                "企业服务",
                "staff:愚园国际大厦:2",
                day=-6,
            ),
            "已转静安区楼宇首席服务团队人才服务首席服务官，安排政策宣讲。",
        ),
        decided=TopicSpec(
            "大楼公共区域增设直饮水设施",
            "<p>楼内只有部分楼层有饮水机，建议在公共区域增设直饮水设施，减少桶装水和塑料瓶使用。</p>",
            "环境",
            "staff:愚园国际大厦:4",
            day=-48,
        ),
        meeting=MeetingSpec(
            title="愚园国际大厦楼事会协商议事会",
            day=-40,
            hour=14,
            minute=0,
            place="愚园国际大厦党群服务站",
            absent=1,
        ),
        minutes="<p>成员企业普遍支持增设直饮水设施，业主方表示可承担设备和维护费用，楼宇联合党委倡导“无瓶办公”。</p>",
        decision=DecisionSpec(
            "同意在各楼层公共区域增设直饮水设施，费用由业主方承担，楼宇联合党委牵头倡导“无瓶办公”。",
            "show_of_hands",
            follow_ups=(("task", "业主方完成各楼层直饮水设施安装"),),
        ),
    ),
]

# The enterprise contact of 博华大厦 raises a topic on the company's behalf; it waits for screening.
BOHUA_TOPIC = TopicSpec(
    "共和路公交站候车亭缺少遮阳设施",
    "<p>博华大厦门口的共和路公交站候车亭没有遮阳棚，夏天员工候车暴晒，建议协调增设遮阳设施。</p>",
    "交通",
    "@contact_bohua",
    on_behalf=True,
    day=-3,
)
