"""The fixed content of the demo's special petitions (专项提请), project claiming (项目认领) and
supervision and evaluation (监督评议).

Every person, petition, answer, need, resource, project and comment is invented. Buildings are
named after ``demo.content``; committees by their first building (``bodies_content``); departments
by their short name (``services_content``); decisions and topics by their key in
``bodies_content.TOPICS`` or by the title of a committee story's topic. Times are working days
(petitions, whose deadlines count in working days) or calendar days (everything else) relative
to the day of loading; negative is in the past.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govcube.accounts.roles import Role
from govcube.demo import bodies_content as bc
from govcube.demo import content as c

KERRY = "静安嘉里中心"
TAIKOO = "兴业太古汇"
CITIC = "中信泰富广场"
MEILONG = "梅龙镇广场"
# The past of the invented accounts and of the party position starts this many days before loading.
SINCE_DAYS = 400

# --- people ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountSpec:
    """An invented account: a new person employed by the building's ``rank``-th largest current tenant."""

    username: str
    name: str
    building: str
    rank: int
    role: str  # enterprise_contact (for the employer) or employee (at the building)


ACCOUNTS: list[AccountSpec] = [
    AccountSpec("contact_henglong", "邱思源", c.HENGLONG, 0, Role.ENTERPRISE_CONTACT),
    AccountSpec("contact_citic", "程家栋", CITIC, 0, Role.ENTERPRISE_CONTACT),
    AccountSpec("contact_kerry", "苏婉清", KERRY, 0, Role.ENTERPRISE_CONTACT),
    AccountSpec("employee_citic_1", "宁浩然", CITIC, 1, Role.EMPLOYEE),
    AccountSpec("employee_meilong_1", "方雨萱", MEILONG, 0, Role.EMPLOYEE),
    AccountSpec("employee_taixing_1", "顾晨曦", "泰兴大厦", 0, Role.EMPLOYEE),
    AccountSpec("employee_kerry_1", "贺一鸣", KERRY, 1, Role.EMPLOYEE),
]

# The Hang Lung full-time party-and-masses worker sits on the building's joint party committee:
# she offers its resources and claims projects for it.
PARTY_COMMITTEE = "恒隆广场楼宇联合党委"
PARTY_POSITION = ("grid_worker_henglong", PARTY_COMMITTEE, "党委委员（专职党群工作者）")

# --- special petitions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionSpec:
    key: str  # overdue / accepted / contested / new: the state the story leaves it in
    committee: str  # the committee's first building
    building: str
    submitter: str  # username: the convener, or the street official over the committee
    title: str
    text: str
    evidence: str
    departments: tuple[str, ...]  # short names
    submitted: int  # working days relative to loading
    answerer: str = ""  # the department member who acknowledges and answers (first department)
    answers: tuple[str, ...] = ()  # the first answer, and the second after a contest
    decision_topic: str = ""  # key in bodies_content.TOPICS of the decision it carries out
    contest_reason: str = ""
    raters: tuple[tuple[str, int, str], ...] = ()  # (username, score, comment) once accepted


PETITIONS: list[PetitionSpec] = [
    PetitionSpec(
        key="overdue",
        committee=c.HENGLONG,
        building=CITIC,
        submitter="convener_henglong",
        title="中信泰富广场B2层快充车位电力增容及充电设施建设补贴",
        text="楼事会协商决定在中信泰富广场B2层增设20个快充车位（项目认领推进中）。经测算需新增配电容量约800千伏安，"
        "现有变压器已满负荷，业主方向供电公司申请增容两个月未获答复。提请区发改委：一是协调供电公司尽快办理增容；"
        "二是明确楼宇公共充电设施建设补贴的申报条件和时间。",
        evidence="楼事会第一期协商议事会决定；B2层配电负荷测算报告；业主方增容申请回执。",
        departments=("区发改委",),
        submitted=-20,
        answerer="service_drc_1",
        decision_topic="charging",
    ),
    PetitionSpec(
        key="accepted",
        committee=c.HENGLONG,
        building=c.HENGLONG,
        submitter="convener_henglong",
        title="吴江路沿线无证外卖作坊和餐饮后厨卫生隐患",
        text="楼内员工多次反映，吴江路沿线有几家没有门面的外卖作坊在居民楼内加工，外卖平台上却显示为正规餐厅；"
        "部分堂食餐厅后厨油污严重。员工午餐大量依赖这些外卖，存在食品安全隐患，提请区市场监管局检查处置。",
        evidence="员工反映记录12条；外卖平台店铺截图；网格员现场照片。",
        departments=("区市场监管局",),
        submitted=-7,
        answerer="service_smr_1",
        answers=(
            "南京西路市场监管所已会同街道于本周对吴江路沿线17家餐饮单位开展专项检查：2家无证外卖作坊已依法取缔，"
            "并通报外卖平台下架；3家餐厅后厨卫生不达标，责令限期整改，整改完成前暂停线上经营。"
            "下一步将在沿线餐厅推行“明厨亮灶”，检查结果在楼宇党群服务站公示，欢迎员工继续监督。",
        ),
        raters=(
            ("employee_henglong_1", 5, "处理很快，作坊当天就关了，外卖也放心多了。"),
            ("employee_henglong_2", 4, "希望“明厨亮灶”能尽快在整条街推开。"),
            ("employee_citic_1", 5, ""),
            ("employee_meilong_1", 4, "检查结果公示了，很透明。"),
        ),
    ),
    PetitionSpec(
        key="contested",
        committee=TAIKOO,
        building=TAIKOO,
        submitter="street_njxl",
        title="楼宇周边外卖骑手、快递员职业伤害保障参保难",
        text="兴业太古汇周边有三家平台企业站点，骑手和快递员约200人。走访中大家反映不清楚职业伤害保障试点是否覆盖自己、"
        "如何参保、受伤后找谁理赔；站点负责人也说不清楚。提请区人社局给予政策解答和上门服务。",
        evidence="楼事会走访记录；站点负责人座谈纪要。",
        departments=("区人社局",),
        submitted=-9,
        answerer="service_hr",
        answers=(
            "新就业形态就业人员职业伤害保障试点政策可登录“上海人社”网站查询，也可拨打12333咨询。",
            "区人社局将于下周三下午在兴业太古汇党群服务站举办专场政策宣讲，并现场办理参保登记。"
            "经核实，周边三家站点中两家所属平台已纳入试点，骑手由平台统一参保，本人无需缴费；"
            "另一家暂未纳入，我局已将诉求报市人社局。受伤后可拨打平台客服或直接到区社保中心申请职业伤害确认，"
            "我局指定邹文涛同志为联系人，电话已留给站点负责人。",
        ),
        contest_reason="答复只给了网站和热线，没有回应三家站点的骑手是否已纳入试点、如何参保和理赔，请给出具体答复。",
    ),
    PetitionSpec(
        key="new",
        committee=KERRY,
        building=KERRY,
        submitter="street_njxl",
        title="安义路夜间外摆经营点位规范设置",
        text="安义路一侧商户夜间外摆经营增多，占用人行道，员工下班通行不便，也有食品卫生隐患；"
        "商户希望规范经营而不是一关了之。提请区商务委牵头规划夜间外摆点位，区市场监管局明确食品经营要求。",
        evidence="楼事会议题征集中员工的3条相关建议；夜间现场照片。",
        departments=("区商务委", "区市场监管局"),
        submitted=-1,
        answerer="service_commerce_1",
    ),
]

# --- needs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedSpec:
    key: str
    committee: str
    title: str
    description: str
    source: str  # decision / topic / petition (visit needs: VISIT_NEEDS)
    ref: str  # decision or topic: a key in bodies_content.TOPICS or a topic's title; petition: its key
    creator: str  # username
    day: int
    building: str = ""


KERRY_STORY = next(s for s in bc.OTHER_STORIES if s.committee == KERRY)
TAIKOO_STORY = next(s for s in bc.OTHER_STORIES if s.committee == TAIKOO)

NEEDS: list[NeedSpec] = [
    NeedSpec(
        "charging",
        c.HENGLONG,
        "中信泰富广场新能源车充电车位缺口约100个",
        "楼内员工新能源车超过120辆，B2层仅有8个充电车位，排队充电、占位现象突出。",
        "decision",
        "charging",
        "convener_henglong",
        -52,
        CITIC,
    ),
    NeedSpec(
        "rider_station",
        c.HENGLONG,
        "骑手、快递员缺少歇脚、饮水和充电的地方",
        "楼宇周边每天有上百名骑手和快递员等单，夏天没有地方喝水、休息、给电动车换电。",
        "decision",
        "rider_station",
        "convener_henglong",
        -19,
        c.HENGLONG,
    ),
    NeedSpec(
        "nursing_room",
        c.HENGLONG,
        "办公区缺少母婴室",
        "楼内哺乳期员工增多，办公区没有母婴室，只能去商场区域。",
        "topic",
        "nursing_room",
        "secretary_henglong",
        -1,
        c.HENGLONG,
    ),
    NeedSpec(
        "youth",
        c.HENGLONG,
        "青年白领交友和参加志愿服务的渠道少",
        "楼内青年白领多，但缺少相互认识和参与楼宇公益的平台。",
        "topic",
        "youth",
        "secretary_henglong",
        -6,
    ),
    NeedSpec(
        "power",
        c.HENGLONG,
        "快充车位电力增容待相关部门协调",
        "快充车位建设卡在配电增容，已专项提请区发改委，等待答复期间需要街道协助推动。",
        "petition",
        "overdue",
        "convener_henglong",
        -3,
        CITIC,
    ),
    NeedSpec(
        "first_aid",
        KERRY,
        "楼宇企业缺少持证急救员和AED设备",
        "两栋楼只有物业有一台AED，企业几乎没有持证急救员。",
        "topic",
        KERRY_STORY.accepted.title,
        "street_njxl",
        -4,
        KERRY,
    ),
    NeedSpec(
        "bike_charging",
        KERRY,
        "新增非机动车停放位需配套充电设施",
        "安义路一侧新增60个非机动车停放位，员工希望同步配套集中充电柜，避免电动车进楼充电。",
        "decision",
        KERRY_STORY.decided.title,
        "street_njxl",
        -30,
        KERRY,
    ),
    NeedSpec(
        "roof_garden",
        TAIKOO,
        "屋顶花园缺少遮阳座椅和活动设施",
        "屋顶花园午间开放后使用人数多，但缺少遮阳棚和座椅，也没有开展党建活动的展示设施。",
        "decision",
        TAIKOO_STORY.decided.title,
        "street_njxl",
        -20,
        TAIKOO,
    ),
    NeedSpec(
        "rider_insurance",
        TAIKOO,
        "骑手站点需要职业伤害保障政策宣传和参保服务",
        "周边三家平台站点约200名骑手、快递员不清楚职业伤害保障政策，需要持续宣传和上门服务。",
        "petition",
        "contested",
        "street_njxl",
        -5,
        TAIKOO,
    ),
]

# A need liaison_wang records from one of his visits to the Hang Lung committee's buildings: the
# most recent done visit whose findings are one of these (finding → the need's title).
VISIT_NEEDS = {
    "白领反映：晚间加班后打车难，希望在楼宇出口设临时候车点。": "晚间加班员工打车难，需设临时候车点",
    "白领建议：开放楼顶空间作为休息区，并增加绿植。": "员工缺少午间休息空间，建议开放楼顶",
    "白领建议：午间取餐点太拥挤，希望在大堂增设外卖柜并错峰取餐。": "午间取餐点拥挤，需增设外卖柜",
    "白领建议：早高峰电梯排队超过十分钟，希望物业优化电梯分区调度。": "早高峰电梯排队，需优化分区调度",
    "白领反映：楼内缺少母婴室，哺乳期员工很不方便。": "楼内缺少母婴室",
    "白领反映：非机动车停放点不足，共享单车乱停影响通行。": "非机动车停放点不足",
    "白领建议：增加午间健身、读书等活动，丰富楼宇文化生活。": "员工希望增加午间文体活动",
    "党员反映：流动党员组织关系转接流程不清楚，希望支部集中讲解。": "流动党员组织关系转接需要集中讲解",
    "党员建议：把主题党日活动放在午间，方便在职党员参加。": "在职党员希望主题党日安排在午间",
    "联合党支部反映：活动经费使用规定需要进一步明确。": "联合党支部活动经费使用规定需明确",
    "企业反映：周边停车位不足，访客来访不便，希望协调错时共享车位。": "访客停车难，需协调错时共享车位",
    "企业反映：楼内会议室紧张，希望楼事会协调共享会议空间。": "企业会议室紧张，需要共享会议空间",
    "物业反映：外卖骑手进出大堂管理难，建议设置统一取餐区。": "骑手进出大堂管理难，需统一取餐区",
    "物业反映：楼宇周边施工围挡影响人流，希望街道协调施工方缩短工期。": "周边施工围挡影响通行",
}
VISIT_NEED_BUILDINGS = (c.HENGLONG, CITIC)

# --- resources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceSpec:
    key: str
    offerer: str  # username: an enterprise contact, or the party position's holder (PARTY_POSITION)
    kind: str
    title: str
    description: str
    quantity: str
    committee: str  # offered to this committee
    day: int
    available_days: int | None = None  # available until this many days after loading


RESOURCES: list[ResourceSpec] = [
    ResourceSpec(
        "hall",
        "contact_henglong",
        "venue",
        "46楼多功能厅",
        "可容纳80人，配投影和音响，工作日晚间和周末可借用于楼宇公益活动。",
        "每月2次",
        c.HENGLONG,
        -58,
        180,
    ),
    ResourceSpec(
        "station_fund",
        "contact_henglong",
        "funds",
        "“暖心驿站”设备采购资金",
        "用于饮水机、充电柜、应急药箱和休息座椅的采购。",
        "3万元",
        c.HENGLONG,
        -16,
    ),
    ResourceSpec(
        "charging_fund",
        "contact_citic",
        "funds",
        "快充车位建设配套资金",
        "与业主方共同出资，用于B2层快充桩采购和安装。",
        "40万元",
        c.HENGLONG,
        -48,
    ),
    ResourceSpec(
        "citic_volunteers",
        "contact_citic",
        "volunteers",
        "员工志愿者",
        "可参加楼宇公益活动、秩序引导和政策宣传。",
        "12人",
        c.HENGLONG,
        -40,
        120,
    ),
    ResourceSpec(
        "party_volunteers",
        "grid_worker_henglong",
        "volunteers",
        "楼宇党员志愿服务队",
        "楼宇联合党委组织的在职党员志愿者，可轮值保障驿站和楼宇活动。",
        "20人",
        c.HENGLONG,
        -15,
    ),
    ResourceSpec(
        "party_room",
        "grid_worker_henglong",
        "venue",
        "恒隆广场党群服务站活动室",
        "工作日午间和晚间开放，可预约开展读书会、联谊和政策宣讲。",
        "每周3个时段",
        c.HENGLONG,
        -60,
    ),
    ResourceSpec(
        "first_aid_trainers",
        "contact_kerry",
        "expertise",
        "企业医务室医生授课",
        "公司医务室两名医生持有急救培训师资质，可为楼内企业讲授心肺复苏和AED使用。",
        "每季度2场",
        KERRY,
        -3,
        150,
    ),
    ResourceSpec(
        "aed_fund",
        "contact_kerry",
        "funds",
        "AED设备捐赠",
        "捐赠两台AED，用于大堂和连廊公共区域。",
        "2台",
        KERRY,
        -2,
    ),
    ResourceSpec(
        "legal_advice",
        "contact_bohua",
        "expertise",
        "免费法律咨询",
        "律师事务所每月安排律师到党群服务站，为楼内企业和员工提供劳动用工、合同等法律咨询。",
        "每月1次",
        c.BOHUA,
        -25,
        240,
    ),
]

# --- projects -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimSpec:
    claimant: str  # username: an enterprise contact, or the party position's holder
    share: int
    commitment: str
    day: int
    approved_day: int | None = None  # None: still pending


@dataclass(frozen=True)
class UpdateSpec:
    day: int
    author: str  # username
    text: str
    progress: int | None = None
    milestone: int | None = None  # index in the project's milestones ticked off with this update
    photo: str = ""  # file name of a generated photo


@dataclass(frozen=True)
class ProjectSpec:
    key: str  # verified / in_progress / open / draft: the state the story leaves it in
    committee: str
    building: str
    manager: str  # username
    title: str
    description: str
    what_is_needed: str
    milestones: tuple[str, ...]
    needs: tuple[str, ...]  # keys in NEEDS
    created: int  # days relative to loading
    decision_topic: str = ""  # key in bodies_content.TOPICS or a story topic's title
    due: int | None = None  # due this many days after loading
    claims: tuple[ClaimSpec, ...] = ()
    resources: tuple[str, ...] = ()  # keys in RESOURCES committed to it
    updates: tuple[UpdateSpec, ...] = ()
    completed: int | None = None
    outcome: str = ""
    verified: int | None = None
    raters: tuple[tuple[str, int, str], ...] = ()


PROJECTS: list[ProjectSpec] = [
    ProjectSpec(
        key="verified",
        committee=c.HENGLONG,
        building=c.HENGLONG,
        manager="convener_henglong",
        title="恒隆广场党群服务站“暖心驿站”建设",
        description="依托恒隆广场党群服务站，为外卖骑手、快递员等新就业群体设立“暖心驿站”，提供饮水、充电、休息和应急药箱，"
        "由恒隆广场楼宇联合党委牵头、成员企业轮值保障。",
        what_is_needed="设备采购资金约3万元；每天2名轮值志愿者；驿站标识设计。",
        milestones=(
            "驿站选址和空间布置",
            "配置饮水机、充电柜和应急药箱",
            "制定开放时间和成员企业轮值表",
            "挂牌开放并试运行一周",
        ),
        needs=("rider_station",),
        created=-17,
        decision_topic="rider_station",
        due=-1,
        claims=(
            ClaimSpec(
                "grid_worker_henglong",
                70,
                "楼宇联合党委牵头建设，组织党员志愿者轮值，负责驿站日常管理。",
                -16,
                -15,
            ),
            ClaimSpec("contact_henglong", 30, "出资采购驿站设备，并安排员工参加周末轮值。", -16, -15),
        ),
        resources=("station_fund", "party_volunteers"),
        updates=(
            UpdateSpec(
                -14,
                "grid_worker_henglong",
                "与物业确定在党群服务站一楼东侧设驿站，面积约30平方米，已完成隔断和座椅布置。",
                25,
                0,
            ),
            UpdateSpec(
                -11,
                "contact_henglong",
                "饮水机、8仓充电柜和应急药箱已采购到位并安装调试，费用2.86万元。",
                55,
                1,
            ),
            UpdateSpec(
                -9,
                "grid_worker_henglong",
                "开放时间定为每天10:00—21:00，党员志愿者和5家成员企业按周轮值，轮值表已在服务站公示。",
                75,
                2,
            ),
            UpdateSpec(
                -7,
                "grid_worker_henglong",
                "驿站挂牌开放，试运行一周接待骑手、快递员约320人次，充电柜使用率较高，将增设一组。",
                95,
                3,
            ),
        ),
        completed=-6,
        outcome="“暖心驿站”已挂牌开放，每天10:00—21:00运行，试运行首周服务约320人次；党员志愿者和成员企业轮值机制已建立。",
        verified=-4,
        raters=(
            ("employee_henglong_1", 5, "驿站很实用，中午常看到骑手在里面休息。"),
            ("employee_henglong_2", 4, "希望周末也能延长开放时间。"),
            ("employee_henglong_3", 5, "党员志愿者很热情，我也报名参加轮值了。"),
            ("employee_citic_1", 4, ""),
            ("employee_meilong_1", 5, "楼门口骑手聚集的情况明显少了。"),
            ("employee_taixing_1", 4, "建议增加一组充电柜。"),
            ("grid_chief_henglong", 5, ""),
        ),
    ),
    ProjectSpec(
        key="in_progress",
        committee=c.HENGLONG,
        building=CITIC,
        manager="convener_henglong",
        title="中信泰富广场B2层新增20个快充车位",
        description="在中信泰富广场B2层调整车位布局，新增20个快充车位，由业主方和楼内企业出资建设，"
        "楼宇联合党委组织推进，并探索与周边楼宇夜间错时共享充电设施。",
        what_is_needed="建设资金约80万元；配电增容；与周边楼宇的共享协议。",
        milestones=(
            "完成B2层车位布局调整方案",
            "提交配电增容申请",
            "快充桩采购和安装",
            "验收并投入使用",
            "与周边楼宇签订夜间错时共享协议",
        ),
        needs=("charging",),
        created=-50,
        decision_topic="charging",
        due=75,
        claims=(
            ClaimSpec("contact_citic", 60, "与业主方共同出资，负责快充桩采购、安装和后期运维。", -47, -45),
            ClaimSpec(
                "grid_worker_henglong",
                40,
                "楼宇联合党委组织楼内企业党支部推进：协调业主方和物业、开展错时共享对接、组织党员志愿者引导宣传。",
                -46,
                -45,
            ),
        ),
        resources=("charging_fund",),
        updates=(
            UpdateSpec(
                -38,
                "contact_citic",
                "车位布局调整方案经业主方和物业确认：B2层东区改造20个车位，原有车位在B3层补足。",
                15,
                0,
            ),
            UpdateSpec(
                -31,
                "grid_worker_henglong",
                "东区车位地面划线和充电桩基座施工完成，现场照片见附件。",
                30,
                photo="charging-bay.png",
            ),
            UpdateSpec(
                -28,
                "contact_citic",
                "已向供电公司提交800千伏安增容申请；楼事会同步向区发改委专项提请。",
                35,
                1,
            ),
            UpdateSpec(
                -6,
                "grid_worker_henglong",
                "快充桩设备已到货入库，等待配电增容后安装；专项提请已逾期未答复，已升级到街道和区里督办。",
                40,
            ),
        ),
    ),
    ProjectSpec(
        key="open",
        committee=KERRY,
        building=KERRY,
        manager="street_njxl",
        title="楼宇企业急救员培训和AED配置",
        description="联合区红十字会和企业医务室，为静安嘉里中心和铜仁国际大厦的企业培训持证急救员，并在公共区域配置AED，"
        "目标是每家企业至少两名急救员。",
        what_is_needed="培训师资；培训场地；AED设备2台及维护。",
        milestones=("招募首批急救员学员", "完成两期心肺复苏和AED培训", "在大堂和连廊配置AED各1台"),
        needs=("first_aid",),
        created=-3,
        due=60,
        claims=(ClaimSpec("contact_kerry", 30, "公司医务室医生授课两期，并提供培训场地。", -1),),
    ),
    ProjectSpec(
        key="draft",
        committee=TAIKOO,
        building=TAIKOO,
        manager="street_njxl",
        title="兴业太古汇裙楼屋顶花园党建活动点位建设",
        description="在午间开放的裙楼屋顶花园增设遮阳座椅和党建宣传展示设施，作为楼宇党建活动和员工休憩的固定场地。",
        what_is_needed="遮阳棚和座椅；展示设施设计；活动组织志愿者。",
        milestones=("确定设施设计方案", "采购安装遮阳座椅", "布置党建展示点位"),
        needs=("roof_garden",),
        created=-2,
        decision_topic=TAIKOO_STORY.decided.title,
        due=90,
    ),
]

# --- evaluation rounds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundSpec:
    key: str  # closed / open
    committee: str
    manager: str
    title: str
    opens: int  # days relative to loading
    closes: int
    min_answers: int
    answers: tuple[tuple[str, tuple[int, int, int, int], str], ...] = field(default_factory=tuple)
    # (username, scores of the four standard score questions, suggestion)


ROUNDS: list[RoundSpec] = [
    RoundSpec(
        key="closed",
        committee=c.HENGLONG,
        manager="convener_henglong",
        title="恒隆广场楼事会季度工作评议",
        opens=-30,
        closes=-9,
        min_answers=5,
        answers=(
            ("employee_henglong_1", (5, 4, 4, 5), "希望议题办理进度能在服务站公示栏及时更新。"),
            ("employee_henglong_2", (4, 4, 3, 4), "包联干部可以多来几次员工座谈会。"),
            ("employee_henglong_3", (5, 5, 4, 4), ""),
            ("employee_citic_1", (4, 3, 4, 4), "充电车位的事希望加快。"),
            ("employee_meilong_1", (4, 4, 5, 5), ""),
            ("employee_taixing_1", (3, 4, 4, 4), "垃圾分类投放点的问题希望尽快协商。"),
            ("contact_henglong", (5, 4, 4, 5), "企业服务响应很及时。"),
            ("contact_citic", (4, 4, 4, 3), "专项提请的进展希望能主动告知企业。"),
        ),
    ),
    RoundSpec(
        key="open",
        committee=KERRY,
        manager="street_njxl",
        title="静安嘉里中心楼事会季度工作评议",
        opens=-4,
        closes=10,
        min_answers=5,
        answers=(
            ("contact_kerry", (4, 4, 5, 4), "急救培训项目希望更多企业参与。"),
            ("employee_kerry_1", (4, 3, 4, 4), ""),
        ),
    ),
]

# Ratings of a decided topic: Hang Lung's lift topic, closed after its decision was carried out.
TOPIC_RATED = "elevator"
TOPIC_RATED_DAY = -50  # rated from this day on (the topic was decided and closed at day -56)
TOPIC_RATERS: tuple[tuple[str, int, str], ...] = (
    ("employee_henglong_1", 5, "分区错峰运行后，中午等电梯基本在三分钟以内。"),
    ("employee_henglong_2", 4, ""),
    ("employee_henglong_3", 4, "时刻表公示得很清楚。"),
    ("employee_meilong_1", 3, "我们楼还没有类似措施，希望推广。"),
    ("contact_henglong", 5, ""),
)
