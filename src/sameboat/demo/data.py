"""The regions the demo world works in, its leadership seats and its job titles.

The organisation trees are in ``data_group`` (the group and the city trade council) and
``data_outside`` (everyone else). Free text on records carries Chinese and English, as a
bilingual group would write it. The tables are laid out by hand, hence ``fmt: off``.
"""

from __future__ import annotations

from sameboat.demo.specs import OrgSpec, RegionSpec, RuleSpec, Seat
from sameboat.orgs.models import LeadershipPosition as P
from sameboat.orgs.models import RiskLevel as R

GROUP_CODE = "TZET"  # the marker: when this organisation exists, the world is built
COUNCIL_CODE = "CDTC"
IMPORT_COMPANY_CODE = "TZHOPE"
INTL_COMPANY_CODE = "TZINTL"

# Employee numbers: a prefix per roster root, then a running number.
EMPLOYEE_NO_PREFIX = {GROUP_CODE: "TZ", COUNCIL_CODE: "CD"}

# --- Regions and their rule history ------------------------------------------------------------

LOCKDOWN = "封城，暂停复工 · Lockdown, no work on site"
LEVEL1 = "一级响应 · Level-1 public health emergency response"
LEVEL2 = "降为二级响应 · Response lowered to level 2"
LEVEL3 = "降为三级响应 · Response lowered to level 3"
RESTART = "重点企业有序复工 · Key enterprises may resume in order"
CLUSTER = "出现聚集性疫情 · A local cluster of cases"
ARRIVALS = "入境人员集中隔离 · Central quarantine for arrivals"

# fmt: off
REGIONS: tuple[RegionSpec, ...] = (
    RegionSpec("CN-BJ", "北京市", "Beijing", rules=(
        RuleSpec(90, R.MEDIUM, "0.3", 14, LEVEL1),
        RuleSpec(50, R.LOW, "0.6", 14, LEVEL2),
        RuleSpec(6, R.MEDIUM, "0.5", 14, CLUSTER),
    )),
    RegionSpec("CN-TJ", "天津市", "Tianjin", rules=(
        RuleSpec(90, R.MEDIUM, "0.4", 14, LEVEL1),
        RuleSpec(45, R.LOW, "0.8", 7, LEVEL2),
    )),
    RegionSpec("CN-HE", "河北省", "Hebei", rules=(
        RuleSpec(90, R.LOW, "0.6", 14, LEVEL1),
        RuleSpec(60, R.LOW, "0.8", 7, LEVEL2),
    )),
    RegionSpec("CN-HE-SJZ", "石家庄市", "Shijiazhuang", rules=(
        RuleSpec(90, R.LOW, "0.6", 14, LEVEL1),
        RuleSpec(60, R.LOW, "0.8", 7, LEVEL2),
        RuleSpec(8, R.HIGH, "0.2", 21, "全员核酸检测 · Local outbreak, city-wide testing"),
    )),
    RegionSpec("CN-HB", "湖北省", "Hubei", rules=(
        RuleSpec(90, R.HIGH, "0.1", 14, LEVEL1),
        RuleSpec(55, R.MEDIUM, "0.4", 14, LEVEL2),
        RuleSpec(20, R.LOW, "0.8", 7, LEVEL3),
    )),
    RegionSpec("CN-HB-WH", "武汉市", "Wuhan", rules=(
        RuleSpec(90, R.HIGH, "0", 14, LOCKDOWN),
        RuleSpec(40, R.HIGH, "0.2", 14, RESTART),
        RuleSpec(15, R.MEDIUM, "0.5", 14, "解除离汉通道管控 · Outbound travel reopened"),
    )),
    RegionSpec("CN-SC", "四川省", "Sichuan", rules=(
        RuleSpec(90, R.MEDIUM, "0.5", 14, LEVEL1),
        RuleSpec(50, R.LOW, "0.8", 7, LEVEL3),
    )),
    RegionSpec("CN-SC-CD", "成都市", "Chengdu", rules=(
        RuleSpec(90, R.MEDIUM, "0.5", 14, LEVEL1),
        RuleSpec(50, R.LOW, "0.9", 7, LEVEL3),
    )),
    RegionSpec("CN-CQ", "重庆市", "Chongqing", rules=(
        RuleSpec(90, R.MEDIUM, "0.4", 14, LEVEL1),
        RuleSpec(40, R.LOW, "0.8", 7, LEVEL2),
    )),
    RegionSpec("CN-SH", "上海市", "Shanghai", rules=(
        RuleSpec(90, R.MEDIUM, "0.4", 14, LEVEL1),
        RuleSpec(45, R.LOW, "0.8", 14, LEVEL2),
        RuleSpec(10, R.LOW, "1", 7, LEVEL3),
    )),
    RegionSpec("CN-JS", "江苏省", "Jiangsu", rules=(
        RuleSpec(90, R.MEDIUM, "0.5", 14, LEVEL1),
        RuleSpec(40, R.LOW, "0.9", 7, LEVEL2),
    )),
    RegionSpec("CN-JS-NJ", "南京市", "Nanjing", rules=(
        RuleSpec(90, R.MEDIUM, "0.5", 14, LEVEL1),
        RuleSpec(40, R.LOW, "0.9", 7, LEVEL2),
    )),
    RegionSpec("CN-ZJ", "浙江省", "Zhejiang", rules=(
        RuleSpec(90, R.HIGH, "0.3", 14, LEVEL1),
        RuleSpec(60, R.MEDIUM, "0.6", 14, LEVEL2),
        RuleSpec(30, R.LOW, "0.9", 7, LEVEL3),
    )),
    RegionSpec("CN-GD", "广东省", "Guangdong", rules=(
        RuleSpec(90, R.MEDIUM, "0.5", 14, LEVEL1),
        RuleSpec(35, R.LOW, "0.8", 7, LEVEL2),
    )),
    RegionSpec("CN-GD-SZ", "深圳市", "Shenzhen", rules=(
        RuleSpec(90, R.MEDIUM, "0.4", 14, LEVEL1),
        RuleSpec(35, R.LOW, "0.8", 14, ARRIVALS),
    )),
    RegionSpec("CN-AH", "安徽省", "Anhui", rules=(
        RuleSpec(90, R.MEDIUM, "0.5", 14, LEVEL1),
        RuleSpec(45, R.LOW, "0.8", 7, LEVEL2),
    )),
    RegionSpec("CN-SN", "陕西省", "Shaanxi", rules=(
        RuleSpec(90, R.MEDIUM, "0.5", 14, LEVEL1),
        RuleSpec(45, R.LOW, "0.8", 7, LEVEL2),
    )),
    RegionSpec("CN-HN", "湖南省", "Hunan", rules=(
        RuleSpec(90, R.MEDIUM, "0.4", 14, LEVEL1),
        RuleSpec(50, R.LOW, "0.8", 7, LEVEL2),
    )),
    RegionSpec("LK", "斯里兰卡", "Sri Lanka", country="LK", rules=(
        RuleSpec(90, R.LOW, "1", 14, "自中国入境者隔离14天 · 14 days' quarantine from China"),
        RuleSpec(30, R.MEDIUM, "0.5", 14, "全岛宵禁 · Island-wide curfew"),
    )),
    RegionSpec("MM", "缅甸", "Myanmar", country="MM", rules=(
        RuleSpec(90, R.LOW, "1", 14, "入境者居家隔离 · Home quarantine for arrivals"),
        RuleSpec(25, R.MEDIUM, "0.6", 21, "仰光居家令 · Stay-at-home order in Yangon"),
    )),
    RegionSpec("PK", "巴基斯坦", "Pakistan", country="PK", rules=(
        RuleSpec(90, R.LOW, "1", 14),
        RuleSpec(35, R.MEDIUM, "0.5", 14, "智能封锁 · Smart lockdown"),
    )),
    RegionSpec("BT", "不丹", "Bhutan", country="BT", rules=(
        RuleSpec(90, R.LOW, "1", 21, "所有入境者隔离21天 · 21 days' quarantine for all arrivals"),
    )),
)
# fmt: on

# Where the group's people come from when they do not live where they work.
HOME_REGIONS = ("CN-HB", "CN-HB-WH", "CN-SC", "CN-HN", "CN-AH", "CN-HE", "CN-GD", "CN-JS", "CN-ZJ")

# --- Leadership groups (seed 001: duties; seed 002: the council's leading group) ------------

# fmt: off
LEADER_DUTY = "全面负责疫情防控和复工复产 · Overall command of prevention and work resumption"
DEPUTY_DUTIES = (
    "协助组长，分管复工前隔离和健康监测 · Deputy: quarantine before work, health",
    "协助组长，分管复工计划和重点任务 · Deputy: resumption plan, priority tasks",
    "协助组长，分管防疫物资和后勤保障 · Deputy: protective supplies, logistics",
)
# (title, duty) of the members, in the order a group of that size fills them.
MEMBER_SEATS = (
    ("办公室主任", "信息报送：每日健康日报 · Information reporting: the daily return"),
    ("人力资源部部长", "复工前隔离与健康登记 · Quarantine before work for returning staff"),
    ("后勤保障部部长", "送餐到岗、错峰就餐 · Meal delivery and staggered meals"),
    ("行政部部长", "通勤安排：班车与错峰上下班 · Commuting: shuttles, staggered hours"),
    ("医务室主任", "环境消杀与隔离观察室 · Disinfection and the isolation room"),
    ("物资管理部部长", "防疫物资储备与发放 · Protective supplies: stock and issue"),
    ("安全保卫部部长", "入口体温检测与门禁 · Entrance temperature checks"),
    ("党群工作部部长", "宣传教育与舆情引导 · Publicity and public opinion"),
)
SEAT_COUNTS = {"company": (3, 7), "unit": (2, 6)}  # (deputies, members)

GROUP_SEATS = (
    Seat(P.LEADER, "董事长", "集团领导小组组长 · Leads the group's prevention and control"),
    Seat(P.DEPUTY, "总经理", "统筹复工复产与重点任务 · Work resumption and priority tasks"),
    Seat(P.DEPUTY, "副总经理", "防疫物资采购与调配 · Protective supplies: purchase, allocation"),
    Seat(P.DEPUTY, "副总经理", "海外机构与国际合作 · Overseas offices, international cooperation"),
    Seat(P.MEMBER, "办公室主任", "汇总全集团疫情信息 · Group-wide information reporting",
         "TZET-GO"),
    Seat(P.MEMBER, "安全生产与应急管理部部长", "监督成员单位防控 · Oversees members' measures",
         "TZET-SAFE"),
    Seat(P.MEMBER, "人力资源部部长", "返岗审批与复工前隔离 · Returns, quarantine before work",
         "TZET-HR"),
    Seat(P.MEMBER, "科技与信息化部部长", "信息化手段支撑抗疫 · IT for fighting the epidemic",
         "TZET-IT"),
    Seat(P.MEMBER, "国际业务部部长", "海外代表处与境外采购 · Overseas offices, purchases abroad",
         "TZET-INTL"),
)

COUNCIL_SEATS = (
    Seat(P.LEADER, "秘书长", "领导小组组长，全面负责 · Team leader, overall responsibility",
         "CDTC-SEC"),
    Seat(P.DEPUTY, "副秘书长", "副组长，境外医疗物资 · Deputy: overseas medical supplies",
         "CDTC-SEC"),
    Seat(P.DEPUTY, "副秘书长", "副组长，企业服务和宣传 · Deputy: enterprise services, publicity",
         "CDTC-SEC"),
    Seat(P.MEMBER, "联络部部长", "境外医疗物资联络 · Overseas supplies via the LK, PK, BT offices",
         "CDTC-LIA"),
    Seat(P.MEMBER, "企业服务部部长", "国内企业服务与政策解读 · Enterprise services, policy",
         "CDTC-ENT"),
    Seat(P.MEMBER, "会展部部长", "联系慰问海外川商 · Sichuanese enterprises abroad",
         "CDTC-EXH"),
    Seat(P.MEMBER, "法律事务部部长", "舆论引导，不信谣不传谣 · Public opinion, no rumours",
         "CDTC-LEG"),
    Seat(P.MEMBER, "办公室主任", "24小时线上“云”办公 · The 24-hour online cloud office",
         "CDTC-GO"),
)
# fmt: on


def standard_seats(spec: OrgSpec) -> tuple[Seat, ...]:
    """The seats of a company's or unit's leadership group (headed by its head)."""
    deputies, members = SEAT_COUNTS[spec.leadership]
    seats = [Seat(P.LEADER, spec.head, LEADER_DUTY)]
    seats += [Seat(P.DEPUTY, "副" + spec.head, DEPUTY_DUTIES[i]) for i in range(deputies)]
    seats += [Seat(P.MEMBER, title, duty) for title, duty in MEMBER_SEATS[:members]]
    return tuple(seats)


def seats_of(spec: OrgSpec) -> tuple[Seat, ...]:
    """All seats of the organisation's leadership group (empty when it has none)."""
    if spec.leadership == "custom":
        return spec.seats
    if spec.leadership:
        return standard_seats(spec)
    return ()


# --- Job titles -------------------------------------------------------------------------------

# fmt: off
STAFF_TITLES: dict[str, tuple[tuple[str, int], ...]] = {
    "tech": (
        ("工程师", 14), ("高级工程师", 8), ("助理工程师", 8), ("技术员", 8), ("研究员", 3),
        ("软件工程师", 6), ("测试工程师", 4), ("工艺工程师", 3), ("质检员", 4), ("操作工", 10),
        ("技师", 5), ("项目经理", 3), ("会计", 2), ("行政专员", 2), ("人事专员", 1),
        ("采购员", 2), ("仓库管理员", 2), ("司机", 2), ("安全员", 2), ("设备维护员", 3),
        ("销售经理", 2),
    ),
    "office": (
        ("主管", 3), ("专员", 8), ("经理", 3), ("会计", 2), ("法务专员", 1), ("行政专员", 3),
        ("司机", 1), ("文秘", 2),
    ),
    "trade": (
        ("采购经理", 3), ("采购员", 6), ("进出口专员", 5), ("报关员", 3), ("物流专员", 4),
        ("仓库管理员", 3), ("会计", 2), ("单证员", 2), ("司机", 2),
    ),
    "overseas": (
        ("项目经理", 3), ("商务经理", 3), ("工程师", 4), ("翻译", 2), ("行政专员", 1),
        ("司机", 1),
    ),
    "council": (
        ("主任科员", 3), ("科员", 6), ("项目主管", 3), ("翻译", 2), ("会展专员", 2),
        ("文秘", 1),
    ),
}
# fmt: on
