from supply_service.kiosk.forms import VerifyForm


def test_a_short_or_long_account_number_gets_one_message():
    for value in ["12345", "123456789012", "31000abcde"]:
        form = VerifyForm({"account_number": value, "pin": "246810"})
        assert not form.is_valid()
        assert len(form.errors["account_number"]) == 1
