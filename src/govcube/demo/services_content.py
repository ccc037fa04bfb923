"""The fixed content of the service desk's demo: departments and their staff, the catalogue,
the texts requests are written with, the service days and the current requests of the story.

The departments are the district bureaus, the city office, the bank and the association that
staff Jing'an's chief service team (首席服务团队); their names are real, the people are
invented (the persons behind ``service_hr``, ``service_tax`` and ``service_lead`` come from
``content.DEMO_ACCOUNTS``; 钱志宏 and 韩雪 from ``bodies_content.EXTRA_PEOPLE``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govcube.services.models import Channel, Domain

# --- Departments and staff ------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A member of a department: an existing demo account (``@username``), an extra person of the
    bodies demo (``extra:<name>``) or an invented person (a plain name)."""

    username: str
    person: str


@dataclass(frozen=True)
class DepartmentSpec:
    key: str
    name: str
    short_name: str
    kind: str
    coordinator: Member | None
    staff: tuple[Member, ...]  # on the rota, in this order
    rota: tuple[str, ...] = ()  # buildings outside the Nanjing West Road business district, by name


BOHUA_ROTA = ("博华大厦", "恒丰国际大厦", "愚园国际大厦", "常德大厦", "新闸路国际大厦", "静安国际中心")

DEPARTMENTS: list[DepartmentSpec] = [
    DepartmentSpec(
        "commerce",
        "静安区商务委员会",
        "区商务委",
        "bureau",
        Member("service_industry", "extra:钱志宏"),  # 首席服务官 · 产业扶持
        (Member("service_commerce_1", "陆嘉怡"), Member("service_commerce_2", "潘俊杰")),
        BOHUA_ROTA,
    ),
    DepartmentSpec(
        "hr",
        "静安区人力资源和社会保障局",
        "区人社局",
        "bureau",
        Member("service_hr_coord", "戴晓红"),
        (Member("service_hr", "@service_hr"), Member("service_hr_2", "邹文涛")),
        BOHUA_ROTA,
    ),
    DepartmentSpec(
        "drc",
        "静安区发展和改革委员会",
        "区发改委",
        "bureau",
        Member("service_drc_coord", "汪立群"),
        (Member("service_drc_1", "蒋雨桐"),),
    ),
    DepartmentSpec(
        "tax",
        "国家税务总局上海市静安区税务局",
        "静安区税务局",
        "bureau",
        Member("service_tax_coord", "龚建华"),
        (Member("service_tax", "@service_tax"), Member("service_tax_2", "夏晓婷"), Member("service_tax_3", "常凯")),
        BOHUA_ROTA,
    ),
    DepartmentSpec(
        "smr",
        "静安区市场监督管理局",
        "区市场监管局",
        "bureau",
        Member("service_approval", "extra:韩雪"),  # 首席服务官 · 行政审批
        (Member("service_smr_1", "顾思远"), Member("service_smr_2", "谭静怡")),
        BOHUA_ROTA,
    ),
    DepartmentSpec(
        "invest",
        "静安区投资促进办公室",
        "区投促办",
        "bureau",
        Member("service_invest_coord", "孔令辉"),
        (Member("service_invest_1", "白雪晴"),),
    ),
    DepartmentSpec(
        "exit",
        "上海市公安局静安分局出入境管理办公室",
        "静安出入境办",
        "city_office",
        Member("service_exit_coord", "万海涛"),
        (Member("service_exit_1", "史佳妮"),),
        ("博华大厦",),
    ),
    DepartmentSpec(
        "boc",
        "中国银行上海市静安支行",
        "中行静安支行",
        "bank",
        Member("service_boc_coord", "严志明"),
        (Member("service_boc_1", "金晓雯"),),
    ),
    # The association names no coordinator: the team lead dispatches its requests by hand, so its
    # new requests wait as "submitted" on the lead's board until they are assigned.
    DepartmentSpec(
        "fic",
        "静安区工商业联合会（总商会）",
        "区工商联",
        "association",
        None,
        (Member("service_fic_1", "汤立伟"),),
    ),
]

# --- Catalogue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    code: str
    domain: str
    name: str
    department: str
    first_response_hours: int
    update_hours: int
    resolution_days: int
    weight: int  # how often enterprises ask for it
    documents: tuple[str, ...]
    guide: str
    requests: tuple[tuple[str, str], ...]  # (title, description)
    answers: tuple[str, ...]
    asks: tuple[str, ...]  # what the owner asks the enterprise for while the clock pauses


CATALOGUE: list[ItemSpec] = [
    # --- industry support -----------------------------------------------------------------------
    ItemSpec(
        "industry.expansion",
        Domain.INDUSTRY,
        "企业扩大投资政策咨询",
        "drc",
        4,
        16,
        5,
        5,
        ("营业执照", "投资计划或项目说明", "近两年财务报表"),
        "企业在静安新增投资、扩大经营规模的，可咨询区级产业政策和市级重大项目支持政策；"
        "首席服务官结合企业情况一对一解读适用条款和申报时间。",
        (
            (
                "咨询增资扩产可享受的区级扶持政策",
                "公司计划明年在静安追加投资约5000万元，扩大研发团队和办公面积，想了解可以申请哪些区级扶持政策，以及申报时间。",
            ),
            (
                "新设研发中心能否纳入区重点项目",
                "集团拟在现有办公楼内新设区域研发中心，请问是否可以纳入区重点产业项目库，需要准备什么材料？",
            ),
            (
                "扩租办公面积的租金补贴政策咨询",
                "因业务增长，计划在本楼扩租两层，想了解是否有办公用房租金补贴，补贴标准和条件是什么。",
            ),
        ),
        (
            "已结合企业投资计划逐条解读区产业发展政策的适用条款，企业符合新增投资奖励申报条件，"
            "申报窗口为每年3月和9月，已发送申报指南和材料清单。",
            "经与区发改委产业科会商，企业项目可纳入区重点产业项目库跟踪服务，已指导企业在“一网通办”提交项目信息表。",
        ),
        ("请提供近两年经审计的财务报表和投资计划书，以便判断适用的政策条款。",),
    ),
    ItemSpec(
        "industry.hq",
        Domain.INDUSTRY,
        "总部企业认定",
        "commerce",
        8,
        24,
        20,
        3,
        ("总部认定申请表", "营业执照", "母公司授权文件", "上年度审计报告", "下属企业清单"),
        "跨国公司地区总部、民营企业总部和贸易型总部认定，由区商务委预审后报市商务委认定；"
        "认定后可享受开办、租房和人才等方面的支持。",
        (
            (
                "申请跨国公司地区总部认定",
                "我司是欧洲某集团在华投资性公司，管理中国区6家子公司，希望申请跨国公司地区总部认定，请协助预审材料。",
            ),
            ("民营企业总部认定条件咨询", "公司总部在静安，去年营收约12亿元，想了解民营企业总部认定的营收和纳税门槛。"),
            ("总部认定后区级奖励兑现", "我司去年已获跨国公司地区总部认定，请问区级开办和租房支持如何申请兑现？"),
        ),
        (
            "已完成材料预审，指导企业补正授权文件公证件，材料已报送市商务委，认定结果公示后将第一时间告知企业。",
            "已解读认定条件：企业营收、纳税和管理子公司数量均达标，已发送申请表模板和填报说明，并约定上门指导填报。",
        ),
        ("请补充母公司对中国区总部的授权文件（需公证认证）和下属企业清单。",),
    ),
    ItemSpec(
        "industry.special_fund",
        Domain.INDUSTRY,
        "产业发展专项资金申报",
        "commerce",
        4,
        16,
        10,
        4,
        ("申报书", "营业执照", "上年度财务报表", "项目投入证明材料"),
        "现代服务业、专业服务业和商贸流通等区级专项资金每年集中申报，首席服务官提供政策匹配、申报辅导和进度查询。",
        (
            (
                "专业服务业专项资金申报辅导",
                "我们今年新增多名高级合伙人并拓展跨境业务，想申报专业服务业发展专项资金，请提供申报辅导。",
            ),
            ("专项资金申报进度查询", "上半年提交的商贸流通专项资金申请目前处于哪个环节？预计什么时候拨付？"),
            ("首店经济扶持资金咨询", "我们的品牌在南京西路开设了上海首店，请问首店扶持资金如何申请？"),
        ),
        (
            "已逐项核对申报条件并辅导企业完成申报书，材料已通过区商务委形式审查，进入专家评审环节。",
            "经查询，企业申请已通过评审并完成公示，资金预计下月拨付，已提醒企业核对收款账户信息。",
        ),
        ("请补充上年度审计报告和项目投入的发票清单。",),
    ),
    ItemSpec(
        "industry.site",
        Domain.INDUSTRY,
        "企业选址与扩租对接",
        "invest",
        4,
        16,
        5,
        3,
        ("企业基本情况介绍", "面积、区位和预算需求"),
        "区投资促进办公室掌握商圈楼宇空置和招租信息，为企业落户、迁入和扩租提供选址对接，并协调楼宇业主。",
        (
            (
                "寻找南京西路商圈约2000平方米办公空间",
                "公司计划明年二季度整合上海两个办公点，需要南京西路商圈约2000平方米的甲级写字楼，请推荐合适楼宇。",
            ),
            ("外区企业迁入静安选址咨询", "公司目前注册在外区，计划迁入静安，想了解可选楼宇和迁入流程。"),
            ("同楼扩租协调", "我司需要在本楼扩租半层，楼宇业主暂无空置，希望协助协调周边楼宇资源。"),
        ),
        (
            "已推荐3栋符合面积和区位要求的楼宇并安排实地看房，企业已与其中一栋楼宇业主进入租赁洽谈。",
            "已对接楼宇业主和周边楼宇招商部门，提供可选空间清单，并说明迁入静安的登记和税务办理流程。",
        ),
        ("请提供企业人员规模、预计入驻时间和预算范围，便于精准推荐楼宇。",),
    ),
    ItemSpec(
        "industry.gsp",
        Domain.INDUSTRY,
        "“全球服务商”计划申报",
        "drc",
        8,
        24,
        15,
        2,
        ("申报表", "营业执照", "全球业务网络说明", "近三年服务案例"),
        "“全球服务商”计划面向在静安提供全球化专业服务的企业，入选企业可获得品牌推介、政策支持和联盟资源对接。",
        (
            (
                "申报“全球服务商”计划",
                "我司在20多个国家设有合作网络，为中国企业出海提供法律和合规服务，想申报新一批“全球服务商”。",
            ),
            (
                "入选“全球服务商”后的支持政策咨询",
                "公司已入选“全球服务商”，想了解可以享受哪些支持政策，以及如何参加联盟工作组活动。",
            ),
        ),
        (
            "已辅导企业完成申报表和服务案例材料，申报材料已提交区发改委，评审结果公布后另行通知。",
            "已介绍“全球服务商”支持政策和联盟工作组，企业已加入对口的专业服务工作组。",
        ),
        ("请补充近三年的海外服务案例和境外合作机构清单。",),
    ),
    ItemSpec(
        "industry.trade",
        Domain.INDUSTRY,
        "服务贸易和离岸贸易便利化咨询",
        "commerce",
        4,
        16,
        5,
        2,
        ("营业执照", "业务合同样本"),
        "面向开展服务贸易、离岸贸易和跨境电商业务的企业，提供政策解读，并对接海关、外汇管理等部门。",
        (
            ("新型离岸国际贸易政策咨询", "公司开展新型离岸国际贸易，想了解静安的支持政策和银行结算的要求。"),
            (
                "技术进出口合同登记咨询",
                "我司与境外母公司签订了技术许可合同，需要办理技术进出口合同登记，请问流程和材料。",
            ),
        ),
        (
            "已解读离岸贸易支持政策，并对接合作银行的离岸贸易结算专窗，企业已完成首笔业务结算。",
            "已指导企业在技术进出口合同信息管理系统在线登记，登记证书已发放。",
        ),
        ("请提供合同文本和交易流程说明。",),
    ),
    ItemSpec(
        "industry.chamber",
        Domain.INDUSTRY,
        "商会入会与产业链对接",
        "fic",
        8,
        24,
        10,
        2,
        ("企业简介", "对接需求说明"),
        "区工商联及所属商会为民营企业提供入会、产业链上下游对接和法律维权服务。",
        (
            (
                "申请加入区商会并对接产业链资源",
                "我们是一家数据科技公司，希望加入区商会，并对接金融机构和专业服务机构客户。",
            ),
            ("民营企业法律维权咨询", "公司遇到合同款项长期拖欠，想了解工商联是否有法律服务和商事调解渠道。"),
        ),
        (
            "已办理入会手续，并在商会季度对接会上为企业安排了与3家金融机构的洽谈。",
            "已介绍商会商事调解中心的服务，调解员已与企业联系并启动调解。",
        ),
        ("请提供合同和往来催款记录，便于调解员了解情况。",),
    ),
    # --- administrative approval ------------------------------------------------------------------
    ItemSpec(
        "approval.license_change",
        Domain.APPROVAL,
        "营业执照变更登记",
        "smr",
        4,
        16,
        3,
        6,
        ("变更登记申请书", "股东会决议", "章程修正案", "新住所证明"),
        "企业名称、住所、经营范围、法定代表人等变更，可在“一网通办”全程网办；首席服务官提供预审和疑难事项协调，"
        "材料齐全的一般次日办结。",
        (
            ("公司住所变更登记", "公司在本楼内从18层搬到25层，需要办理住所变更登记，请问能否全程网办？"),
            ("增加经营范围", "公司拟增加“人力资源服务”经营范围，请问是否需要前置许可？"),
            (
                "外籍法定代表人变更登记",
                "公司更换法定代表人，新任法定代表人是外籍人士，办理变更登记需要哪些材料？",
            ),
        ),
        (
            "已指导企业通过“一网通办”提交住所变更，材料预审通过，新营业执照已于次日发放。",
            "经核实，该经营范围需先取得人力资源服务许可，已告知办理路径，许可证取得后即可办理经营范围变更。",
        ),
        ("请补充新住所的租赁合同和产权证明复印件。", "请上传经公证认证的外籍法定代表人身份证明。"),
    ),
    ItemSpec(
        "approval.food",
        Domain.APPROVAL,
        "食品经营许可",
        "smr",
        4,
        16,
        10,
        3,
        ("食品经营许可申请书", "营业执照", "经营场所平面布局图", "食品安全管理制度"),
        "楼宇内员工餐厅、咖啡店、团餐配送等需办理食品经营许可；现场核查由区市场监管局安排，首席服务官协调核查时间。",
        (
            (
                "员工餐厅办理食品经营许可",
                "公司在楼内开设员工食堂，供约300人就餐，需要办理食品经营许可，请协助协调现场核查时间。",
            ),
            ("咖啡店食品经营许可延续", "楼内咖啡店的食品经营许可证下月到期，请问延续手续和时限。"),
            ("团餐配送资质咨询", "楼宇希望引入团餐配送服务，配送企业需要具备哪些许可？"),
        ),
        (
            "已协调完成现场核查，经营场所符合要求，食品经营许可证已核发。",
            "已指导企业在到期前提交延续申请，材料齐全，许可证已延续。",
        ),
        ("请补充经营场所平面布局图和设备布局图。",),
    ),
    ItemSpec(
        "approval.setup",
        Domain.APPROVAL,
        "企业开办“一件事”",
        "smr",
        4,
        16,
        3,
        3,
        ("设立登记申请书", "公司章程", "股东身份证明", "住所证明"),
        "企业设立登记、公章刻制、发票申领、社保登记和银行预约开户“一表申请、一窗发放”，材料齐全的1个工作日内办结。",
        (
            (
                "新设子公司“一件事”办理",
                "集团计划在本楼新设一家咨询子公司，希望一次办完营业执照、公章、发票和社保登记。",
            ),
            ("外商投资企业设立咨询", "境外投资者拟在静安设立外商独资企业，请问设立登记和外商投资信息报告的流程。"),
        ),
        (
            "已指导企业“一表申请”，营业执照、公章和发票已一窗发放，社保登记同步完成。",
            "已解读外商投资企业设立流程，企业已完成设立登记，外商投资信息报告随登记一并报送。",
        ),
        ("请补充投资者主体资格证明的公证认证文件。",),
    ),
    ItemSpec(
        "approval.move_in",
        Domain.APPROVAL,
        "外区企业迁入登记",
        "smr",
        4,
        16,
        5,
        2,
        ("迁移登记申请书", "新住所证明", "税务迁移相关材料"),
        "外区企业迁入静安的，住所变更和税务迁移可联动办理，首席服务官协调两地市场监管和税务部门。",
        (
            ("企业从外区迁入静安", "公司决定从浦东新区迁入本楼，需要办理跨区迁移，请协调登记和税务迁移手续。"),
            ("分支机构迁入登记咨询", "我司在外区的分公司拟迁入本楼，请问迁移登记和原地注销哪个先办？"),
        ),
        (
            "已协调两地市场监管和税务部门联动办理，企业迁入登记已完成，税务迁移同步办结。",
            "已说明分支机构迁移的办理顺序，企业已按指引在“一网通办”提交申请并办结。",
        ),
        ("请提供新住所租赁合同和原登记机关出具的材料。",),
    ),
    ItemSpec(
        "approval.project",
        Domain.APPROVAL,
        "企业投资项目备案",
        "drc",
        4,
        16,
        5,
        1,
        ("项目备案信息表", "营业执照"),
        "企业在静安实施的投资项目，按规定在投资项目在线审批监管平台备案；首席服务官协助判断是否需要备案。",
        (
            ("办公楼装修改造项目备案", "公司总部装修改造总投资约3000万元，请问是否需要办理投资项目备案？"),
            ("数据中心改造项目备案咨询", "公司拟对自有机房进行节能改造，请问项目备案和节能审查的要求。"),
        ),
        (
            "经核实，项目需在投资项目在线审批监管平台备案，已指导企业完成填报，备案证明已生成。",
            "已解读备案和节能审查的要求，企业已完成项目备案。",
        ),
        ("请提供项目总投资构成和建设内容说明。",),
    ),
    ItemSpec(
        "approval.medical",
        Domain.APPROVAL,
        "第二类医疗器械经营备案",
        "smr",
        4,
        16,
        5,
        1,
        ("备案表", "营业执照", "质量管理制度", "经营场所证明"),
        "经营第二类医疗器械的企业须向区市场监管局备案，材料齐全的当场备案。",
        (
            (
                "第二类医疗器械经营备案",
                "公司新增医疗器械销售业务（仅第二类），请问经营备案的材料和办理时限。",
            ),
        ),
        ("已指导企业在线提交备案材料，备案已完成，备案凭证可在线下载。",),
        ("请补充质量管理制度文件和质量负责人的资质证明。",),
    ),
    ItemSpec(
        "approval.deregister",
        Domain.APPROVAL,
        "企业简易注销",
        "smr",
        4,
        16,
        10,
        1,
        ("简易注销申请书", "全体投资人承诺书"),
        "未发生债权债务或已清偿完毕的企业可申请简易注销，公示期20日，公示期满无异议的即可办结。",
        (("分公司简易注销咨询", "我司在本楼的分公司已停止经营，想办理简易注销，请问需要多长时间。"),),
        ("已指导企业完成清税并提交简易注销申请，公示期满无异议，注销登记已办结。",),
        ("请先在电子税务局完成清税，并上传清税信息。",),
    ),
    # --- finance, tax and banking -----------------------------------------------------------------
    ItemSpec(
        "finance.invoice",
        Domain.FINANCE,
        "发票申领",
        "tax",
        2,
        8,
        2,
        6,
        ("经办人身份证件", "近期业务合同"),
        "新办纳税人首次领用发票、调整数电发票开票额度和专用发票最高开票限额，可在电子税务局办理；"
        "首席服务官协助加急审核。",
        (
            ("申请调增数电发票开票额度", "公司本月业务集中结算，数电发票开票额度不够用，申请临时调增额度。"),
            ("新办企业首次领用发票", "公司刚完成设立登记，需要首次领用发票，请问流程。"),
            (
                "专用发票最高开票限额调整",
                "公司大额合同增多，申请将增值税专用发票最高开票限额从十万元调整为百万元。",
            ),
        ),
        (
            "已核实企业经营情况，临时调增数电发票开票额度，企业可在电子税务局即时使用。",
            "已指导企业在电子税务局完成首次领用，发票已发放。",
            "已受理限额调整申请并完成实地核查，最高开票限额已调整为一百万元。",
        ),
        ("请提供近期已签订的大额合同复印件，作为调整额度的依据。",),
    ),
    ItemSpec(
        "finance.tax_incentive",
        Domain.FINANCE,
        "税收优惠政策咨询",
        "tax",
        4,
        16,
        3,
        5,
        ("营业执照", "财务报表"),
        "研发费用加计扣除、高新技术企业、小型微利企业、技术先进型服务企业等税收优惠的适用条件和享受方式解读。",
        (
            (
                "研发费用加计扣除政策咨询",
                "公司今年研发投入较大，想了解研发费用加计扣除的归集口径，以及预缴申报时能否享受。",
            ),
            (
                "技术先进型服务企业税收优惠咨询",
                "我司主要承接离岸服务外包业务，想了解技术先进型服务企业认定和企业所得税优惠。",
            ),
            ("小型微利企业优惠适用", "公司去年应纳税所得额约260万元，请问是否仍可适用小型微利企业优惠？"),
        ),
        (
            "已解读研发费用归集口径和预缴申报享受方式，并发送辅助账模板，企业已在预缴申报时享受加计扣除。",
            "已说明技术先进型服务企业认定条件和优惠税率，企业符合条件，已指导准备认定材料。",
            "经核实，企业应纳税所得额超过300万元的才不适用，企业可继续享受小型微利企业优惠，已说明填报方法。",
        ),
        ("请提供上年度企业所得税年度申报表和研发项目立项文件。",),
    ),
    ItemSpec(
        "finance.export_rebate",
        Domain.FINANCE,
        "出口退（免）税办理",
        "tax",
        4,
        16,
        5,
        2,
        ("出口退（免）税备案表", "跨境服务合同", "收汇凭证"),
        "跨境应税服务适用增值税零税率的，需办理出口退（免）税备案后申报退税；首席服务官提供辅导和进度查询。",
        (
            (
                "跨境服务零税率备案",
                "公司向境外客户提供研发设计服务，想了解零税率跨境应税服务的备案和退税流程。",
            ),
            ("出口退税进度查询", "上月申报的出口退税目前处于哪个环节？"),
        ),
        (
            "已指导企业完成出口退（免）税备案，并辅导首次退税申报，退税款已到账。",
            "经查询，退税申报已审核通过，退库手续已办结。",
        ),
        ("请补充跨境服务合同和对应的收汇凭证。",),
    ),
    ItemSpec(
        "finance.account",
        Domain.FINANCE,
        "银行开户绿色通道",
        "boc",
        2,
        8,
        3,
        3,
        ("营业执照", "法定代表人身份证件", "公章"),
        "新设企业和外资企业开立基本存款账户的绿色通道，客户经理可上门服务，资料齐全的3个工作日内完成开户。",
        (
            (
                "新设外资企业基本户开户",
                "我司为新设外商独资企业，法定代表人在境外，想了解远程开立基本存款账户的办法。",
            ),
            ("开户预约上门服务", "公司刚迁入本楼，需要开立基本存款账户，希望银行客户经理上门办理。"),
        ),
        (
            "已安排客户经理上门核实，通过视频方式完成法定代表人意愿核实，基本存款账户已开立。",
            "客户经理已上门办理，基本存款账户已开立，网银和回单箱同步开通。",
        ),
        ("请提供法定代表人的护照信息页和授权经办人的身份证件。",),
    ),
    ItemSpec(
        "finance.cross_border",
        Domain.FINANCE,
        "跨境资金结算便利化",
        "boc",
        4,
        16,
        5,
        2,
        ("营业执照", "跨境业务合同", "近一年收付汇记录"),
        "优质企业跨境人民币结算、贸易外汇收支便利化和跨国公司资金池业务的条件解读和办理。",
        (
            (
                "跨境服务贸易收汇便利化咨询",
                "公司有跨境服务贸易收入，希望了解外汇结算便利化试点的办理条件。",
            ),
            ("跨境双向人民币资金池咨询", "集团希望在上海设立跨境双向人民币资金池，请问需要满足哪些条件。"),
        ),
        (
            "已评估企业收汇情况，企业符合便利化试点条件，已纳入试点名单，后续收汇可凭指令办理。",
            "已解读资金池业务条件，并协助企业准备备案材料，资金池已完成备案。",
        ),
        ("请提供近一年的收付汇明细和主要跨境合同。",),
    ),
    ItemSpec(
        "finance.financing",
        Domain.FINANCE,
        "中小企业融资对接",
        "boc",
        4,
        16,
        10,
        2,
        ("营业执照", "近两年财务报表", "融资需求说明"),
        "科技型中小企业信用贷款、知识产权质押融资和政府性融资担保的对接服务。",
        (
            ("科技型中小企业信用贷款", "公司轻资产运营，想申请科技型中小企业信用贷款，请问额度和利率。"),
            ("知识产权质押融资咨询", "公司拥有多项软件著作权和专利，想了解知识产权质押融资。"),
        ),
        (
            "已完成授信调查，为企业核定信用贷款额度500万元，首笔贷款已发放。",
            "已对接知识产权评估机构和担保机构，质押融资方案已确定，企业正在办理质押登记。",
        ),
        ("请提供近两年财务报表和主要客户合同。",),
    ),
    # --- talent services ------------------------------------------------------------------------
    ItemSpec(
        "talent.work_permit",
        Domain.TALENT,
        "外国人来华工作许可",
        "hr",
        4,
        16,
        5,
        5,
        ("护照", "最高学历学位证书及认证报告", "无犯罪记录证明", "工作资历证明", "劳动合同或聘用意向书", "体检证明"),
        "外籍人员来沪工作须办理外国人来华工作许可（A/B/C类），在外国人来华工作管理服务系统在线申请；"
        "首席服务官提供材料预审、类别评估和疑难协调，材料齐全的5个工作日内办结。",
        (
            ("外籍高管办理工作许可", "公司新聘一名德国籍财务总监，请协助确认能否申请A类工作许可并预审材料。"),
            ("外籍员工工作许可延期", "外籍员工的工作许可下月到期，请问延期需要提前多久申请，需要哪些材料？"),
            (
                "外籍应届毕业生工作许可咨询",
                "公司拟聘用一名在沪高校毕业的外籍硕士应届生，请问能否直接办理工作许可。",
            ),
        ),
        (
            "已完成材料预审并确认符合A类（外国高端人才）条件，企业已在线提交申请，工作许可已核发。",
            "已指导企业在到期前30日内提交延期申请，材料齐全，延期已办结。",
            "经核实，在沪高校外籍优秀毕业生可直接申请工作许可，已指导企业提交，许可已核发。",
        ),
        ("请补充学历学位证书的认证报告和无犯罪记录证明。", "请上传劳动合同和近期的体检证明。"),
    ),
    ItemSpec(
        "talent.settlement",
        Domain.TALENT,
        "人才引进落户",
        "hr",
        8,
        24,
        15,
        3,
        ("申请表", "学历学位证书", "劳动合同", "社保缴纳证明", "个人所得税纳税记录"),
        "符合条件的重点机构紧缺急需人才、高层次人才和应届毕业生可申请落户上海；首席服务官协助评估条件并跟踪审批进度。",
        (
            ("应届硕士毕业生落户咨询", "公司今年招用的两名应届硕士毕业生想申请落户，请问评分标准和办理时间。"),
            ("人才引进落户材料预审", "公司一名核心技术骨干符合人才引进条件，请协助预审落户材料。"),
            ("落户审批进度查询", "三个月前提交的人才引进落户申请目前在哪个环节？"),
        ),
        (
            "已解读应届毕业生落户评分办法，两名员工均达到标准分，已指导企业在线提交申请。",
            "材料预审通过，已指导企业补正个税记录后在线提交，申请已进入市级审核。",
            "经查询，申请已通过审核并公示，企业可凭通知办理后续手续。",
        ),
        ("请补充近两年的社保缴纳证明和个人所得税纳税记录。",),
    ),
    ItemSpec(
        "talent.social_insurance",
        Domain.TALENT,
        "社保缴纳咨询",
        "hr",
        4,
        16,
        3,
        5,
        ("单位社保登记信息", "员工身份证件"),
        "单位社保登记、缴费基数调整、补缴和外籍员工参保等问题的咨询和协调。",
        (
            ("年度社保缴费基数调整", "公司需要办理年度社保缴费基数调整，请问申报时间和操作方式。"),
            ("外籍员工参加社保咨询", "公司外籍员工是否必须参加上海社会保险，可以只缴纳部分险种吗？"),
            ("员工社保补缴", "因人事交接疏漏，一名员工少缴了两个月社保，请问如何补缴。"),
        ),
        (
            "已说明年度缴费基数申报时间和网上办理步骤，企业已完成申报。",
            "已解读外籍人员参加社会保险的规定，并说明与部分国家签订的互免协定，企业已为员工办理参保。",
            "已指导企业通过网上经办平台办理补缴，补缴已完成。",
        ),
        ("请提供员工劳动合同和工资发放记录。",),
    ),
    ItemSpec(
        "talent.recruitment",
        Domain.TALENT,
        "企业招聘用工对接",
        "hr",
        4,
        16,
        5,
        2,
        ("招聘需求表", "营业执照"),
        "楼宇专场招聘会、高校毕业生就业补贴和稳岗政策的对接服务。",
        (
            ("参加楼宇专场招聘会", "公司需要招聘20名客服和运营人员，希望参加楼宇专场招聘会。"),
            ("吸纳高校毕业生就业补贴", "公司今年招用了15名应届高校毕业生，请问能否申请吸纳就业补贴。"),
        ),
        (
            "已为企业安排下期楼宇专场招聘会展位，并在公共招聘平台同步发布岗位。",
            "经核实企业符合吸纳就业补贴条件，已指导在线申请，补贴已拨付。",
        ),
        ("请提供招用人员名单和劳动合同。",),
    ),
    ItemSpec(
        "talent.residence",
        Domain.TALENT,
        "外国人工作类居留许可",
        "exit",
        4,
        16,
        7,
        3,
        ("护照", "工作许可证", "境外人员住宿登记表", "单位函件"),
        "持工作许可的外籍人员应在入境后30日内申请工作类居留许可；出入境管理部门提供预约和材料预审。",
        (
            (
                "外籍员工工作类居留许可办理",
                "公司德国籍员工已取得工作许可，下周入境，想预约办理工作类居留许可。",
            ),
            ("外籍高管家属随行居留", "外籍高管的配偶和子女随行来沪，请问家属居留许可如何办理。"),
        ),
        (
            "已协助预约受理时间并预审材料，居留许可已签发。",
            "已说明家属随行居留的材料要求，家属居留许可已与主申请人同步签发。",
        ),
        ("请补充境外人员住宿登记表和单位函件。",),
    ),
    ItemSpec(
        "talent.visa",
        Domain.TALENT,
        "口岸签证与邀请函咨询",
        "exit",
        2,
        8,
        3,
        2,
        ("邀请函", "营业执照", "来访人员护照信息"),
        "境外客户、专家来沪商务洽谈的邀请函出具和口岸签证办理要求的咨询。",
        (
            ("境外客户来访邀请函", "下月有境外客户来沪商务洽谈，请问企业出具邀请函和口岸签证的办理要求。"),
            ("境外专家紧急来沪口岸签证", "境外专家需紧急来沪处理设备故障，来不及办理签证，能否申请口岸签证？"),
        ),
        (
            "已说明邀请函格式和口岸签证的办理条件，企业已按要求出具邀请函，客户顺利入境。",
            "经核实符合口岸签证条件，已协助企业提前报备，专家已在口岸办妥签证入境。",
        ),
        ("请提供来访人员的护照信息页和行程安排。",),
    ),
]

# Items a request is sometimes filed under by mistake or that need another department:
# item code → (department it is transferred to, reason code of ``TRANSFER_REASONS``).
TRANSFERS: dict[str, tuple[str, str]] = {
    "industry.expansion": ("commerce", "wrong_department"),
    "industry.site": ("commerce", "needs_joint_handling"),
    "talent.work_permit": ("exit", "wrong_department"),
    "talent.settlement": ("exit", "outside_district"),
    "approval.license_change": ("tax", "needs_joint_handling"),
    "finance.tax_incentive": ("drc", "wrong_department"),
    "finance.cross_border": ("commerce", "needs_joint_handling"),
    "approval.move_in": ("tax", "needs_joint_handling"),
}

# --- Texts of the history --------------------------------------------------------------------------

FIRST_RESPONSES = (
    "您好，您的诉求已由{department}{name}受理，我会尽快与您联系办理。",
    "您好，我是{department}首席服务专员{name}，已收到您的诉求，正在核实相关情况。",
    "您好，{department}{name}已受理。已初步了解您的需求，稍后电话与您确认细节。",
)
ENTERPRISE_REPLIES = ("材料已上传，请查收。", "已按要求补充，谢谢。", "补充材料已上传，麻烦尽快处理。")
RESUME_NOTES = (
    "企业已通过邮件补充材料，恢复办理。",
    "企业经办人已到现场补交材料，恢复办理。",
    "企业已电话补充说明情况，恢复办理。",
)
TRANSFER_NOTES = {
    "wrong_department": "经核实，该事项由{department}负责，已转办并附上已了解的情况。",
    "needs_joint_handling": "该事项需要{department}办理相关手续，已转办并同步办理记录。",
    "outside_district": "该事项由{department}受理，已转办，办理记录随同移交。",
}
EXTENSION_REASONS = (
    "需等待市级部门的审核意见，申请延长办理时限。",
    "企业材料需境外公证认证，预计需延长办理时间。",
    "涉及多个部门联合会商，申请延期。",
)
REOPEN_NOTE = "回访时企业表示问题未完全解决，已按规定重新受理，3个工作日内再次办理。"
REVIEW_NOTES = (
    "已约谈承办人，复盘办理过程；已回访企业说明原因并致歉，企业表示理解。",
    "经核查，办理超时系等待市级部门审核所致，已要求承办人加强过程告知；已回访企业。",
    "已重新安排专人对接，企业问题已解决，承办部门已完成整改。",
)
RATING_COMMENTS = {
    5: ("办理很快，专员很专业，谢谢！", "一次就办好了，非常满意。", "上门服务很贴心。", "", "", ""),
    4: ("整体满意，希望材料清单能更早告知。", "办理顺利。", "", ""),
    3: ("问题基本解决，但等待时间有点长。", "沟通还可以，办理进度告知不够及时。", ""),
    2: ("来回补了两次材料，耗时太长。", "答复比较笼统，没有解决实际问题。"),
    1: ("超过承诺时限很久才回复，很不满意。", "问题没有解决。"),
}
LEAD_DISPATCH_NOTE = "已由团队负责人派单。"

# --- Service days -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DaySpec:
    building: str
    title: str
    place: str
    departments: tuple[str, ...]
    days: int  # calendar days from the day of loading (moved to a working day)
    start_hour: int = 14
    hours: int = 3
    slot_minutes: int = 20
    capacity: int = 1


PAST_DAYS: list[DaySpec] = [
    DaySpec(
        "静安嘉里中心",
        "静安嘉里中心“首席服务官进楼宇”企业服务日",
        "静安嘉里中心党群服务站",
        ("commerce", "drc", "tax", "boc", "invest"),
        -200,
    ),
    DaySpec(
        "恒隆广场",
        "恒隆广场企业服务日（人才与财税专场）",
        "恒隆广场党群服务站（南京西路1266号）",
        ("hr", "tax", "smr", "exit"),
        -66,
        capacity=2,
    ),
]
UPCOMING_DAY = DaySpec(
    "博华大厦",
    "博华大厦企业服务日",
    "博华大厦一楼多功能厅（共和路209号）",
    ("hr", "tax", "smr", "boc"),
    10,
    hours=3,
    capacity=2,
)
BOOKING_TOPICS = {
    "hr": ("外籍员工工作许可咨询", "社保缴费基数调整", "应届生落户政策"),
    "tax": ("研发费用加计扣除", "数电发票额度", "跨境服务零税率"),
    "smr": ("经营范围变更", "食品经营许可", "住所变更登记"),
    "exit": ("外籍员工居留许可", "家属随行居留"),
    "commerce": ("总部认定", "专项资金申报", "离岸贸易政策"),
    "drc": ("扩大投资政策", "“全球服务商”申报"),
    "boc": ("跨境结算便利化", "信用贷款"),
    "invest": ("扩租选址", "迁入静安"),
}

# --- The story's current requests -----------------------------------------------------------------


@dataclass(frozen=True)
class CurrentSpec:
    """A request a demo user acts on: filed and handled through the real services.

    ``by``: the account that files it (web) or that enters it (phone); ``building``: the building of
    the enterprise (for phone entries: the enterprise is its ``rank``-th largest tenant).
    ``steps``: (action, actor, payload text) run in order after filing; ``submitted``: working days
    before loading and the hour, to which the request's moments are moved afterwards (None: now).
    """

    key: str
    by: str
    item: str
    title: str
    description: str
    channel: str = Channel.WEB
    building: str = ""
    rank: int = 0
    steps: tuple[tuple[str, str, str], ...] = ()
    submitted: tuple[int, int, int] | None = None  # (working days ago, hour, minute)
    step_gaps: tuple[float, ...] = field(default=())  # working hours between the moments


CURRENT: list[CurrentSpec] = [
    CurrentSpec(
        "bohua_permit",
        "contact_bohua",
        "talent.work_permit",
        "外籍律师助理申请来华工作许可",
        "我所拟聘用一名法国籍律师助理，想了解办理外国人来华工作许可需要的材料和流程，能否先在线预审？",
        steps=(
            ("accept", "service_hr", ""),
            ("message", "service_hr", "您好，我是区人社局首席服务专员朱慧，已收到您的诉求，正在预审您上传的材料。"),
            (
                "ask",
                "service_hr",
                "预审发现还缺两份材料：学历学位证书的认证报告和无犯罪记录证明（需经中国驻外使领馆认证）。"
                "请补充上传，收到后我会尽快提交申请。",
            ),
        ),
        submitted=(2, 10, 5),
        step_gaps=(0.6, 0.2, 7.5),
    ),
    CurrentSpec(
        "bohua_invoice",
        "contact_bohua",
        "finance.invoice",
        "申请调增数电发票开票额度",
        "我所年底集中结算律师费，本月数电发票开票额度已用完，申请临时调增额度。",
        steps=(
            ("accept", "service_tax", ""),
            ("message", "service_tax", "您好，我是静安区税务局许强，已受理，正在核实贵所本月的开票情况。"),
            (
                "resolve",
                "service_tax",
                "已核实贵所经营情况，临时调增本月数电发票开票额度，可在电子税务局即时使用。如下月仍有需要，可再次申请。",
            ),
        ),
        submitted=(3, 14, 20),
        step_gaps=(0.5, 0.3, 5.0),
    ),
    CurrentSpec(
        "henglong_settlement",
        "employee_henglong_1",
        "talent.settlement",
        "应届硕士毕业生落户咨询",
        "公司今年招用的两名应届硕士毕业生想申请落户，请问评分标准、材料和办理时间。",
    ),
    CurrentSpec(
        "citic_social",
        "service_hr",
        "talent.social_insurance",
        "外籍员工参加社保咨询",
        "企业来电：公司新入职的两名外籍员工是否必须参加上海社会保险，可以只缴纳部分险种吗？",
        channel=Channel.PHONE,
        building="中信泰富广场",
        rank=1,
        steps=(
            ("accept", "service_hr", ""),
            ("message", "service_hr", "您好，已收到您的咨询，我先核实两位员工的国籍是否适用社保互免协定，再与您联系。"),
        ),
        submitted=(1, 14, 10),
        step_gaps=(0.3, 0.4),
    ),
    CurrentSpec(
        "henglong_permit_overdue",
        "employee_henglong_2",
        "talent.work_permit",
        "外籍高管工作许可延期",
        "公司外籍副总经理的工作许可下月到期，合同已续签，请协助尽快办理延期。",
        steps=(
            ("accept", "service_hr", ""),
            ("message", "service_hr", "您好，已受理。延期申请需要市级系统审核，我会跟进进度并及时告知。"),
            ("extension", "service_hr", "需等待市级部门对延期材料的审核意见，申请延长3个工作日。"),
            ("escalate", "service_lead", "已超期，请区人社局加快办理并今天内答复企业。"),
        ),
        submitted=(9, 11, 30),
        step_gaps=(1.0, 0.5, 45.0, 1.0),
    ),
    CurrentSpec(
        "henglong_chamber",
        "employee_henglong_3",
        "industry.chamber",
        "申请加入区商会并对接产业链资源",
        "我们希望加入区商会，并对接金融机构和专业服务机构，拓展楼宇内的合作伙伴。",
    ),
    CurrentSpec(
        "taikoohui_transfer",
        "service_tax",
        "finance.tax_incentive",
        "总部企业认定后的区级奖励咨询",
        "企业来电：公司已获跨国公司地区总部认定，想了解区级开办奖励和租房补贴如何申请，以及相关税收政策。",
        channel=Channel.PHONE,
        building="兴业太古汇",
        rank=0,
        steps=(
            ("accept", "service_tax", ""),
            ("transfer", "service_tax", "commerce:wrong_department"),
        ),
        submitted=(1, 10, 40),
        step_gaps=(0.5, 0.8),
    ),
]

# How many requests the history holds (the current requests, the service days' and topic
# referrals' come on top), and the shares of the ways a request ends.
HISTORY_REQUESTS = 1950
MERGED_DUPLICATES = 20
STUCK_OVERDUE = 22  # open requests past their resolution deadline
