"""The demo group and the city trade council, as trees of organisations.

Inspired by the seeds (a central electronics group with an import platform and an
international company; a city council for the promotion of foreign trade); the group's
name is invented: "Tongzhou" (同舟, as in 同舟共济: in the same boat). ``staff`` is the size
of each organisation's own roster in the full world.
"""

from __future__ import annotations

from sameboat.demo.data import (
    COUNCIL_CODE,
    COUNCIL_SEATS,
    GROUP_CODE,
    GROUP_SEATS,
    IMPORT_COMPANY_CODE,
    INTL_COMPANY_CODE,
)
from sameboat.demo.specs import OrgSpec
from sameboat.orgs.models import OrgKind as K


def _dept(code: str, zh: str, en: str, region: str, staff: int, head: str = "部长", profile: str = "office") -> OrgSpec:
    return OrgSpec(code, zh, en, K.DEPARTMENT, region=region, staff=staff, head=head, profile=profile)


def _lab(code: str, zh: str, en: str, region: str, staff: int, head: str = "主任") -> OrgSpec:
    return _dept(code, zh, en, region, staff, head=head, profile="tech")


def _unit(code: str, zh: str, en: str, region: str, staff: int, head: str, *children: OrgSpec) -> OrgSpec:
    return OrgSpec(code, zh, en, K.UNIT, region=region, staff=staff, head=head, leadership="unit", children=children)


def _company(
    code: str, zh: str, en: str, region: str, staff: int, *children: OrgSpec, profile: str = "office"
) -> OrgSpec:
    return OrgSpec(
        code,
        zh,
        en,
        K.COMPANY,
        region=region,
        staff=staff,
        head="总经理",
        leadership="company",
        profile=profile,
        children=children,
    )


def _office(code: str, zh: str, en: str, country: str, staff: int, address: str, profile: str = "overseas") -> OrgSpec:
    return OrgSpec(
        code,
        zh,
        en,
        K.OVERSEAS_OFFICE,
        region=country,
        country=country,
        staff=staff,
        head="首席代表",
        profile=profile,
        address=address,
    )


# fmt: off
GROUP = OrgSpec(
    GROUP_CODE, "同舟电子科技集团有限公司", "Tongzhou Electronics Technology Group Co., Ltd.",
    K.GROUP, region="CN-BJ", staff=14, leadership="custom", seats=GROUP_SEATS,
    profile="office", address="北京市海淀区 · Haidian District, Beijing", children=(
        _dept("TZET-GO", "集团办公室", "Group General Office", "CN-BJ", 30, head="办公室主任"),
        _dept("TZET-SAFE", "安全生产与应急管理部", "Safety and Emergency Management Department",
              "CN-BJ", 18),
        _dept("TZET-HR", "人力资源部", "Human Resources Department", "CN-BJ", 20),
        _dept("TZET-IT", "科技与信息化部", "Science, Technology and IT Department", "CN-BJ", 26),
        _dept("TZET-INTL", "国际业务部", "International Business Department", "CN-BJ", 16),
        _company(
            "TZ01", "同舟电子装备有限公司", "Tongzhou Electronic Equipment Co., Ltd.", "CN-BJ", 28,
            _unit("TZ01-U1", "北京电子装备研究所", "Beijing Electronic Equipment Institute",
                  "CN-BJ", 120, "所长",
                  _lab("TZ01-U1-D1", "总体设计室", "System Design Laboratory", "CN-BJ", 45),
                  _lab("TZ01-U1-D2", "试制车间", "Prototype Workshop", "CN-BJ", 40)),
            _unit("TZ01-U2", "天津精密机电厂", "Tianjin Precision Electromechanical Plant",
                  "CN-TJ", 150, "厂长"),
            _unit("TZ01-U3", "石家庄电子元件厂", "Shijiazhuang Electronic Components Plant",
                  "CN-HE-SJZ", 110, "厂长"),
            _unit("TZ01-U4", "北京装备测试中心", "Beijing Equipment Test Centre",
                  "CN-BJ", 60, "主任"),
        ),
        _company(
            "TZ02", "同舟通信技术有限公司", "Tongzhou Communication Technology Co., Ltd.",
            "CN-HB-WH", 30,
            _unit("TZ02-U1", "武汉光通信研究所", "Wuhan Optical Communication Institute",
                  "CN-HB-WH", 130, "所长",
                  _lab("TZ02-U1-D1", "光器件研究室", "Optical Devices Laboratory", "CN-HB-WH", 50),
                  _lab("TZ02-U1-D2", "系统集成部", "Systems Integration Department", "CN-HB-WH",
                       40, head="部长")),
            _unit("TZ02-U2", "武汉通信设备厂", "Wuhan Communication Equipment Plant",
                  "CN-HB-WH", 160, "厂长"),
            _unit("TZ02-U3", "襄阳电子元件厂", "Xiangyang Electronic Components Plant",
                  "CN-HB", 100, "厂长"),
            _unit("TZ02-U4", "宜昌导航服务中心", "Yichang Navigation Services Centre",
                  "CN-HB", 55, "主任"),
        ),
        _company(
            "TZ03", "同舟网络安全有限公司", "Tongzhou Cyber Security Co., Ltd.", "CN-SC-CD", 26,
            _unit("TZ03-U1", "成都信息安全研究所", "Chengdu Information Security Institute",
                  "CN-SC-CD", 140, "所长",
                  _lab("TZ03-U1-D1", "密码技术研究室", "Cryptography Laboratory", "CN-SC-CD", 35)),
            _unit("TZ03-U2", "成都软件开发中心", "Chengdu Software Development Centre",
                  "CN-SC-CD", 120, "主任"),
            _unit("TZ03-U3", "绵阳电子信息产业园", "Mianyang Electronic Information Park",
                  "CN-SC", 90, "主任"),
            _unit("TZ03-U4", "重庆数据中心", "Chongqing Data Centre", "CN-CQ", 70, "主任"),
        ),
        _company(
            "TZ04", "同舟微电子有限公司", "Tongzhou Microelectronics Co., Ltd.", "CN-SH", 26,
            _unit("TZ04-U1", "上海集成电路设计所", "Shanghai IC Design Institute",
                  "CN-SH", 130, "所长",
                  _lab("TZ04-U1-D1", "模拟电路设计部", "Analogue Design Department", "CN-SH", 40,
                       head="部长"),
                  _lab("TZ04-U1-D2", "数字电路设计部", "Digital Design Department", "CN-SH", 45,
                       head="部长")),
            _unit("TZ04-U2", "上海晶圆制造厂", "Shanghai Wafer Fab", "CN-SH", 180, "厂长"),
            _unit("TZ04-U3", "苏州封装测试厂", "Suzhou Packaging and Test Plant",
                  "CN-JS", 150, "厂长"),
            _unit("TZ04-U4", "杭州芯片应用中心", "Hangzhou Chip Application Centre",
                  "CN-ZJ", 60, "主任"),
        ),
        _company(
            "TZ05", "同舟智能制造有限公司", "Tongzhou Intelligent Manufacturing Co., Ltd.",
            "CN-GD-SZ", 28,
            _unit("TZ05-U1", "深圳智能终端厂", "Shenzhen Smart Devices Plant",
                  "CN-GD-SZ", 170, "厂长"),
            _unit("TZ05-U2", "东莞电子装配厂", "Dongguan Electronics Assembly Plant",
                  "CN-GD", 160, "厂长"),
            _unit("TZ05-U3", "广州工业互联网研究院", "Guangzhou Industrial Internet Institute",
                  "CN-GD", 80, "院长"),
            _unit("TZ05-U4", "珠海自动化设备厂", "Zhuhai Automation Equipment Plant",
                  "CN-GD", 90, "厂长"),
            _unit("TZ05-U5", "佛山电源设备厂", "Foshan Power Supply Equipment Plant",
                  "CN-GD", 80, "厂长"),
        ),
        _company(
            "TZ06", "同舟雷达与传感技术有限公司", "Tongzhou Radar and Sensing Technology Co., Ltd.",
            "CN-JS-NJ", 24,
            _unit("TZ06-U1", "南京雷达研究所", "Nanjing Radar Institute", "CN-JS-NJ", 140, "所长",
                  _lab("TZ06-U1-D1", "天线研究室", "Antenna Laboratory", "CN-JS-NJ", 40)),
            _unit("TZ06-U2", "无锡传感器厂", "Wuxi Sensor Plant", "CN-JS", 120, "厂长"),
            _unit("TZ06-U3", "南京气象探测设备厂", "Nanjing Weather Detection Equipment Plant",
                  "CN-JS-NJ", 90, "厂长"),
        ),
        _company(
            "TZ07", "同舟医疗电子有限公司", "Tongzhou Medical Electronics Co., Ltd.", "CN-AH", 24,
            _unit("TZ07-U1", "合肥医学影像设备厂", "Hefei Medical Imaging Equipment Plant",
                  "CN-AH", 150, "厂长"),
            _unit("TZ07-U2", "合肥超声设备研究所", "Hefei Ultrasound Equipment Institute",
                  "CN-AH", 90, "所长"),
            _unit("TZ07-U3", "西安监护仪厂", "Xi'an Patient Monitor Plant", "CN-SN", 110, "厂长"),
            _unit("TZ07-U4", "医疗设备售后服务中心", "Medical Equipment Service Centre",
                  "CN-AH", 50, "主任"),
        ),
        _company(
            "TZ08", "同舟数据科技有限公司", "Tongzhou Data Technology Co., Ltd.", "CN-HN", 22,
            _unit("TZ08-U1", "长沙大数据中心", "Changsha Big Data Centre", "CN-HN", 110, "主任"),
            _unit("TZ08-U2", "长沙智慧城市研究所", "Changsha Smart City Institute",
                  "CN-HN", 80, "所长"),
            _unit("TZ08-U3", "武汉数据服务中心", "Wuhan Data Services Centre",
                  "CN-HB-WH", 70, "主任"),
        ),
        # The group's import platform (seed 000: 400,000 masks to over 30 units in 10 days).
        _company(
            IMPORT_COMPANY_CODE, "同舟希望投资发展有限公司",
            "Tongzhou Hope Investment Development Co., Ltd.", "CN-BJ", 20,
            _dept("TZHOPE-IMP", "进口业务部", "Import Department", "CN-BJ", 24, profile="trade"),
            _dept("TZHOPE-LOG", "物流仓储部", "Logistics and Warehousing Department", "CN-BJ", 30,
                  profile="trade"),
            profile="trade",
        ),
        # The international company and its overseas offices (seed 000).
        _company(
            INTL_COMPANY_CODE, "同舟国际有限公司", "Tongzhou International Co., Ltd.", "CN-BJ", 24,
            _dept("TZINTL-LOG", "后勤保障部", "Logistics Department", "CN-BJ", 20,
                  profile="trade"),
            _dept("TZINTL-PRJ", "国际工程部", "International Projects Department", "CN-BJ", 36,
                  profile="overseas"),
            _office("TZINTL-BT", "不丹代表处", "Bhutan Office", "BT", 5,
                    "Norzin Lam, Thimphu, Bhutan"),
            _office("TZINTL-LK", "斯里兰卡代表处", "Sri Lanka Office", "LK", 14,
                    "Galle Road, Colombo 03, Sri Lanka"),
            _office("TZINTL-MM", "缅甸代表处", "Myanmar Office", "MM", 10,
                    "Kabar Aye Pagoda Road, Yangon, Myanmar"),
            _office("TZINTL-PK", "巴基斯坦代表处", "Pakistan Office", "PK", 10,
                    "Blue Area, Islamabad, Pakistan"),
        ),
    ),
)

# The city trade council (seed 002): its leading group sits in the Secretariat and the
# departments; it has offices in Sri Lanka, Pakistan and Bhutan.
COUNCIL = OrgSpec(
    COUNCIL_CODE, "成都市对外贸易经济合作促进会",
    "Chengdu Council for the Promotion of Foreign Trade and Economic Cooperation",
    K.GOVERNMENT, region="CN-SC-CD", leadership="custom", seats=COUNCIL_SEATS,
    address="成都市锦江区 · Jinjiang District, Chengdu", children=(
        _dept("CDTC-SEC", "秘书处", "Secretariat", "CN-SC-CD", 6, head="秘书长",
              profile="council"),
        _dept("CDTC-GO", "办公室", "General Office", "CN-SC-CD", 8, head="办公室主任",
              profile="council"),
        _dept("CDTC-LIA", "联络部", "Liaison Department", "CN-SC-CD", 8, profile="council"),
        _dept("CDTC-ENT", "企业服务部", "Enterprise Services Department", "CN-SC-CD", 8,
              profile="council"),
        _dept("CDTC-EXH", "会展部", "Exhibitions Department", "CN-SC-CD", 6, profile="council"),
        _dept("CDTC-LEG", "法律事务部", "Legal Affairs Department", "CN-SC-CD", 5,
              profile="council"),
        _office("CDTC-BT", "驻不丹代表处", "Bhutan Office", "BT", 2,
                "Chang Lam, Thimphu, Bhutan", profile="council"),
        _office("CDTC-LK", "驻斯里兰卡代表处", "Sri Lanka Office", "LK", 4,
                "Union Place, Colombo 02, Sri Lanka", profile="council"),
        _office("CDTC-PK", "驻巴基斯坦代表处", "Pakistan Office", "PK", 3,
                "Shahrah-e-Faisal, Karachi, Pakistan", profile="council"),
    ),
)
# fmt: on
