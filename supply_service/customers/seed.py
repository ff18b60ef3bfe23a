"""Reference data of the customers app (payment methods: S10.3.4 needs at least three)."""

PAYMENT_METHODS = [
    {
        "code": "counter", "position": 1,
        "name_zh_hans": "营业厅柜台缴费", "name_en": "At the office counter",
        "name_ug": "سودا زالى كۆزنىكىدە تاپشۇرۇش", "name_bo": "ཚོང་ལས་ཁང་གི་སྒེའུ་ཁུང་དུ་སྤྲོད་པ།",
        "description_zh_hans": "携带户号到任一供电营业厅柜台，现金、银行卡均可。",
        "description_en": "Bring your account number to any office counter; cash or bank card.",
        "description_ug": "ئابونت نومۇرىڭىزنى ئېلىپ خالىغان سودا زالىغا بېرىڭ؛ نەق پۇل ياكى بانكا كارتىسى بولىدۇ.",
        "description_bo": "ཁྱེད་ཀྱི་རྩིས་ཁྲའི་ཨང་གྲངས་ཁྱེར་ནས་ཚོང་ལས་ཁང་གང་རུང་དུ་ཕེབས། དངུལ་དངོས་དང་དངུལ་ཁང་གི་བྱང་བུ་གཉིས་ཀ་ཆོག",
    },
    {
        "code": "bank_withholding", "position": 2,
        "name_zh_hans": "银行代扣", "name_en": "Bank direct debit",
        "name_ug": "بانكا ئارقىلىق ئاپتوماتىك تۇتۇپ قېلىش", "name_bo": "དངུལ་ཁང་གིས་ཚབ་ཏུ་བཅད་པ།",
        "description_zh_hans": "与银行签订代扣协议后，每月自动从账户扣缴电费。",
        "description_en": "Sign a direct-debit agreement with your bank; the bill is paid from your account each month.",
        "description_ug": "بانكا بىلەن كېلىشىم تۈزگەندىن كېيىن، توك ھەققى ھەر ئايدا ھېساباتىڭىزدىن ئاپتوماتىك تۇتۇلىدۇ.",
        "description_bo": "དངུལ་ཁང་དང་མཐུན་གྲོས་བཞག་རྗེས། ཟླ་རེར་གློག་གླ་རང་འགུལ་གྱིས་བཅད་རྒྱུ།",
    },
    {
        "code": "mobile", "position": 3,
        "name_zh_hans": "手机缴费（网上国网、微信、支付宝）", "name_en": "Mobile payment (State Grid app, WeChat, Alipay)",
        "name_ug": "يانفون ئارقىلىق تاپشۇرۇش (دۆلەت توك تورى ئەپى، ئۈندىدار، Alipay)",
        "name_bo": "ཁ་པར་བརྒྱུད་སྤྲོད་པ། (རྒྱལ་ཁབ་གློག་དྲའི་ཉེར་སྤྱོད། WeChat, Alipay)",
        "description_zh_hans": "在“网上国网”App、微信或支付宝中输入户号即可缴费，24小时可用。",
        "description_en": "Enter your account number in the State Grid app, WeChat or Alipay; available 24 hours.",
        "description_ug": "ئەپتە ئابونت نومۇرىڭىزنى كىرگۈزۈپ تاپشۇرۇڭ؛ 24 سائەت ئىشلىتىشكە بولىدۇ.",
        "description_bo": "ཉེར་སྤྱོད་ནང་རྩིས་ཁྲའི་ཨང་གྲངས་བཅུག་ནས་སྤྲོད་ཆོག ཆུ་ཚོད་ ༢༤ བེད་སྤྱོད་ཆོག",
    },
    {
        "code": "kiosk", "position": 4,
        "name_zh_hans": "自助缴费终端", "name_en": "Self-service payment terminal",
        "name_ug": "ئۆزى مۇلازىمەت قىلىش تاپشۇرۇش ئۈسكۈنىسى", "name_bo": "རང་སྤྱོད་སྤྲོད་འཕྲུལ།",
        "description_zh_hans": "营业厅内的自助终端支持银行卡缴费。",
        "description_en": "The self-service terminal in the office takes bank cards.",
        "description_ug": "سودا زالىدىكى ئۆزى مۇلازىمەت ئۈسكۈنىسى بانكا كارتىسىنى قوبۇل قىلىدۇ.",
        "description_bo": "ཚོང་ལས་ཁང་ནང་གི་རང་སྤྱོད་འཕྲུལ་འཁོར་གྱིས་དངུལ་ཁང་གི་བྱང་བུ་དང་ལེན་བྱེད།",
    },
]


def seed_payment_methods(PaymentMethod) -> None:
    for spec in PAYMENT_METHODS:
        PaymentMethod.objects.get_or_create(code=spec["code"], defaults=spec)
