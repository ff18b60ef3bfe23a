"""Demo content of the customers app: supply lines, transformer areas, tariffs, fee items and name lists.

**Everything here is demo content.** The feeders, transformer areas, prices and fee amounts are invented but
plausible; the legal bases name real national documents so the pages look like the real thing, but the prices and
amounts are *not* the ones in force anywhere (each tariff's notes say so in all four languages). Replace the lot
with the province's published price list before real use. The Uyghur and Tibetan texts are written for the demo and
should be reviewed by a native speaker before publication.

`supply_service.customers.demo` loads this (idempotent) and bills the synthetic customers with the same prices.
"""

from datetime import date
from decimal import Decimal

# --- Supply lines and transformer areas ------------------------------------------------------------------------
# (feeder number, office code, street, number of transformer areas). Feeder code `10kV-101`, name `10kV 人民路线`;
# area code `TA-101-03`, name `人民路3号台区` (the customers of the compound 人民路3号院).
FEEDERS = [
    (101, "city-centre", "人民路", 8),
    (102, "city-centre", "解放路", 6),
    (103, "city-centre", "中山路", 7),
    (201, "tianshan", "天山路", 10),
    (202, "tianshan", "新华路", 5),
    (203, "tianshan", "光明路", 9),
]
DEMO_OFFICE_CODES = ["city-centre", "tianshan"]


def feeder_code(number: int) -> str:
    return f"10kV-{number}"


def feeder_name(street: str) -> str:
    return f"10kV {street}线"


def area_code(feeder_number: int, area: int) -> str:
    return f"TA-{feeder_number}-{area:02d}"


def area_name(street: str, area: int) -> str:
    return f"{street}{area}号台区"


# --- Prices (yuan, 4 decimals) used both for the published tariffs and for billing the demo customers ----------
PRICE = {
    "res_tier1": Decimal("0.5283"),
    "res_tier2": Decimal("0.5783"),
    "res_tier3": Decimal("0.8283"),
    "res_peak": Decimal("0.5583"),
    "res_valley": Decimal("0.2883"),
    "com_lv": Decimal("0.6241"),
    "com_10kv": Decimal("0.6041"),
    "com_35kv": Decimal("0.5841"),
    "ind_10kv": Decimal("0.4950"),
    "ind_35kv": Decimal("0.4800"),
    "ind_110kv": Decimal("0.4650"),
    "ind_capacity": Decimal("25.0000"),
    "ind_demand": Decimal("38.0000"),
    "agr_lv": Decimal("0.4780"),
    "agr_10kv": Decimal("0.4680"),
}
TIER1_KWH = 180  # monthly kWh billed at the first tier
TIER2_KWH = 350  # ... up to here at the second, above at the third

_DEMO_NOTE = {
    "zh_hans": "演示数据，非实际执行价格。",
    "en": "Demo data, not the prices in force.",
    "ug": "كۆرسەتمە سانلىق مەلۇمات، ئەمەلىي ئىجرا قىلىنىۋاتقان باھا ئەمەس.",
    "bo": "འདི་ནི་དཔེ་སྟོན་གཞི་གྲངས་ཡིན་པས། དངོས་སུ་ལག་བསྟར་བྱེད་བཞིན་པའི་རིན་གོང་མིན།",
}


def _notes(zh_hans: str, en: str, ug: str, bo: str) -> dict:
    return {
        "notes_zh_hans": f"{zh_hans}{_DEMO_NOTE['zh_hans']}",
        "notes_en": f"{en} {_DEMO_NOTE['en']}",
        "notes_ug": f"{ug} {_DEMO_NOTE['ug']}",
        "notes_bo": f"{bo} {_DEMO_NOTE['bo']}",
    }


def _item(price_key: str, zh_hans: str, en: str, ug: str, bo: str, unit: str = "kWh") -> dict:
    return {"price_key": price_key, "unit": unit,
            "name_zh_hans": zh_hans, "name_en": en, "name_ug": ug, "name_bo": bo}


_NDRC_2023_526 = "《国家发展改革委关于第三监管周期省级电网输配电价及有关事项的通知》(发改价格〔2023〕526号)"

# Each tariff: its fields and its price items (identified by position within the tariff).
TARIFFS = [
    {
        "code": "residential-tiered", "category": "residential", "position": 1, "effective_from": date(2012, 7, 1),
        "name_zh_hans": "一户一表居民生活用电（阶梯电价）",
        "name_en": "Residential, one meter per household (tiered tariff)",
        "name_ug": "بىر ئائىلىگە بىر ئۆلچىگۈچلۈك ئاھالىلەر تۇرمۇش توكى (باسقۇچلۇق توك باھاسى)",
        "name_bo": "ཁྱིམ་ཚང་རེར་འཇལ་ཆས་རེ་ཡོད་པའི་སྡོད་དམངས་འཚོ་བའི་གློག (རིམ་པ་ཅན་གྱི་གློག་གླ།)",
        **_notes(
            "按每户每月用电量分三档累进计价：第一档 0–180 千瓦时，第二档 181–350 千瓦时，第三档 350 千瓦时以上。",
            "Priced progressively by each household's monthly use in three tiers: tier 1 up to 180 kWh, "
            "tier 2 from 181 to 350 kWh, tier 3 above 350 kWh.",
            "ھەر ئائىلىنىڭ ئايلىق توك ئىشلىتىش مىقدارى بويىچە ئۈچ باسقۇچقا بۆلۈپ ئۆرلەپ ھېسابلىنىدۇ: "
            "1-باسقۇچ 180 كىلوۋات-سائەتكىچە، 2-باسقۇچ 181 دىن 350 كىلوۋات-سائەتكىچە، "
            "3-باسقۇچ 350 كىلوۋات-سائەتتىن يۇقىرى.",
            "ཁྱིམ་ཚང་རེའི་ཟླ་རེའི་གློག་བཀོལ་ཚད་ལྟར་རིམ་པ་གསུམ་དུ་བགོས་ནས་རིམ་འཕར་གྱིས་གླ་རྩིས་བྱེད། "
            "རིམ་པ་དང་པོ་ཀི་ལོ་ཝ་ཊ་ཆུ་ཚོད་ 180 བར། རིམ་པ་གཉིས་པ་ཀི་ལོ་ཝ་ཊ་ཆུ་ཚོད་ 181 ནས་ 350 བར། "
            "རིམ་པ་གསུམ་པ་ཀི་ལོ་ཝ་ཊ་ཆུ་ཚོད་ 350 ལས་བརྒལ་བ།",
        ),
        "legal_basis": "《国家发展改革委关于居民生活用电试行阶梯电价的指导意见》(发改价格〔2011〕2617号)",
        "items": [
            _item("res_tier1", "第一档（月用电 0–180 千瓦时）", "Tier 1 (0–180 kWh a month)",
                  "1-باسقۇچ (ئايدا 0–180 كىلوۋات-سائەت)", "རིམ་པ་དང་པོ། (ཟླ་རེར་ཀི་ལོ་ཝ་ཊ་ཆུ་ཚོད་ 0–180)"),
            _item("res_tier2", "第二档（月用电 181–350 千瓦时）", "Tier 2 (181–350 kWh a month)",
                  "2-باسقۇچ (ئايدا 181–350 كىلوۋات-سائەت)", "རིམ་པ་གཉིས་པ། (ཟླ་རེར་ཀི་ལོ་ཝ་ཊ་ཆུ་ཚོད་ 181–350)"),
            _item("res_tier3", "第三档（月用电 350 千瓦时以上）", "Tier 3 (above 350 kWh a month)",
                  "3-باسقۇچ (ئايدا 350 كىلوۋات-سائەتتىن يۇقىرى)",
                  "རིམ་པ་གསུམ་པ། (ཟླ་རེར་ཀི་ལོ་ཝ་ཊ་ཆུ་ཚོད་ 350 ལས་བརྒལ་བ།)"),
        ],
    },
    {
        "code": "residential-time-of-use", "category": "residential", "position": 2,
        "effective_from": date(2022, 1, 1),
        "name_zh_hans": "居民生活用电峰谷分时电价",
        "name_en": "Residential time-of-use tariff (peak and valley)",
        "name_ug": "ئاھالىلەر تۇرمۇش توكىنىڭ ئەۋج ۋە تۆۋەن ۋاقىتقا بۆلۈنگەن باھاسى",
        "name_bo": "སྡོད་དམངས་འཚོ་བའི་གློག་གི་མཐོ་དུས་དང་དམའ་དུས་སོ་སོའི་གློག་གླ།",
        **_notes(
            "峰段 08:00–22:00，谷段 22:00–次日 08:00；居民客户可自愿申请执行，执行后不再分档。",
            "Peak hours 08:00–22:00, valley hours 22:00–08:00; households may choose it on request and are "
            "then not billed in tiers.",
            "ئەۋج ۋاقىت 08:00–22:00، تۆۋەن ۋاقىت 22:00 دىن ئەتىسى 08:00 گىچە؛ ئاھالىلەر ئىختىيارىي "
            "ئىلتىماس قىلسا بولىدۇ، ئىجرا قىلىنغاندىن كېيىن باسقۇچقا بۆلۈنمەيدۇ.",
            "མཐོ་དུས་ 08:00–22:00 དང་། དམའ་དུས་ 22:00 ནས་ཕྱི་ཉིན་ 08:00 བར། སྡོད་དམངས་ཀྱིས་རང་མོས་ལྟར་"
            "རེ་ཞུ་བྱས་ཆོག ལག་བསྟར་བྱས་རྗེས་རིམ་པར་མི་བགོ།",
        ),
        "legal_basis": "《国家发展改革委关于进一步完善分时电价机制的通知》(发改价格〔2021〕1093号)",
        "items": [
            _item("res_peak", "峰段（08:00–22:00）", "Peak (08:00–22:00)",
                  "ئەۋج ۋاقىت (08:00–22:00)", "མཐོ་དུས། (08:00–22:00)"),
            _item("res_valley", "谷段（22:00–次日 08:00）", "Valley (22:00–08:00)",
                  "تۆۋەن ۋاقىت (22:00 دىن ئەتىسى 08:00 گىچە)", "དམའ་དུས། (22:00 ནས་ཕྱི་ཉིན་ 08:00 བར།)"),
        ],
    },
    {
        "code": "general-commercial", "category": "commercial", "position": 3, "effective_from": date(2023, 6, 1),
        "name_zh_hans": "一般工商业及其他用电",
        "name_en": "General industry, commerce and other use",
        "name_ug": "ئادەتتىكى سانائەت، سودا ۋە باشقا ئىشلىتىش توكى",
        "name_bo": "སྤྱིར་བཏང་བཟོ་ལས་དང་ཚོང་ལས། གཞན་དག་གི་བཀོལ་སྤྱོད་གློག",
        **_notes(
            "单一制电度电价，按受电电压等级计价；不含政府性基金及附加。",
            "A single energy price by supply voltage; government funds and surcharges not included.",
            "توك قوبۇل قىلىش بېسىم دەرىجىسى بويىچە يەككە توك مىقدارى باھاسى؛ ھۆكۈمەت فوندى ۋە قوشۇمچە "
            "ھەقلەر ئىچىدە ئەمەس.",
            "གློག་ལེན་ཝོལ་ཊའི་རིམ་པ་ལྟར་གློག་ཚད་རིན་གོང་གཅིག་རྐྱང་། གཞུང་གི་མ་དངུལ་དང་ཁ་སྣོན་གླ་ཆ་"
            "ནང་དུ་མི་འདུས།",
        ),
        "legal_basis": "《国家发展改革委关于进一步深化燃煤发电上网电价市场化改革的通知》(发改价格〔2021〕1439号)",
        "items": [
            _item("com_lv", "不满 1 千伏", "Below 1 kV", "1 كىلوۋولتقا يەتمىگەن", "ཀི་ལོ་ཝོལ་ཊ་ 1 ལ་མ་སླེབས་པ།"),
            _item("com_10kv", "1–10 千伏", "1–10 kV", "1–10 كىلوۋولت", "ཀི་ལོ་ཝོལ་ཊ་ 1–10"),
            _item("com_35kv", "35 千伏", "35 kV", "35 كىلوۋولت", "ཀི་ལོ་ཝོལ་ཊ་ 35"),
        ],
    },
    {
        "code": "large-industry", "category": "large_industry", "position": 4, "effective_from": date(2023, 6, 1),
        "name_zh_hans": "大工业用电（两部制）",
        "name_en": "Large industry (two-part tariff)",
        "name_ug": "چوڭ سانائەت توكى (ئىككى قىسىملىق باھا)",
        "name_bo": "བཟོ་ལས་ཆེན་པོའི་གློག (ཆ་ཤས་གཉིས་ལྡན་གྱི་གློག་གླ།)",
        **_notes(
            "受电变压器容量 315 千伏安及以上的工业客户执行；电费 = 电度电费 + 基本电费，基本电费按变压器容量"
            "或最大需量计收，由客户选择。",
            "For industrial customers with 315 kVA of transformer capacity or more; the bill is the energy charge "
            "plus a basic charge by transformer capacity or by maximum demand, as the customer chooses.",
            "ترانسفورماتور سىغىمى 315 كىلوۋولت-ئامپېر ۋە ئۇنىڭدىن يۇقىرى سانائەت ئابونتلىرىغا ئىجرا قىلىنىدۇ؛ "
            "توك ھەققى = توك مىقدارى ھەققى + ئاساسىي ھەق، ئاساسىي ھەق ترانسفورماتور سىغىمى ياكى ئەڭ يۇقىرى "
            "ئېھتىياج بويىچە ئېلىنىدۇ، ئابونت ئۆزى تاللايدۇ.",
            "འགྱུར་ཆས་ཀྱི་ཤོང་ཚད་ཀི་ལོ་ཝོལ་ཊ་ཨེམ་པེར་ 315 དང་དེ་ཡན་གྱི་བཟོ་ལས་སྤྱོད་མཁན་ལ་ལག་བསྟར་བྱེད། "
            "གློག་གླ་ནི་གློག་ཚད་གླ་དང་གཞི་རྩའི་གླ་བསྡོམས་པ་ཡིན། གཞི་རྩའི་གླ་འགྱུར་ཆས་ཀྱི་ཤོང་ཚད་དམ་"
            "མཁོ་ཚད་མཐོ་ཤོས་ལྟར་བསྡུ་ལེན་བྱེད་པ་དེ་སྤྱོད་མཁན་གྱིས་གདམ་ག་བྱེད།",
        ),
        "legal_basis": _NDRC_2023_526,
        "items": [
            _item("ind_10kv", "电度电价 1–10 千伏", "Energy price, 1–10 kV",
                  "توك مىقدارى باھاسى، 1–10 كىلوۋولت", "གློག་ཚད་རིན་གོང་། ཀི་ལོ་ཝོལ་ཊ་ 1–10"),
            _item("ind_35kv", "电度电价 35 千伏", "Energy price, 35 kV",
                  "توك مىقدارى باھاسى، 35 كىلوۋولت", "གློག་ཚད་རིན་གོང་། ཀི་ལོ་ཝོལ་ཊ་ 35"),
            _item("ind_110kv", "电度电价 110 千伏及以上", "Energy price, 110 kV and above",
                  "توك مىقدارى باھاسى، 110 كىلوۋولت ۋە ئۇنىڭدىن يۇقىرى",
                  "གློག་ཚད་རིན་གོང་། ཀི་ལོ་ཝོལ་ཊ་ 110 དང་དེ་ཡན།"),
            _item("ind_capacity", "基本电价（按变压器容量，每月）", "Basic charge by transformer capacity, a month",
                  "ئاساسىي باھا (ترانسفورماتور سىغىمى بويىچە، ھەر ئايدا)",
                  "གཞི་རྩའི་གླ། (འགྱུར་ཆས་ཀྱི་ཤོང་ཚད་ལྟར། ཟླ་རེར།)", unit="kVA"),
            _item("ind_demand", "基本电价（按最大需量，每月）", "Basic charge by maximum demand, a month",
                  "ئاساسىي باھا (ئەڭ يۇقىرى ئېھتىياج بويىچە، ھەر ئايدا)",
                  "གཞི་རྩའི་གླ། (མཁོ་ཚད་མཐོ་ཤོས་ལྟར། ཟླ་རེར།)", unit="kW"),
        ],
    },
    {
        "code": "agriculture", "category": "agriculture", "position": 5, "effective_from": date(2023, 6, 1),
        "name_zh_hans": "农业生产用电",
        "name_en": "Agricultural production",
        "name_ug": "يېزا ئىگىلىك ئىشلەپچىقىرىش توكى",
        "name_bo": "ཞིང་ལས་ཐོན་སྐྱེད་ཀྱི་གློག",
        **_notes(
            "适用于农业种植、养殖、排灌等农业生产用电。",
            "For farming, animal husbandry, irrigation and drainage.",
            "تېرىقچىلىق، باقمىچىلىق، سۇغىرىش ۋە سۇ چىقىرىش قاتارلىق يېزا ئىگىلىك ئىشلەپچىقىرىشىغا ئىشلىتىلىدۇ.",
            "ཞིང་འདེབས་དང་། གསོ་སྐྱོང་། ཆུ་འདྲེན་ཆུ་འདོན་སོགས་ཞིང་ལས་ཐོན་སྐྱེད་ལ་སྤྱོད།",
        ),
        "legal_basis": _NDRC_2023_526,
        "items": [
            _item("agr_lv", "不满 1 千伏", "Below 1 kV", "1 كىلوۋولتقا يەتمىگەن", "ཀི་ལོ་ཝོལ་ཊ་ 1 ལ་མ་སླེབས་པ།"),
            _item("agr_10kv", "1–10 千伏", "1–10 kV", "1–10 كىلوۋولت", "ཀི་ལོ་ཝོལ་ཊ་ 1–10"),
        ],
    },
]

_SUPPLY_RULES = "《供电营业规则》(国家发展改革委令2024年第14号)"

FEE_ITEMS = [
    {
        "code": "high-reliability-supply", "position": 1, "amount": None,
        "name_zh_hans": "高可靠性供电费",
        "name_en": "High-reliability supply fee",
        "name_ug": "يۇقىرى ئىشەنچلىك توك تەمىنلەش ھەققى",
        "name_bo": "ཡིད་བརྟན་རང་བཞིན་མཐོ་བའི་གློག་མཁོ་སྤྲོད་གླ།",
        "standard_zh_hans": "申请双电源或多回路供电的客户，按备用回路受电容量一次性收取：10 千伏每千伏安 260 元，"
                            "35 千伏每千伏安 200 元，110 千伏每千伏安 150 元（演示标准）。",
        "standard_en": "Charged once to customers who ask for a second source or more circuits, by the capacity of the "
                       "standby circuit: 260 yuan per kVA at 10 kV, 200 yuan at 35 kV, 150 yuan at 110 kV (demo rates).",
        "standard_ug": "قوش توك مەنبەسى ياكى كۆپ لىنىيىلىك توك تەمىناتى ئىلتىماس قىلغان ئابونتلاردىن زاپاس "
                       "لىنىيىنىڭ سىغىمى بويىچە بىر قېتىم ئېلىنىدۇ: 10 كىلوۋولتتا ھەر كىلوۋولت-ئامپېرغا 260 يۈەن، "
                       "35 كىلوۋولتتا 200 يۈەن، 110 كىلوۋولتتا 150 يۈەن (كۆرسەتمە ئۆلچەم).",
        "standard_bo": "གློག་ཁུངས་གཉིས་སམ་ལམ་ཐིག་མང་པོའི་གློག་མཁོ་སྤྲོད་རེ་ཞུ་བྱེད་མཁན་ལ། གྲ་སྒྲིག་ལམ་ཐིག་གི་"
                       "ཤོང་ཚད་ལྟར་ཐེངས་གཅིག་བསྡུ་ལེན་བྱེད། ཀི་ལོ་ཝོལ་ཊ་ 10 ལ་ཀི་ལོ་ཝོལ་ཊ་ཨེམ་པེར་རེར་སྒོར་ 260 "
                       "ཀི་ལོ་ཝོལ་ཊ་ 35 ལ་སྒོར་ 200 ཀི་ལོ་ཝོལ་ཊ་ 110 ལ་སྒོར་ 150 (དཔེ་སྟོན་ཚད་གཞི།)",
        "legal_basis": "《国家发展改革委关于停止收取供配电贴费有关问题的补充通知》(发改价格〔2003〕2279号)",
    },
    {
        "code": "temporary-connection", "position": 2, "amount": Decimal("0.00"),
        "name_zh_hans": "临时接电费",
        "name_en": "Temporary connection fee",
        "name_ug": "ۋاقىتلىق توك ئۇلاش ھەققى",
        "name_bo": "གནས་སྐབས་གློག་སྦྲེལ་གླ།",
        "standard_zh_hans": "已按国家规定取消，不再向客户收取。",
        "standard_en": "Abolished by national rules; no longer charged.",
        "standard_ug": "دۆلەت بەلگىلىمىسى بويىچە بىكار قىلىندى، ئابونتلاردىن ئەمدى ئېلىنمايدۇ.",
        "standard_bo": "རྒྱལ་ཁབ་ཀྱི་གཏན་འཁེལ་ལྟར་མེད་པར་བཟོས་ཟིན་པས། སྤྱོད་མཁན་ལས་ཡང་བསྐྱར་མི་བསྡུ།",
        "legal_basis": "《国家发展改革委关于取消临时接电费和明确自备电厂有关收费政策的通知》(发改价格〔2017〕1895号)",
    },
    {
        "code": "meter-test-single-phase", "position": 3, "amount": Decimal("30.00"),
        "name_zh_hans": "电能表校验费（单相）",
        "name_en": "Meter test fee (single-phase)",
        "name_ug": "توك ئۆلچىگۈچنى تەكشۈرۈش ھەققى (بىر فازىلىق)",
        "name_bo": "གློག་ཚད་འཇལ་ཆས་ཞིབ་དཔྱད་གླ། (ཚན་གཅིག་མ།)",
        "standard_zh_hans": "客户申请校验电能表，误差在允许范围内的按次收取；超出允许范围的免收，并退补电费。",
        "standard_en": "Charged per test when a customer asks for the meter to be tested and it is within tolerance; "
                       "free if it is not, and the bills are corrected.",
        "standard_ug": "ئابونت توك ئۆلچىگۈچنى تەكشۈرۈشنى ئىلتىماس قىلغاندا، خاتالىق رۇخسەت دائىرىسىدە بولسا ھەر "
                       "قېتىم ئۈچۈن ئېلىنىدۇ؛ دائىرىدىن ئېشىپ كەتسە ئېلىنمايدۇ ۋە توك ھەققى تۈزىتىلىدۇ.",
        "standard_bo": "སྤྱོད་མཁན་གྱིས་གློག་ཚད་འཇལ་ཆས་ཞིབ་དཔྱད་རེ་ཞུ་བྱས་ཏེ་ནོར་ཚད་ཆོག་མཆན་ཁྱབ་ཁོངས་སུ་ཡོད་ན་"
                       "ཐེངས་རེར་བསྡུ་ལེན་བྱེད། ཁྱབ་ཁོངས་ལས་བརྒལ་ན་མི་བསྡུ་བ་མ་ཟད་གློག་གླ་ཡང་བསྐྱར་བཅོས་བྱེད།",
        "legal_basis": _SUPPLY_RULES,
    },
    {
        "code": "meter-test-three-phase", "position": 4, "amount": Decimal("60.00"),
        "name_zh_hans": "电能表校验费（三相）",
        "name_en": "Meter test fee (three-phase)",
        "name_ug": "توك ئۆلچىگۈچنى تەكشۈرۈش ھەققى (ئۈچ فازىلىق)",
        "name_bo": "གློག་ཚད་འཇལ་ཆས་ཞིབ་དཔྱད་གླ། (ཚན་གསུམ་མ།)",
        "standard_zh_hans": "同单相电能表；高压计量装置按实际校验项目另行核定。",
        "standard_en": "As for single-phase meters; high-voltage metering is priced by the tests actually done.",
        "standard_ug": "بىر فازىلىق ئۆلچىگۈچ بىلەن ئوخشاش؛ يۇقىرى بېسىملىق ئۆلچەش ئۈسكۈنىسى ئەمەلىي تەكشۈرۈش "
                       "تۈرلىرى بويىچە ئايرىم بېكىتىلىدۇ.",
        "standard_bo": "ཚན་གཅིག་མའི་འཇལ་ཆས་དང་མཚུངས། ཝོལ་ཊ་མཐོ་བའི་འཇལ་ཚད་སྒྲིག་ཆས་ལ་དངོས་སུ་ཞིབ་དཔྱད་བྱས་"
                       "པའི་རྣམ་གྲངས་ལྟར་ལོགས་སུ་གཏན་འཁེལ་བྱེད།",
        "legal_basis": _SUPPLY_RULES,
    },
    {
        "code": "late-payment-charge", "position": 5, "amount": None,
        "name_zh_hans": "电费违约金",
        "name_en": "Late payment charge",
        "name_ug": "توك ھەققىنى كېچىكتۈرۈش جەرىمانىسى",
        "name_bo": "གློག་གླ་ཕྱིར་འགྱངས་ཀྱི་ཆད་གླ།",
        "standard_zh_hans": "自逾期之日起计算：居民客户每日按欠费总额的千分之一；其他客户当年欠费部分每日千分之二，"
                            "跨年度欠费部分每日千分之三。",
        "standard_en": "From the day after the due date: households 0.1% of the amount owed a day; other customers "
                       "0.2% a day on this year's arrears and 0.3% a day on earlier years'.",
        "standard_ug": "مۆھلەت ئۆتكەن كۈندىن باشلاپ ھېسابلىنىدۇ: ئاھالىلەر ھەر كۈنى قەرز ئومۇمىي سوممىسىنىڭ مىڭدىن "
                       "بىرى؛ باشقا ئابونتلار شۇ يىللىق قەرز ئۈچۈن ھەر كۈنى مىڭدىن ئىككى، يىلدىن ئاشقان قەرز ئۈچۈن "
                       "ھەر كۈنى مىڭدىن ئۈچ.",
        "standard_bo": "དུས་ཚོད་ལས་བརྒལ་བའི་ཉིན་ནས་རྩིས་འགོ་འཛུགས། སྡོད་དམངས་ལ་ཉིན་རེར་བུ་ལོན་བསྡོམས་འབོར་གྱི་"
                       "སྟོང་ཆ་གཅིག ། སྤྱོད་མཁན་གཞན་ལ་ལོ་དེའི་བུ་ལོན་ལ་ཉིན་རེར་སྟོང་ཆ་གཉིས། ལོ་བརྒལ་བའི་བུ་ལོན་ལ་"
                       "ཉིན་རེར་སྟོང་ཆ་གསུམ།",
        "legal_basis": _SUPPLY_RULES,
    },
]

# --- Names ------------------------------------------------------------------------------------------------------
# Common surnames, roughly by frequency (the weights fall along the list); a few two-character ones at the end.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "慕容"]
GIVEN_ONE = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉斌"
    "宇浩凯健俊帆帅旭宁龙林欣晨博文雪琳晶婷倩颖璐佳慧"
)
GIVEN_TWO = [
    "建国", "建华", "志强", "志明", "秀英", "秀兰", "桂英", "丽娟", "晓东", "晓燕", "海燕", "海涛", "文杰", "子涵",
    "梓轩", "浩然", "欣怡", "雨涵", "宇轩", "一诺", "诗涵", "思远", "嘉怡", "俊杰", "明轩", "淑珍", "玉兰", "国庆",
    "红梅", "春梅", "振华", "立新", "永刚", "晓红", "建军", "卫东", "丽华", "金凤", "德明", "志刚", "雅琴", "子豪",
    "婉婷", "天佑", "承泽", "若曦", "沐阳", "佳琪", "家豪", "慧敏",
]
UYGHUR_GIVEN = [
    "艾力", "买买提", "阿不都热合曼", "艾山", "吐尔逊", "努尔艾力", "艾克拜尔", "阿迪力", "依明江", "麦麦提明",
    "库尔班", "玉素甫", "伊力哈木", "亚森", "古丽娜尔", "热依拉", "阿依古丽", "迪丽努尔", "帕提古丽", "米热古丽",
    "努尔比亚", "再努尔", "阿依努尔", "祖丽皮亚", "热娜古丽", "古丽米拉",
]
UYGHUR_FATHER = [
    "买买提", "吐尔逊", "阿不都拉", "买合木提", "吐尔洪", "艾买提", "阿布都热西提", "吾斯曼", "热合曼", "阿吾提",
    "库尔班", "伊力哈木", "玉素甫", "司马义", "吐尔地", "艾山", "肉孜", "卡德尔",
]
TIBETAN_FIRST = ["扎西", "次仁", "索朗", "格桑", "达瓦", "尼玛", "白玛", "洛桑", "德吉", "平措", "拉巴", "边巴",
                 "旦增", "普布", "央金", "次旦", "巴桑", "米玛", "顿珠", "强巴"]
TIBETAN_SECOND = ["多吉", "卓玛", "旺堆", "梅朵", "次仁", "拉姆", "顿珠", "央宗", "丹增", "卓嘎", "罗布", "曲珍",
                  "坚参", "措姆", "旺姆", "平措", "加措"]

# Business names: a brand word + a kind; public bodies: a district + an ordinal + a kind.
BRANDS = ["天山", "红山", "博格达", "新华", "明园", "金桥", "华凌", "友好", "昆仑", "瑞丰", "鑫源", "恒泰", "宏达",
          "盛世", "天润", "雪莲", "丝路", "西域", "百花", "长城", "东方", "金盛", "安泰", "和谐", "汇通", "福瑞",
          "嘉和", "腾飞", "永安", "华美"]
DISTRICTS = ["天山区", "沙依巴克区", "新市区", "水磨沟区", "头屯河区", "米东区"]
ORDINALS = ["第一", "第二", "第三", "第四", "第五", "第六"]

# Non-residential kinds: (weight, voltage, tariff, importance, name pattern, kinds) — pattern "brand" or "public".
NON_RESIDENTIAL = [
    (30, "380v", "general-commercial", "none", "brand",
     ["餐饮有限公司", "超市", "便利店", "商贸有限公司", "宾馆", "美容美发店", "汽车修理厂", "大药房", "干洗店",
      "面包房", "家电维修部", "文具店"]),
    (6, "380v", "general-commercial", "none", "public", ["社区卫生服务中心", "幼儿园", "社区服务中心"]),
    (8, "380v", "agriculture", "none", "brand", ["农业种植专业合作社", "养殖场", "温室大棚基地", "灌溉泵站"]),
    (12, "10kv", "general-commercial", "none", "brand",
     ["购物中心", "大酒店", "商业广场", "写字楼物业服务有限公司", "冷链物流有限公司"]),
    (3, "10kv", "general-commercial", "second", "brand", ["通信枢纽楼", "数据中心", "百货大楼"]),
    (2, "10kv", "general-commercial", "second", "public", ["中学", "污水处理厂", "体育馆"]),
    (2, "10kv", "general-commercial", "first", "public", ["人民医院", "水厂", "供热站", "燃气门站"]),
    (12, "10kv", "large-industry", "none", "brand",
     ["机械制造有限公司", "建材有限公司", "食品有限公司", "纺织有限公司", "印刷有限公司", "塑料制品有限公司"]),
    (2, "10kv", "agriculture", "none", "brand", ["现代农业产业园", "节水灌溉站"]),
    (3, "35kv", "large-industry", "none", "brand", ["水泥有限公司", "钢铁有限公司", "铝业有限公司"]),
    (1, "35kv", "large-industry", "second", "brand", ["化工有限公司"]),
    (1, "110kv", "large-industry", "first", "brand", ["石油化工有限公司", "硅业有限公司"]),
]

MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
                   "156", "157", "158", "159", "166", "177", "180", "181", "182", "185", "186", "187", "188", "189",
                   "199"]
LANDLINE_PREFIX = "0991-"
