import datetime as dt

import pytest

ID1 = "11010519491231002X"   # valid GB 11643 check digit
ID2 = "440304198001011239"


@pytest.fixture
def register(users):
    from luoshi.petitions.services import do_register_petition

    def _reg(**kw):
        base = dict(channel="visit", name="张三丰", phone="13812341234", id_number=ID1, address="甲区东街道1号",
                    title="小区加装电梯补贴未发放", content="去年申请的加装电梯补贴至今未发放,多次询问无果。",
                    received_on=dt.date(2026, 3, 2))
        base.update(kw)
        return do_register_petition(users["supervisor"], **base)
    return _reg
