"""The fixed content of the building-liaison (楼宇包联) and four-visits (四访) demo.

Every cadre, finding and reason is invented. Building names refer to ``demo.content``.
"""

from __future__ import annotations

from dataclasses import dataclass

from govcube.demo import content as c

WANG = "liaison_wang"
WANG_BUILDINGS = (c.HENGLONG, "中信泰富广场", "静安嘉里中心")

# Assignments started this many days before loading (a little over a year of liaison work).
ASSIGNED_SINCE_DAYS = 400
# Visits are generated over the past months and planned over the coming weeks.
HISTORY_DAYS = 182
AHEAD_DAYS = 28
MONTHLY_QUOTA = 2
# Visits of the last RECENT_DAYS, every visit of liaison_wang and every visit that is not done
# (planned, overdue, cancelled) go through the services; older done visits of the other cadres
# are imported (see ``demo.engagement_loader``).
RECENT_DAYS = 30


@dataclass(frozen=True)
class CadreSpec:
    username: str
    name: str
    scope: str  # "street:<code>" or "district": where the liaison-cadre role is held
    buildings: tuple[str, ...]


# Invented liaison cadres: street cadres for their street's key buildings, and two district-level
# cadres (区级机关包联干部) for the northern streets, where the street has no cadre of its own here.
CADRES: list[CadreSpec] = [
    CadreSpec(
        "liaison_njxl_li",
        "李慧敏",
        "street:S02",
        ("茂名金融大厦", "吴江商务中心", "梅龙镇广场", "泰兴大厦", "大田国际中心"),
    ),
    CadreSpec(
        "liaison_njxl_chen", "陈国栋", "street:S02", ("兴业太古汇", "威海路国际大厦", "石门一路商务中心", "华康大厦")
    ),
    CadreSpec(
        "liaison_njxl_zhou",
        "周雅琴",
        "street:S02",
        ("成都北路商务大厦", "北京西路金融中心", "上海商城", "陕北商务大楼"),
    ),
    CadreSpec(
        "liaison_njxl_xu",
        "徐卫东",
        "street:S02",
        ("越洋广场", "铜仁国际大厦", "延安中路科技大厦", "会德丰国际广场", "西康商务广场", "新闸大厦"),
    ),
    CadreSpec(
        "liaison_jas_tang",
        "唐立群",
        "street:S01",
        ("愚园国际大厦", "华山商务中心", "常德大厦", "万航渡商务中心", "延安中路金融大厦", "乌鲁木齐北路商务楼"),
    ),
    CadreSpec(
        "liaison_smel_feng",
        "冯志刚",
        "street:S04",
        ("新闸路国际大厦", "康定商务中心", "石门二路大厦", "北京西路商务广场"),
    ),
    CadreSpec("liaison_jnl_pan", "潘晓东", "street:S03", ("静安国际中心", "武定大厦", "余姚路商务中心", "海防大厦")),
    CadreSpec("liaison_tmxl_ye", "叶文杰", "street:S06", (c.BOHUA, "恒丰国际大厦", "天目中心", "长安商务大厦")),
    CadreSpec(
        "liaison_district_lu", "陆海鹰", "district", ("北站大厦", "大宁商务中心", "灵石国际大厦", "共和新路科技大厦")
    ),
    CadreSpec(
        "liaison_district_shen",
        "沈佳怡",
        "district",
        ("长寿商务中心", "武宁南路大厦", "市北科创中心", "江场三路科技大厦"),
    ),
]

# The two key buildings deliberately left without a liaison cadre: the cockpit and the desk show them.
UNCOVERED = ("中山北路商务大厦", "宝山路商务中心")


@dataclass(frozen=True)
class HandoverSpec:
    building: str
    from_cadre: str
    to_cadre: str
    days_ago: int


# 周雅琴 handed 北京西路金融中心 to 陈国栋 about four months ago (the history stays with her).
HANDOVER = HandoverSpec("北京西路金融中心", "liaison_njxl_zhou", "liaison_njxl_chen", 121)

# Kinds (codes of engagement's data migration) and how often each is used.
KIND_WEIGHTS = {"enterprise": 45, "employees": 20, "party_members": 15, "management": 20}

PLACES = {
    "enterprise": "{enterprise}办公室",
    "employees": "{building}一楼大堂白领驿站",
    "party_members": "{building}党群服务站",
    "management": "{building}物业管理处",
}

PEOPLE = {
    "enterprise": (
        "行政总监 {name}",
        "人事经理 {name}",
        "总经理 {name}、财务经理",
        "党支部书记 {name}",
        "合规负责人 {name}",
    ),
    "employees": ("白领代表{n}人", "午间座谈白领{n}人", "新入职员工{n}人", "青年白领{n}人"),
    "party_members": ("流动党员{n}人", "联合党支部党员{n}人", "在职党员{n}人及支部书记 {name}"),
    "management": ("物业经理 {name}", "工程主管 {name}、安保主管", "物业客服经理 {name}"),
}

FINDINGS = {
    "enterprise": (
        "企业反映：今年计划扩租半层，希望了解区里对扩大办公面积的支持政策和申报时间。",
        "企业反映：外籍高管工作许可即将到期，续办材料不清楚，希望有专人指导。",
        "企业反映：新招应届生较多，希望对接区里的人才公寓和落户政策。",
        "企业反映：数电发票额度不够用，月底开票受影响，已告知办理途径。",
        "企业反映：跨境付款审核时间长，希望银行提供绿色通道；已记录并转告服务团队。",
        "企业经营平稳，近期无困难诉求；对楼宇党群服务站的法律咨询活动评价较好。",
        "企业反映：楼内会议室紧张，希望楼事会协调共享会议空间。",
        "企业表示愿意为楼宇公益项目提供志愿者和场地，已登记为资源。",
        "企业反映：研发费用加计扣除政策理解有分歧，希望税务部门上门辅导。",
        "企业反映：周边停车位不足，访客来访不便，希望协调错时共享车位。",
    ),
    "employees": (
        "白领建议：午间取餐点太拥挤，希望在大堂增设外卖柜并错峰取餐。",
        "白领建议：早高峰电梯排队超过十分钟，希望物业优化电梯分区调度。",
        "白领反映：楼内缺少母婴室，哺乳期员工很不方便。",
        "白领建议：增加午间健身、读书等活动，丰富楼宇文化生活。",
        "白领反映：晚间加班后打车难，希望在楼宇出口设临时候车点。",
        "白领建议：开放楼顶空间作为休息区，并增加绿植。",
        "白领对近期楼宇开展的心理健康讲座反响好，希望定期举办。",
        "白领反映：非机动车停放点不足，共享单车乱停影响通行。",
    ),
    "party_members": (
        "党员反映：流动党员组织关系转接流程不清楚，希望支部集中讲解。",
        "党员建议：把主题党日活动放在午间，方便在职党员参加。",
        "党员表示愿意参加楼宇志愿服务队，已登记八名志愿者。",
        "联合党支部反映：活动经费使用规定需要进一步明确。",
        "党员建议：结合楼宇企业特点开展“党建+业务”交流沙龙。",
        "在职党员报到情况良好，已商定下月联合开展社区服务。",
    ),
    "management": (
        "物业表示：地下车库照明改造已完成，消防通道巡查频次增加到每日两次。",
        "物业表示：空调系统夏季高峰负荷较大，计划错峰检修，需提前通知企业。",
        "物业反映：楼宇周边施工围挡影响人流，希望街道协调施工方缩短工期。",
        "物业表示：垃圾分类投放点已调整，部分企业仍需加强宣传。",
        "物业反映：外卖骑手进出大堂管理难，建议设置统一取餐区。",
        "物业表示：本季度消防演练已完成，发现两处消防通道堆物，已整改。",
        "物业反映：楼宇空置率有所上升，希望区里协助招商对接。",
    ),
}

CANCEL_REASONS = (
    "企业负责人临时出差，改约下月。",
    "街道临时会议冲突，另行安排。",
    "台风预警，暂停外出走访。",
    "物业更换项目经理，待交接后再访。",
    "企业搬迁中，待入驻新址后走访。",
)

# liaison_wang's story: visits passed on (finding → topic for the Hang Lung committee, finding →
# service request), and an overdue visit still on the desk. Days are relative to loading.


@dataclass(frozen=True)
class StoryVisit:
    key: str
    building: str
    kind: str
    days: int  # negative: in the past
    findings: str = ""
    people: str = ""
    enterprise_rank: int | None = None  # the building's n-th largest current tenant
    outcome: str = "done"  # done / overdue / cancelled / planned
    reason: str = ""


WANG_STORY: list[StoryVisit] = [
    StoryVisit(
        "topic",
        c.HENGLONG,
        "employees",
        -2,
        findings="白领建议：早高峰八点半到九点半电梯排队常超过十分钟，希望物业按楼层分区运行，"
        "并在高峰时段开放一部货梯临时分流。",
        people="午间座谈白领12人",
    ),
    StoryVisit(
        "request",
        "静安嘉里中心",
        "enterprise",
        -3,
        findings="企业反映：今年新招的三名应届硕士希望办理人才引进落户，企业不清楚静安区的受理流程和材料要求，"
        "希望服务团队上门指导。",
        people="人事经理",
        enterprise_rank=1,
    ),
    StoryVisit("overdue", "中信泰富广场", "management", -6, outcome="overdue"),
    StoryVisit(
        "cancelled", c.HENGLONG, "party_members", -20, outcome="cancelled", reason="街道临时会议冲突，另行安排。"
    ),
    StoryVisit("upcoming", c.HENGLONG, "enterprise", 5, outcome="planned", enterprise_rank=0),
]

TOPIC_TITLE = "早高峰电梯排队时间过长，建议分区运行"
REQUEST_ITEM = "talent.settlement"
REQUEST_TITLE = "应届硕士人才引进落户咨询（走访转办）"
