"""Default kiosk content so that a fresh install has it: procedures (S8.3, S9.5) and energy-saving tips (S10.3.6),
in Chinese, English, Uyghur (Arabic script) and Tibetan. Idempotent: procedures by code, tips by Chinese title —
rows a manager has edited are left alone.

Time limits are never written into the texts: each procedure names its service commitment, whose (possibly
tightened) limit the kiosk shows. The Uyghur and Tibetan texts should be reviewed by a native speaker before
publication, like the rest of the seeded content.
"""

from django.db import migrations

LANGS = ("zh_hans", "en", "ug", "bo")


def _t(field: str, zh_hans, en, ug, bo) -> dict:
    """One translated field; a list of lines becomes a multi-line text (one item or step per line)."""
    values = (zh_hans, en, ug, bo)
    return {f"{field}_{lang}": "\n".join(v) if isinstance(v, list | tuple) else v
            for lang, v in zip(LANGS, values, strict=True)}


PROCEDURES = [
    {
        "code": "residential_connection", "position": 1, "commitment": "resident_connection",
        **_t("name", "居民生活用电新装（增容）", "New residential connection (or capacity increase)",
             "ئاھالىلەر تۇرمۇش توكىنى يېڭىدىن ئۇلاش (ياكى سىغىمىنى ئاشۇرۇش)",
             "སྡོད་ཁང་འཚོ་བའི་གློག་སྤྱོད་གསར་སྒྲིག（ཤོང་ཚད་སྣོན་པ།）"),
        **_t("documents",
             ["户主有效身份证件（身份证或户口簿）",
              "房屋产权证明或购房合同（租住的请带房东书面同意书）",
              "委托他人办理的，带授权委托书和受托人身份证件"],
             ["The owner's valid identity document (ID card or household register)",
              "Proof of ownership of the home or the purchase contract (tenants: the landlord's written consent)",
              "If someone applies for you: a letter of authorization and their ID card"],
             ["ئۆي ئىگىسىنىڭ ئىناۋەتلىك كىملىك ئىسپاتى (كىملىك ياكى نوپۇس دەپتىرى)",
              "ئۆينىڭ مۈلۈك ھوقۇقى ئىسپاتى ياكى ئۆي سېتىۋېلىش توختامى (ئىجارىدە تۇرغانلار ئۆي ئىگىسىنىڭ يازما "
              "ماقۇللۇقىنى ئېلىپ كېلىدۇ)",
              "باشقىلارغا ھاۋالە قىلسىڭىز، ھاۋالە خېتى ۋە ھاۋالە قىلىنغۇچىنىڭ كىملىكى"],
             ["ཁྱིམ་བདག་གི་ནུས་ལྡན་ངོ་སྤྲོད་ལག་ཁྱེར།（ངོ་སྤྲོད་ལག་ཁྱེར་རམ་ཐེམ་ཐོ་དེབ།）",
              "ཁང་པའི་བདག་དབང་ར་སྤྲོད་དམ་ཁང་པ་ཉོ་བའི་གན་རྒྱ།（གླ་ཁང་ལ་སྡོད་མཁན་གྱིས་ཁང་བདག་གི་ཡི་གེའི་ཐོག་གི་མོས་མཐུན་ཁྱེར་དགོས།）",
              "མི་གཞན་ལ་ཚབ་བཅོལ་ན། དབང་སྤྲོད་ཡི་གེ་དང་ཚབ་མིའི་ངོ་སྤྲོད་ལག་ཁྱེར།"]),
        **_t("steps",
             ["在营业厅柜台、95598 或“网上国网”App 提出申请",
              "工作人员到现场勘查",
              "签订供用电合同",
              "装表接电"],
             ["Apply at the office counter, on 95598 or in the State Grid app",
              "Our staff survey the site",
              "Sign the supply contract",
              "The meter is installed and the power connected"],
             ["سودا زالى كۆزنىكى، 95598 ياكى دۆلەت توك تورى ئەپى ئارقىلىق ئىلتىماس قىلىڭ",
              "خادىملار نەق مەيداننى تەكشۈرىدۇ",
              "توك تەمىنلەش ۋە ئىشلىتىش توختامى تۈزۈلىدۇ",
              "ھېسابلىغۇچ ئورنىتىلىپ توك ئۇلىنىدۇ"],
             ["ཚོང་ལས་ཁང་གི་སྒེའུ་ཁུང་དང་ 95598 ཡང་ན་རྒྱལ་ཁབ་གློག་དྲའི་ཉེར་སྤྱོད་བརྒྱུད་རེ་ཞུ་འབུལ།",
              "ལས་བྱེད་པས་ས་གནས་སུ་ཞིབ་བཤེར་བྱེད།",
              "གློག་མཁོ་སྤྲོད་དང་བེད་སྤྱོད་ཀྱི་གན་རྒྱར་མིང་རྟགས་འགོད།",
              "གློག་ཚད་འཇལ་ཆས་སྒྲིག་འཛུགས་བྱས་ནས་གློག་སྦྲེལ།"]),
    },
    {
        "code": "nonresidential_connection", "position": 2, "commitment": "nonresident_connection",
        **_t("name", "非居民及高压新装（增容）用电", "Non-residential and high-voltage connection (or capacity increase)",
             "ئاھالە بولمىغان ۋە يۇقىرى بېسىملىق توكنى يېڭىدىن ئۇلاش (ياكى سىغىمىنى ئاشۇرۇش)",
             "སྡོད་ཁང་མ་ཡིན་པ་དང་གློག་ཤུགས་མཐོ་བའི་གློག་སྤྱོད་གསར་སྒྲིག（ཤོང་ཚད་སྣོན་པ།）"),
        **_t("documents",
             ["营业执照（或组织机构代码证）",
              "法定代表人身份证件；委托办理的带授权委托书和经办人身份证件",
              "用电地址的产权证明或租赁合同",
              "用电设备清单和用电负荷情况",
              "高压客户：项目批复（核准或备案）文件"],
             ["Business licence (or organization code certificate)",
              "The legal representative's ID; if someone applies for you, a letter of authorization and their ID",
              "Proof of ownership or the lease of the premises",
              "A list of the electrical equipment and its load",
              "High voltage: the project approval (or filing) documents"],
             ["تىجارەت كىنىشكىسى (ياكى تەشكىلات كودى گۇۋاھنامىسى)",
              "قانۇنىي ۋەكىلنىڭ كىملىكى؛ ھاۋالە قىلىنسا ھاۋالە خېتى ۋە بېجىرگۈچىنىڭ كىملىكى",
              "توك ئىشلىتىش ئورنىنىڭ مۈلۈك ھوقۇقى ئىسپاتى ياكى ئىجارە توختامى",
              "توك ئۈسكۈنىلىرى تىزىملىكى ۋە يۈك ئەھۋالى",
              "يۇقىرى بېسىملىق خېرىدارلار: تۈر تەستىقى (ياكى دېلوغا ئېلىش) ھۆججىتى"],
             ["ཚོང་ལས་ལག་ཁྱེར།（ཡང་ན་སྒྲིག་འཛུགས་ཚབ་རྟགས་ལག་ཁྱེར།）",
              "ཁྲིམས་ལྡན་ངོ་ཚབ་ཀྱི་ངོ་སྤྲོད་ལག་ཁྱེར། ཚབ་བཅོལ་ན་དབང་སྤྲོད་ཡི་གེ་དང་ལས་སྒྲུབ་པའི་ངོ་སྤྲོད་ལག་ཁྱེར།",
              "གློག་སྤྱོད་ས་གནས་ཀྱི་བདག་དབང་ར་སྤྲོད་དམ་གླ་གཏོང་གན་རྒྱ།",
              "གློག་སྤྱོད་སྒྲིག་ཆས་ཀྱི་ཐོ་དང་ཁུར་ཚད་ཀྱི་གནས་ཚུལ།",
              "གློག་ཤུགས་མཐོ་བའི་མཁོ་མཁན། ལས་གཞིའི་ཆོག་མཆན་（ཡང་ན་ཐོ་འགོད་）ཡིག་ཆ།"]),
        **_t("steps",
             ["提交用电申请",
              "现场勘查",
              "答复供电方案",
              "高压客户：设计审查和中间检查",
              "竣工检验",
              "签订供用电合同",
              "装表接电"],
             ["Hand in the application",
              "Site survey",
              "We reply with the supply plan",
              "High voltage: design review and mid-construction inspection",
              "Completion inspection",
              "Sign the supply contract",
              "The meter is installed and the power connected"],
             ["توك ئىشلىتىش ئىلتىماسىنى تاپشۇرۇڭ",
              "نەق مەيدان تەكشۈرۈلىدۇ",
              "توك تەمىنلەش لايىھەسىگە جاۋاب بېرىلىدۇ",
              "يۇقىرى بېسىملىق خېرىدارلار: لايىھە تەكشۈرۈش ۋە قۇرۇلۇش جەريانىدىكى تەكشۈرۈش",
              "قۇرۇلۇش تاماملانغاندىن كېيىن تەكشۈرۈپ قوبۇل قىلىنىدۇ",
              "توك تەمىنلەش ۋە ئىشلىتىش توختامى تۈزۈلىدۇ",
              "ھېسابلىغۇچ ئورنىتىلىپ توك ئۇلىنىدۇ"],
             ["གློག་སྤྱོད་རེ་ཞུ་འབུལ་བ།",
              "ས་གནས་ཞིབ་བཤེར།",
              "གློག་མཁོ་སྤྲོད་འཆར་གཞིའི་ལན་འདེབས།",
              "གློག་ཤུགས་མཐོ་བའི་མཁོ་མཁན། འཆར་འགོད་ཞིབ་བཤེར་དང་བཟོ་སྐྲུན་བར་མའི་ཞིབ་བཤེར།",
              "ལས་གྲུབ་ཞིབ་བཤེར་དང་ལེན།",
              "གློག་མཁོ་སྤྲོད་དང་བེད་སྤྱོད་ཀྱི་གན་རྒྱར་མིང་རྟགས་འགོད་པ།",
              "གློག་ཚད་འཇལ་ཆས་སྒྲིག་འཛུགས་དང་གློག་སྦྲེལ་བ།"]),
    },
    {
        "code": "meter_fault", "position": 3, "commitment": "meter_fault",
        **_t("name", "电能表故障处理", "Meter fault", "ھېسابلىغۇچ كاشىلىسىنى بىر تەرەپ قىلىش",
             "གློག་ཚད་འཇལ་ཆས་ཀྱི་སྐྱོན་སེལ།"),
        **_t("documents",
             ["户号（在电费账单上）",
              "联系电话",
              "怀疑计量不准的，可申请校验（按规定可能收取校验费）"],
             ["Your account number (on the bill)",
              "A phone number to reach you",
              "If you think the meter is wrong you may ask for a test (a test fee may apply by the rules)"],
             ["ئابونت نومۇرى (توك ھەققى ھۆججىتىدە بار)",
              "ئالاقىلىشىش تېلېفونى",
              "ھېسابلىغۇچنىڭ ئۆلچىشى توغرا ئەمەس دەپ گۇمان قىلسىڭىز، تەكشۈرتۈشنى ئىلتىماس قىلالايسىز (بەلگىلىمە "
              "بويىچە تەكشۈرۈش ھەققى ئېلىنىشى مۇمكىن)"],
             ["རྩིས་ཁྲའི་ཨང་གྲངས།（གློག་གླའི་འཛིན་ཤོག་ཐོག་ཏུ་ཡོད།）",
              "འབྲེལ་གཏུག་ཁ་པར་ཨང་གྲངས།",
              "འཇལ་ཆས་ཀྱི་ཚད་འཇལ་ནོར་འཁྲུལ་ཡོད་པར་དོགས་ན་ཞིབ་དཔྱད་ཞུ་ཆོག（སྒྲིག་གཞི་ལྟར་ཞིབ་དཔྱད་གླ་འབབ་སྲིད།）"]),
        **_t("steps",
             ["到营业厅或拨打 95598 报告电能表故障",
              "工作人员上门检查",
              "修复或更换电能表，并核对电量电费"],
             ["Report the fault at the counter or on 95598",
              "Our staff check the meter at your place",
              "The meter is repaired or replaced, and the energy and the bill are checked"],
             ["سودا زالىغا كېلىپ ياكى 95598 گە تېلېفون قىلىپ ھېسابلىغۇچ كاشىلىسىنى مەلۇم قىلىڭ",
              "خادىملار ئۆيىڭىزگە كېلىپ تەكشۈرىدۇ",
              "ھېسابلىغۇچ رېمونت قىلىنىدۇ ياكى ئالماشتۇرۇلىدۇ، توك مىقدارى ۋە توك ھەققى تەكشۈرۈلىدۇ"],
             ["ཚོང་ལས་ཁང་དུ་ཕེབས་པའམ་ 95598 ལ་ཁ་པར་བཏང་ནས་འཇལ་ཆས་ཀྱི་སྐྱོན་སྙན་སྐྱེལ་ཞུ།",
              "ལས་བྱེད་པ་ཁྱིམ་དུ་ཡོང་ནས་ཞིབ་བཤེར་བྱེད།",
              "འཇལ་ཆས་བཟོ་བཅོས་སམ་བརྗེ་པོ་བྱས་ནས་གློག་ཚད་དང་གློག་གླ་ཞིབ་བཤེར་བྱེད།"]),
    },
    {
        "code": "bill_query", "position": 4, "commitment": "bill_query_reply",
        **_t("name", "电费书面查询", "Written bill query", "توك ھەققى ھەققىدە يازما سوئال",
             "གློག་གླའི་སྐོར་ཡི་གེའི་ཐོག་ནས་འདྲི་རྩད།"),
        **_t("documents",
             ["户号",
              "有疑问的电费账单",
              "书面查询（写明问题和联系方式）"],
             ["Your account number",
              "The bill you question",
              "Your written query (the question and how to reach you)"],
             ["ئابونت نومۇرى",
              "گۇمانلىق توك ھەققى ھۆججىتى",
              "يازما سوئال (سوئال ۋە ئالاقە ئۇسۇلىنى يېزىڭ)"],
             ["རྩིས་ཁྲའི་ཨང་གྲངས།",
              "དོགས་པ་ཡོད་པའི་གློག་གླའི་འཛིན་ཤོག",
              "ཡི་གེའི་ཐོག་གི་འདྲི་རྩད།（གནད་དོན་དང་འབྲེལ་གཏུག་ཐབས་འབྲི་དགོས།）"]),
        **_t("steps",
             ["在柜台递交，或邮寄、传真书面查询",
              "我们核查抄表和计费记录",
              "书面答复您"],
             ["Hand in the written query at the counter, or send it by mail or fax",
              "We check the meter readings and the billing",
              "We reply to you in writing"],
             ["يازما سوئالنى كۆزنەككە تاپشۇرۇڭ ياكى پوچتا، فاكس ئارقىلىق ئەۋەتىڭ",
              "ھېسابلىغۇچ ئوقۇش ۋە ھەق ھېسابلاش خاتىرىسىنى تەكشۈرىمىز",
              "سىزگە يازما جاۋاب بېرىمىز"],
             ["ཡི་གེའི་འདྲི་རྩད་སྒེའུ་ཁུང་དུ་སྤྲོད་པའམ་སྦྲག་རྫས་དང་པར་འཕྲིན་བརྒྱུད་བསྐུར།",
              "ང་ཚོས་འཇལ་ཆས་ཀློག་ཐོ་དང་གླ་རྩིས་ཟིན་ཐོ་ཞིབ་བཤེར་བྱེད།",
              "ཡི་གེའི་ཐོག་ནས་ཁྱེད་ལ་ལན་འདེབས་བྱེད།"]),
    },
    {
        "code": "name_change", "position": 5, "commitment": "counter_business",
        **_t("name", "更名、过户", "Change of name or transfer of the account", "نامىنى ئۆزگەرتىش ياكى ئابونتنى يۆتكەش",
             "མིང་བསྒྱུར་བ་དང་བདག་དབང་སྤོ་བ།"),
        **_t("documents",
             ["原户主和新户主的身份证件",
              "房屋产权变更证明（不动产权证书或购房合同）",
              "原户名下的电费已全部结清"],
             ["The ID of the old and of the new account holder",
              "Proof of the change of ownership (property certificate or purchase contract)",
              "All bills of the old holder paid"],
             ["ئەسلى ئابونت ئىگىسى ۋە يېڭى ئابونت ئىگىسىنىڭ كىملىكى",
              "ئۆي مۈلۈك ھوقۇقى ئۆزگەرگەنلىك ئىسپاتى (كۆچمەس مۈلۈك گۇۋاھنامىسى ياكى سېتىۋېلىش توختامى)",
              "ئەسلى ئابونت نامىدىكى بارلىق توك ھەققى تاپشۇرۇلغان بولۇشى كېرەك"],
             ["ཁྱིམ་བདག་རྙིང་པ་དང་གསར་པའི་ངོ་སྤྲོད་ལག་ཁྱེར།",
              "ཁང་པའི་བདག་དབང་འགྱུར་བའི་ར་སྤྲོད།（མི་གཡོ་བའི་རྒྱུ་ནོར་ལག་ཁྱེར་རམ་ཉོ་བའི་གན་རྒྱ།）",
              "ཁྱིམ་བདག་རྙིང་པའི་མིང་ཐོག་གི་གློག་གླ་ཚང་མ་སྤྲད་ཟིན་དགོས།"]),
        **_t("steps",
             ["到柜台递交材料",
              "核对材料，结清电费",
              "变更户名，重新签订供用电合同"],
             ["Hand in the documents at the counter",
              "We check them and settle the bills",
              "The account name is changed and a new supply contract signed"],
             ["ماتېرىياللارنى كۆزنەككە تاپشۇرۇڭ",
              "ماتېرىياللار تەكشۈرۈلۈپ توك ھەققى ھېسابلىشىلىدۇ",
              "ئابونت نامى ئۆزگەرتىلىپ، توك تەمىنلەش ۋە ئىشلىتىش توختامى قايتا تۈزۈلىدۇ"],
             ["ཡིག་ཆ་སྒེའུ་ཁུང་དུ་སྤྲོད།",
              "ཡིག་ཆ་ཞིབ་བཤེར་དང་གློག་གླ་གཙང་སྤྲོད།",
              "ཁྱིམ་མིང་བསྒྱུར་ནས་གློག་མཁོ་སྤྲོད་དང་བེད་སྤྱོད་ཀྱི་གན་རྒྱ་བསྐྱར་དུ་འཇོག"]),
    },
    {
        "code": "peak_valley_tariff", "position": 6, "commitment": "counter_business",
        **_t("name", "峰谷分时电价申请", "Apply for the peak and valley (time-of-use) tariff",
             "يۇقىرى ۋە تۆۋەن پەللە ۋاقىتقا بۆلۈنگەن توك باھاسىنى ئىلتىماس قىلىش",
             "མཐོ་དམའི་དུས་ཚོད་ལྟར་གྱི་གློག་གོང་རེ་ཞུ།"),
        **_t("documents",
             ["户主身份证件",
              "户号",
              "已安装智能电能表（没有的可一并申请更换）"],
             ["The account holder's ID",
              "Your account number",
              "A smart meter (if you have none, ask for one at the same time)"],
             ["ئابونت ئىگىسىنىڭ كىملىكى",
              "ئابونت نومۇرى",
              "ئەقلىي ھېسابلىغۇچ ئورنىتىلغان بولۇشى (بولمىسا بىرلىكتە ئالماشتۇرۇشنى ئىلتىماس قىلالايسىز)"],
             ["ཁྱིམ་བདག་གི་ངོ་སྤྲོད་ལག་ཁྱེར།",
              "རྩིས་ཁྲའི་ཨང་གྲངས།",
              "རིག་ནུས་གློག་ཚད་འཇལ་ཆས་སྒྲིག་ཟིན་དགོས།（མེད་ན་མཉམ་དུ་བརྗེ་རྒྱུའི་རེ་ཞུ་འབུལ་ཆོག）"]),
        **_t("steps",
             ["在柜台、95598 或“网上国网”App 申请",
              "确认电能表支持分时计量",
              "从下一个抄表周期起按峰谷电价计费"],
             ["Apply at the counter, on 95598 or in the State Grid app",
              "We confirm that the meter records the time of use",
              "Peak and valley prices apply from the next billing period"],
             ["كۆزنەك، 95598 ياكى دۆلەت توك تورى ئەپى ئارقىلىق ئىلتىماس قىلىڭ",
              "ھېسابلىغۇچنىڭ ۋاقىتقا بۆلۈپ ئۆلچەش ئىقتىدارى بارلىقى جەزملەشتۈرۈلىدۇ",
              "كېيىنكى ھېسابلاش مەزگىلىدىن باشلاپ يۇقىرى ۋە تۆۋەن پەللە باھاسى بويىچە ھەق ئېلىنىدۇ"],
             ["སྒེའུ་ཁུང་དང་ 95598 ཡང་ན་རྒྱལ་ཁབ་གློག་དྲའི་ཉེར་སྤྱོད་བརྒྱུད་རེ་ཞུ་འབུལ།",
              "འཇལ་ཆས་ཀྱིས་དུས་ཚོད་ལྟར་ཚད་འཇལ་ཐུབ་མིན་གཏན་འཁེལ་བྱེད།",
              "རྩིས་ལེན་དུས་ཡུན་རྗེས་མ་ནས་བཟུང་མཐོ་དམའི་གློག་གོང་ལྟར་རྩིས།"]),
    },
]

TIPS = [
    {
        "position": 1,
        **_t("title", "用好峰谷电价", "Use the night-time valley hours", "تۆۋەن پەللە ۋاقتىدىن پايدىلىنىڭ",
             "གློག་སྤྱོད་ཉུང་དུས་ལ་བེད་སྤྱོད་གཏོང་།"),
        **_t("body",
             "办理峰谷分时电价后，把洗衣机、热水器、电动车充电等放到夜间低谷时段，电费更省。",
             "With the peak and valley tariff, run the washing machine, the water heater and e-bike charging in the "
             "night-time valley hours and pay less.",
             "يۇقىرى-تۆۋەن پەللە باھاسىنى بېجىرگەندىن كېيىن، كىر يۇيۇش ماشىنىسى، سۇ ئىسسىتقۇچ ۋە ئېلېكتر "
             "ۋېلىسىپىت توكلاشنى كېچىدىكى تۆۋەن پەللە ۋاقتىدا ئىشلىتىڭ، توك ھەققى تېجىلىدۇ.",
             "མཐོ་དམའི་གློག་གོང་ཞུས་རྗེས། འཁྲུ་འཕྲུལ་དང་ཆུ་ཚ་འཕྲུལ། གློག་རྐང་འཁོར་གློག་སྣོན་སོགས་མཚན་མོའི་གློག་སྤྱོད་"
             "ཉུང་དུས་སུ་སྤྱད་ན་གློག་གླ་ཉུང་།"),
    },
    {
        "position": 2,
        **_t("title", "空调温度设在 26 ℃", "Set the air conditioner to 26 °C",
             "كوندىتسىيونېرنى 26 °C قا تەڭشەڭ", "གྲང་དྲོད་སྙོམ་འཕྲུལ་གྱི་དྲོད་ཚད་ ༢༦ °C ལ་སྒྲིག"),
        **_t("body",
             "夏季空调温度设在 26 ℃ 及以上，每调高 1 ℃ 约省电 7%～10%；定期清洗滤网。",
             "In summer set the air conditioner to 26 °C or higher: each degree higher saves about 7–10 % of its "
             "electricity. Clean the filter regularly.",
             "يازدا كوندىتسىيونېرنى 26 °C ياكى ئۇنىڭدىن يۇقىرى تەڭشەڭ، ھەر 1 گرادۇس ئۆستۈرسىڭىز تەخمىنەن "
             "7–10% توك تېجەيسىز. سۈزگۈچنى دائىم تازىلاڭ.",
             "དབྱར་དུས་གྲང་དྲོད་སྙོམ་འཕྲུལ་གྱི་དྲོད་ཚད་ ༢༦ °C ཡན་ལ་སྒྲིག ཚད་གཅིག་མཐོར་བཏང་རེར་གློག་བརྒྱ་ཆ་ ༧ ནས་ ༡༠ "
             "ཙམ་གྲོན་ཆུང་ཐུབ། ཚགས་མ་རྒྱུན་དུ་གཙང་སེལ་བྱེད།"),
    },
    {
        "position": 3,
        **_t("title", "换用 LED 灯", "Switch to LED lamps", "LED چىراغ ئىشلىتىڭ", "LED གློག་སྒྲོན་སྤྱོད།"),
        **_t("body",
             "LED 灯比白炽灯省电约 80%，寿命更长；人走灯灭。",
             "LED lamps use about 80 % less electricity than filament bulbs and last much longer. Switch off the "
             "lights when you leave a room.",
             "LED چىراغ ئادەتتىكى چىراغقا قارىغاندا تەخمىنەن 80% توك تېجەيدۇ ھەمدە ئۆمرى ئۇزۇن. ئۆيدىن چىققاندا "
             "چىراغنى ئۆچۈرۈڭ.",
             "LED གློག་སྒྲོན་གྱིས་སྔར་སྲོལ་གློག་སྒྲོན་ལས་གློག་བརྒྱ་ཆ་ ༨༠ ཙམ་གྲོན་ཆུང་ཐུབ་ལ་ཚེ་ཚད་ཀྱང་རིང་། ཁང་མིག་ནས་"
             "ཐོན་སྐབས་གློག་སྒྲོན་བསད།"),
    },
    {
        "position": 4,
        **_t("title", "关掉待机电器", "Cut standby power", "كۈتۈش ھالىتىدىكى توك سەرپىياتىنى ئازايتىڭ",
             "སྒུག་སྡོད་གནས་སྟངས་ཀྱི་གློག་གཅོད།"),
        **_t("body",
             "电视、机顶盒、充电器待机也耗电，不用时拔掉插头或使用带开关的插座。",
             "TVs, set-top boxes and chargers use power on standby. Unplug them or use a power strip with a switch.",
             "تېلېۋىزور، سىگنال قۇتىسى ۋە توكلىغۇچلار كۈتۈش ھالىتىدىمۇ توك سەرپ قىلىدۇ. ئىشلەتمىگەندە ۋىلكىسىنى "
             "سۇغۇرۇۋېتىڭ ياكى ئاچقۇچلۇق ئۇلاش تاختىسى ئىشلىتىڭ.",
             "བརྙན་འཕྲིན་དང་བརྙན་འཕྲིན་སྒམ་ཆུང་། གློག་སྣོན་ཆས་སོགས་སྒུག་སྡོད་སྐབས་ཀྱང་གློག་ཟད། མི་སྤྱོད་སྐབས་གློག་ཁ་ཕྱུང་ངམ་"
             "སྒོ་འབྱེད་ཡོད་པའི་གློག་ཁ་སྤྱོད།"),
    },
    {
        "position": 5,
        **_t("title", "选购一级能效电器", "Buy grade-1 energy-efficient appliances",
             "1-دەرىجىلىك ئېنېرگىيە ئۈنۈملۈك ئېلېكتر سايمانلىرىنى تاللاڭ", "ནུས་ཚད་རིམ་པ་དང་པོའི་གློག་ཆས་གདམ།"),
        **_t("body",
             "购买冰箱、空调、洗衣机时看“中国能效标识”，1 级最省电。",
             "When you buy a fridge, an air conditioner or a washing machine, look at the China Energy Label: grade 1 "
             "uses the least electricity.",
             "مۇزلاتقۇ، كوندىتسىيونېر ۋە كىر يۇيۇش ماشىنىسى سېتىۋالغاندا «جۇڭگو ئېنېرگىيە ئۈنۈمى بەلگىسى» گە قاراڭ، "
             "1-دەرىجىلىكى ئەڭ توك تېجەيدۇ.",
             "འཁྱག་སྒམ་དང་གྲང་དྲོད་སྙོམ་འཕྲུལ། འཁྲུ་འཕྲུལ་ཉོ་སྐབས་“ཀྲུང་གོའི་ནུས་ཚད་རྟགས་མ་”ལ་ལྟོས། རིམ་པ་དང་པོ་དེས་"
             "གློག་ཆེས་ཉུང་བ་ཟ།"),
    },
    {
        "position": 6,
        **_t("title", "冰箱节电", "A thriftier fridge", "مۇزلاتقۇنى تېجەشلىك ئىشلىتىڭ", "འཁྱག་སྒམ་གློག་གྲོན་ཆུང་།"),
        **_t("body",
             "冰箱放在通风处，离墙 10 厘米以上；热食放凉后再放入；少开门，门封要严。",
             "Keep the fridge in an airy place at least 10 cm from the wall; let hot food cool before you put it in; "
             "open the door less often and keep its seal tight.",
             "مۇزلاتقۇنى ھاۋا ئۆتۈشۈپ تۇرىدىغان، تامدىن كەم دېگەندە 10 سانتىمېتىر يىراق يەرگە قويۇڭ؛ ئىسسىق "
             "يېمەكلىكنى سوۋۇتۇپ ئاندىن سېلىڭ؛ ئىشىكىنى ئاز ئېچىڭ، ئىشىك يوپۇقى مەھكەم بولسۇن.",
             "འཁྱག་སྒམ་རླུང་འགྲོ་བའི་ས་དང་རྩིག་པ་ནས་ལེ་ཚེ་ ༡༠ ལྷག་ཐག་རིང་བར་བཞག ཟས་ཚ་པོ་གྲང་རྗེས་ནང་དུ་ཆུག སྒོ་ཉུང་ཙམ་"
             "ཕྱེ། སྒོའི་འགག་སྡོམ་དམ་པོ་ཡོད་དགོས།"),
    },
    {
        "position": 7,
        **_t("title", "热水器温度适中", "Keep the water heater moderate",
             "سۇ ئىسسىتقۇچنىڭ تېمپېراتۇرىسىنى مۇۋاپىق تەڭشەڭ", "ཆུ་ཚ་འཕྲུལ་གྱི་དྲོད་ཚད་འཚམ་པོ།"),
        **_t("body",
             "电热水器温度设在 50～60 ℃，家中长时间无人时关闭；在夜间低谷时段加热更省钱。",
             "Set the electric water heater to 50–60 °C and switch it off when nobody is home for long; heating in the "
             "night-time valley hours costs less.",
             "ئېلېكتر سۇ ئىسسىتقۇچنى 50–60 °C قا تەڭشەڭ، ئۆيدە ئۇزۇن ۋاقىت ئادەم بولمىغاندا ئېتىۋېتىڭ؛ كېچىدىكى "
             "تۆۋەن پەللە ۋاقتىدا ئىسسىتسا تېخىمۇ تېجەشلىك.",
             "གློག་ཆུ་ཚ་འཕྲུལ་གྱི་དྲོད་ཚད་ ༥༠–༦༠ °C ལ་སྒྲིག ཁྱིམ་དུ་མི་དུས་ཡུན་རིང་མེད་སྐབས་བསད། མཚན་མོའི་གློག་སྤྱོད་"
             "ཉུང་དུས་སུ་ཚ་བསྐྱེད་ན་གྲོན་ཆུང་།"),
    },
]


def forwards(apps, schema_editor):
    Commitment = apps.get_model("core", "Commitment")
    Procedure = apps.get_model("customers", "Procedure")
    EnergyTip = apps.get_model("customers", "EnergyTip")
    commitments = {c.code: c for c in Commitment.objects.all()}
    for spec in PROCEDURES:
        values = {k: v for k, v in spec.items() if k not in ("code", "commitment")}
        values["commitment"] = commitments.get(spec["commitment"])
        Procedure.objects.get_or_create(code=spec["code"], defaults=values)
    for spec in TIPS:
        values = {k: v for k, v in spec.items() if k != "title_zh_hans"}
        EnergyTip.objects.get_or_create(title_zh_hans=spec["title_zh_hans"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_kiosk_content"), ("core", "0002_reference_data")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
