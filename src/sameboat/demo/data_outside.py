"""Organisations outside the group: the alliance, suppliers, donors, hospitals, embassies and
international organisations, government bodies.

Associations, hospitals, embassies and government bodies are public institutions named in
or implied by the seeds; suppliers, member enterprises and most donors are invented.
"""

from __future__ import annotations

from sameboat.demo.specs import OrgSpec
from sameboat.orgs.models import OrgKind as K

ALLIANCE_CODE = "ALLIANCE"
SUPPLIERS_CODE = "SUPPLIERS"
DONORS_CODE = "DONORS"
HOSPITALS_CODE = "HOSPITALS"
DIPLOMATIC_CODE = "DIPLOMATIC"
GOVERNMENT_CODE = "GOVERNMENT"

# --- The alliance of 16 industry associations (seed 003) ---------------------------------------

# (code, Chinese, English, industry in Chinese and English, member enterprises)
# fmt: off
ASSOCIATIONS: tuple[tuple[str, str, str, str, str, int], ...] = (
    ("CEC", "中国电力企业联合会", "China Electricity Council",
     "电力工程", "Power Engineering", 4),
    ("CFIE", "中国工业经济联合会", "China Federation of Industrial Economics",
     "实业", "Industrial", 3),
    ("CFLP", "中国物流与采购联合会", "China Federation of Logistics and Purchasing",
     "物流", "Logistics", 4),
    ("CNCA", "中国煤炭工业协会", "China National Coal Association",
     "煤业", "Coal Mining", 3),
    ("CMIF", "中国机械工业联合会", "China Machinery Industry Federation",
     "重型机械", "Heavy Machinery", 4),
    ("CISA", "中国钢铁工业协会", "China Iron and Steel Association",
     "特钢", "Special Steel", 3),
    ("CPCIF", "中国石油和化学工业联合会", "China Petroleum and Chemical Industry Federation",
     "石化", "Petrochemicals", 3),
    ("CNLIC", "中国轻工业联合会", "China National Light Industry Council",
     "日用品", "Household Products", 3),
    ("CNTAC", "中国纺织工业联合会", "China National Textile and Apparel Council",
     "纺织", "Textiles", 4),
    ("CBMF", "中国建筑材料联合会", "China Building Materials Federation",
     "建材", "Building Materials", 3),
    ("CNIA", "中国有色金属工业协会", "China Nonferrous Metals Industry Association",
     "铝业", "Aluminium", 3),
    ("CEEC", "中国企业联合会", "China Enterprise Confederation",
     "控股", "Holdings", 3),
    ("CEIIF", "中国电子信息行业联合会", "China Electronics and Information Industry Federation",
     "电子", "Electronics", 3),
    ("CAAM", "中国汽车工业协会", "China Association of Automobile Manufacturers",
     "汽车零部件", "Auto Parts", 3),
    ("CCIA", "中国建筑业协会", "China Construction Industry Association",
     "建设工程", "Construction Engineering", 3),
    ("CPEA", "中国医药企业管理协会", "China Pharmaceutical Enterprises Association",
     "医药", "Pharmaceuticals", 4),
)

# Invented trade names (Chinese, pinyin) for member enterprises, used in turn.
_TRADE_NAMES = (
    ("瑞丰", "Ruifeng"), ("恒通", "Hengtong"), ("华盛", "Huasheng"), ("宏达", "Hongda"),
    ("金鼎", "Jinding"), ("永安", "Yong'an"), ("新源", "Xinyuan"), ("蓝海", "Lanhai"),
    ("安泰", "Antai"), ("远航", "Yuanhang"), ("嘉禾", "Jiahe"), ("天佑", "Tianyou"),
    ("中宇", "Zhongyu"), ("鼎盛", "Dingsheng"), ("华源", "Huayuan"), ("泰和", "Taihe"),
    ("启明", "Qiming"), ("长青", "Changqing"), ("广益", "Guangyi"), ("振华", "Zhenhua"),
)
# (region, city in Chinese) where member enterprises sit, used in turn.
_ENTERPRISE_PLACES = (
    ("CN-BJ", "北京"), ("CN-SH", "上海"), ("CN-HB-WH", "武汉"), ("CN-SC-CD", "成都"),
    ("CN-GD", "广州"), ("CN-JS", "苏州"), ("CN-ZJ", "宁波"), ("CN-HN", "长沙"),
    ("CN-SN", "西安"), ("CN-TJ", "天津"), ("CN-CQ", "重庆"), ("CN-AH", "合肥"),
    ("CN-HE", "唐山"),
)
# fmt: on


def _alliance() -> OrgSpec:
    associations = []
    n = 0
    for code, zh, en, industry_zh, industry_en, count in ASSOCIATIONS:
        enterprises = []
        for i in range(1, count + 1):
            trade_zh, trade_en = _TRADE_NAMES[n % len(_TRADE_NAMES)]
            region, city = _ENTERPRISE_PLACES[n % len(_ENTERPRISE_PLACES)]
            n += 1
            name_zh = f"{city}{trade_zh}{industry_zh}有限公司"
            name_en = f"{trade_en} {industry_en} Co., Ltd."
            enterprises.append(OrgSpec(f"AS-{code}-{i:02d}", name_zh, name_en, K.ENTERPRISE, region=region))
        associations.append(OrgSpec(f"AS-{code}", zh, en, K.ASSOCIATION, region="CN-BJ", children=tuple(enterprises)))
    name_en = "Cooperation Alliance Serving Enterprises' Return to Work"
    return OrgSpec(
        ALLIANCE_CODE, "企业复工复产服务合作联盟", name_en, K.ASSOCIATION, region="CN-BJ", children=tuple(associations)
    )


# --- Suppliers abroad (seed 002: nearly 50 from more than ten countries) ---------------------

# fmt: off
SUPPLIERS: dict[str, tuple[tuple[str, str], ...]] = {
    "LK": (
        ("Ceylon Surgical Supplies (Pvt) Ltd", "锡兰外科用品有限公司"),
        ("Lanka Medi-Care Distributors", "兰卡医疗分销公司"),
        ("Colombo Rubber Gloves Manufacturing", "科伦坡橡胶手套制造公司"),
        ("Kandy Textile Masks Cooperative", "康提纺织口罩合作社"),
        ("Serendib Pharma Trading", "锡兰迪布医药贸易公司"),
        ("Galle Healthcare Imports", "加勒医疗进口公司"),
        ("Negombo Latex Products", "尼甘布乳胶制品公司"),
    ),
    "IN": (
        ("Mumbai Surgical Exports", "孟买外科出口公司"),
        ("Chennai Nonwoven Fabrics", "金奈无纺布公司"),
        ("Delhi Diagnostics Supply", "德里诊断用品公司"),
        ("Ahmedabad Pharma Packaging", "艾哈迈达巴德医药包装公司"),
        ("Pune Medical Devices", "浦那医疗器械公司"),
        ("Hyderabad Biotech Reagents", "海得拉巴生物试剂公司"),
    ),
    "PK": (
        ("Sialkot Surgical Instruments", "锡亚尔科特手术器械公司"),
        ("Karachi Medical Textiles", "卡拉奇医用纺织品公司"),
        ("Lahore Protective Wear", "拉合尔防护服装公司"),
        ("Faisalabad Cotton Mills", "费萨拉巴德棉纺厂"),
        ("Islamabad Health Supplies", "伊斯兰堡卫生用品公司"),
        ("Rawalpindi Disinfectants", "拉瓦尔品第消毒剂公司"),
    ),
    "US": (
        ("Great Lakes Respirator Co.", "五大湖呼吸防护公司"),
        ("Bay Area Diagnostics Inc.", "湾区诊断公司"),
        ("Carolina Medical Supply", "卡罗来纳医疗用品公司"),
        ("Midwest Nitrile Gloves LLC", "中西部丁腈手套公司"),
    ),
    "FR": (
        ("Lyon Textiles Médicaux", "里昂医用纺织公司"),
        ("Santé Protection SARL", "健康防护有限公司"),
        ("Bretagne Désinfection", "布列塔尼消毒公司"),
    ),
    "ZA": (
        ("Cape Medical Distributors", "开普医疗分销公司"),
        ("Durban Protective Clothing", "德班防护服公司"),
        ("Johannesburg Lab Supplies", "约翰内斯堡实验用品公司"),
    ),
    "CO": (
        ("Bogotá Suministros Médicos", "波哥大医疗用品公司"),
        ("Medellín Textiles Hospitalarios", "麦德林医院纺织品公司"),
        ("Cali Guantes Industriales", "卡利工业手套公司"),
    ),
    "PL": (
        ("Gdańsk MedTech", "格但斯克医疗技术公司"),
        ("Kraków Ochrona Osobista", "克拉科夫个人防护公司"),
        ("Poznań Sterile Products", "波兹南无菌用品公司"),
    ),
    "CZ": (
        ("Brno Filtration Technologies", "布尔诺过滤技术公司"),
        ("Prague Medical Supplies", "布拉格医疗用品公司"),
        ("Ostrava Nanofibre", "俄斯特拉发纳米纤维公司"),
    ),
    "IL": (
        ("Tel Aviv Diagnostics", "特拉维夫诊断公司"),
        ("Haifa Respiratory Systems", "海法呼吸系统公司"),
        ("Negev Protective Gear", "内盖夫防护装备公司"),
    ),
    "FI": (
        ("Tampere Filter Oy", "坦佩雷过滤器公司"),
        ("Helsinki Medical Oy", "赫尔辛基医疗公司"),
        ("Oulu Cleanroom Products", "奥卢洁净室用品公司"),
    ),
    "TH": (
        ("Bangkok Rubber Gloves", "曼谷橡胶手套公司"),
        ("Songkhla Latex Industries", "宋卡乳胶工业公司"),
        ("Chiang Mai Herbal Sanitiser", "清迈草本消毒液公司"),
        ("Rayong Nonwoven", "罗勇无纺布公司"),
        ("Thai Medical Trading", "泰国医疗贸易公司"),
    ),
}
# fmt: on


def _slug(name: str) -> str:
    ascii_only = name.encode("ascii", "ignore").decode().lower()
    return "".join(c if c.isalnum() else "-" for c in ascii_only).strip("-").replace("--", "-")


def _suppliers() -> OrgSpec:
    children = [
        OrgSpec(
            f"SUP-{country}-{i:02d}",
            zh,
            en,
            K.SUPPLIER,
            country=country,
            contact_email=f"sales@{_slug(en)}.example",
        )
        for country, names in SUPPLIERS.items()
        for i, (en, zh) in enumerate(names, start=1)
    ]
    return OrgSpec(SUPPLIERS_CODE, "境外供应商", "Suppliers abroad", K.SUPPLIER, children=tuple(children))


# --- Donors (seed 000: masks from a Turkish group, arriving at 4 a.m.) --------------------------

# fmt: off
DONORS = OrgSpec(DONORS_CODE, "捐赠方", "Donors", K.DONOR, children=(
    OrgSpec("DON-TR-K", "土耳其K集团（卡扬集团）", "K Group (Kalyon Group), Turkey", K.DONOR,
            country="TR"),
    OrgSpec("DON-LK-SCC", "斯里兰卡四川商会", "Sichuan Chamber of Commerce in Sri Lanka",
            K.DONOR, country="LK"),
    OrgSpec("DON-PK-FCA", "拉合尔巴中友好协会", "Pakistan-China Friendship Society, Lahore",
            K.DONOR, country="PK"),
    OrgSpec("DON-TH-OCF", "曼谷华侨慈善基金会", "Bangkok Overseas Chinese Charity Foundation",
            K.DONOR, country="TH"),
    OrgSpec("DON-BT-FSS", "廷布四川之友会", "Thimphu Friends of Sichuan Society", K.DONOR,
            country="BT"),
))
# fmt: on

# --- Hospitals in Sri Lanka (seed 000: the equipment project) ---------------------------------

# fmt: off
_HOSPITALS = (
    ("IDH", "国家传染病医院（安戈达）", "National Institute of Infectious Diseases (IDH), Angoda"),
    ("NHSL", "斯里兰卡国家医院（科伦坡）", "National Hospital of Sri Lanka, Colombo"),
    ("NHK", "康提国家医院", "National Hospital Kandy"),
    ("CSTH", "科伦坡南部教学医院", "Colombo South Teaching Hospital"),
    ("CNTH", "科伦坡北部教学医院（拉加马）", "Colombo North Teaching Hospital, Ragama"),
    ("KTH", "卡拉皮蒂亚教学医院（加勒）", "Teaching Hospital Karapitiya, Galle"),
    ("JTH", "贾夫纳教学医院", "Teaching Hospital Jaffna"),
    ("ATH", "阿努拉德普勒教学医院", "Teaching Hospital Anuradhapura"),
    ("BTH", "拜蒂克洛教学医院", "Teaching Hospital Batticaloa"),
    ("KGTH", "库鲁内格勒教学医院", "Teaching Hospital Kurunegala"),
)
# fmt: on
HOSPITALS = OrgSpec(
    HOSPITALS_CODE,
    "医院",
    "Hospitals",
    K.HOSPITAL,
    children=tuple(
        OrgSpec(f"HOSP-LK-{code}", zh, en, K.HOSPITAL, region="LK", country="LK") for code, zh, en in _HOSPITALS
    ),
)  # fmt: skip

# --- Embassies and international organisations in China (seed 004) -----------------------------

# The first eleven are the countries the seed names; 73 missions in all with the seven
# international organisations below.
# fmt: off
EMBASSIES: tuple[tuple[str, str, str], ...] = (
    ("LU", "Luxembourg", "卢森堡"), ("DM", "Dominica", "多米尼克"), ("SO", "Somalia", "索马里"),
    ("JO", "Jordan", "约旦"), ("RW", "Rwanda", "卢旺达"), ("TL", "Timor-Leste", "东帝汶"),
    ("PK", "Pakistan", "巴基斯坦"), ("KP", "the Democratic People's Republic of Korea", "朝鲜"),
    ("KE", "Kenya", "肯尼亚"), ("UG", "Uganda", "乌干达"), ("CH", "Switzerland", "瑞士"),
    ("LK", "Sri Lanka", "斯里兰卡"), ("MM", "Myanmar", "缅甸"), ("NP", "Nepal", "尼泊尔"),
    ("BD", "Bangladesh", "孟加拉国"), ("TH", "Thailand", "泰国"), ("MY", "Malaysia", "马来西亚"),
    ("ID", "Indonesia", "印度尼西亚"), ("PH", "the Philippines", "菲律宾"),
    ("VN", "Viet Nam", "越南"), ("LA", "Laos", "老挝"), ("KH", "Cambodia", "柬埔寨"),
    ("MN", "Mongolia", "蒙古国"), ("KZ", "Kazakhstan", "哈萨克斯坦"),
    ("UZ", "Uzbekistan", "乌兹别克斯坦"), ("KG", "Kyrgyzstan", "吉尔吉斯斯坦"),
    ("TJ", "Tajikistan", "塔吉克斯坦"), ("IR", "Iran", "伊朗"), ("IQ", "Iraq", "伊拉克"),
    ("SA", "Saudi Arabia", "沙特阿拉伯"), ("AE", "the United Arab Emirates", "阿联酋"),
    ("QA", "Qatar", "卡塔尔"), ("KW", "Kuwait", "科威特"), ("OM", "Oman", "阿曼"),
    ("EG", "Egypt", "埃及"), ("DZ", "Algeria", "阿尔及利亚"), ("MA", "Morocco", "摩洛哥"),
    ("TN", "Tunisia", "突尼斯"), ("ET", "Ethiopia", "埃塞俄比亚"), ("TZ", "Tanzania", "坦桑尼亚"),
    ("ZM", "Zambia", "赞比亚"), ("ZW", "Zimbabwe", "津巴布韦"), ("NG", "Nigeria", "尼日利亚"),
    ("GH", "Ghana", "加纳"), ("SN", "Senegal", "塞内加尔"), ("CM", "Cameroon", "喀麦隆"),
    ("AO", "Angola", "安哥拉"), ("MZ", "Mozambique", "莫桑比克"), ("ZA", "South Africa", "南非"),
    ("DJ", "Djibouti", "吉布提"), ("SD", "Sudan", "苏丹"), ("TR", "Türkiye", "土耳其"),
    ("RS", "Serbia", "塞尔维亚"), ("HU", "Hungary", "匈牙利"), ("PL", "Poland", "波兰"),
    ("CZ", "the Czech Republic", "捷克"), ("GR", "Greece", "希腊"), ("PT", "Portugal", "葡萄牙"),
    ("BY", "Belarus", "白俄罗斯"), ("FI", "Finland", "芬兰"), ("BR", "Brazil", "巴西"),
    ("AR", "Argentina", "阿根廷"), ("CL", "Chile", "智利"), ("PE", "Peru", "秘鲁"),
    ("CU", "Cuba", "古巴"), ("FJ", "Fiji", "斐济"),
)
INTL_ORGS: tuple[tuple[str, str, str], ...] = (
    ("WHO", "世界卫生组织驻华代表处", "World Health Organization Representative Office in China"),
    ("UNDP", "联合国开发计划署驻华代表处", "United Nations Development Programme in China"),
    ("UNICEF", "联合国儿童基金会驻华办事处", "UNICEF Office for China"),
    ("HABITAT", "联合国人居署中国办公室", "UN-Habitat China Office"),
    ("WB", "世界银行驻华代表处", "World Bank Office in Beijing"),
    ("ADB", "亚洲开发银行驻中国代表处", "Asian Development Bank PRC Resident Mission"),
    ("IFRC", "红十字会与红新月会国际联合会东亚代表处",
     "International Federation of Red Cross and Red Crescent Societies, East Asia Delegation"),
)
# fmt: on


def _diplomatic() -> OrgSpec:
    children = [
        OrgSpec(
            f"EMB-{iso}",
            f"{zh}驻华大使馆",
            f"Embassy of {en} in China",
            K.EMBASSY,
            region="CN-BJ",
            country=iso,
        )
        for iso, en, zh in EMBASSIES
    ]
    children += [OrgSpec(f"IO-{code}", zh, en, K.INTL_ORG, region="CN-BJ", country="CN") for code, zh, en in INTL_ORGS]
    name_en = "Embassies and international organisations in China"
    return OrgSpec(DIPLOMATIC_CODE, "驻华使馆和国际组织", name_en, K.EMBASSY, region="CN-BJ", children=tuple(children))


# --- Government bodies --------------------------------------------------------------------------

# fmt: off
GOVERNMENT = OrgSpec(GOVERNMENT_CODE, "政府机构", "Government bodies", K.GOVERNMENT, children=(
    OrgSpec("GOV-SASAC", "国务院国有资产监督管理委员会",
            "State-owned Assets Supervision and Administration Commission (SASAC)",
            K.GOVERNMENT, region="CN-BJ"),
    OrgSpec("GOV-NHC", "国家卫生健康委员会", "National Health Commission", K.GOVERNMENT,
            region="CN-BJ"),
    OrgSpec("GOV-MOFCOM", "商务部", "Ministry of Commerce", K.GOVERNMENT, region="CN-BJ"),
    OrgSpec("GOV-GACC", "海关总署", "General Administration of Customs", K.GOVERNMENT,
            region="CN-BJ"),
    OrgSpec("GOV-HB-HQ", "湖北省新冠肺炎疫情防控指挥部",
            "Hubei Provincial Epidemic Prevention and Control Headquarters", K.GOVERNMENT,
            region="CN-HB"),
    OrgSpec("GOV-CD-COM", "成都市商务局", "Chengdu Municipal Bureau of Commerce", K.GOVERNMENT,
            region="CN-SC-CD"),
    OrgSpec("GOV-LK-PMO", "斯里兰卡总理办公室", "Prime Minister's Office of Sri Lanka",
            K.GOVERNMENT, region="LK", country="LK"),
))
# fmt: on

ALLIANCE = _alliance()
SUPPLIER_TREE = _suppliers()
DIPLOMATIC = _diplomatic()
OUTSIDE_TREES = (ALLIANCE, SUPPLIER_TREE, DONORS, HOSPITALS, DIPLOMATIC, GOVERNMENT)
