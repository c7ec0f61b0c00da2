"""The demo's workspace sign-ins (deploy/demo_users.py): a board in the province, a district and
a commune, and a platform admin, each signing in with the demo password; loading them again adds
nobody."""
from nameko.standalone.rpc import ClusterRpcProxy

from deploy import demo_data, demo_users
from tests.content.conftest import ADMIN
from tests.drive import acting, call

CHAIN = ["thua-thien-hue", "huyen-phu-vang", "thanh-pho-hue", "phuong-thuy-bieu"]  # parents first


def test_each_demo_board_signs_in_with_the_demo_password_and_a_second_load_adds_nobody(content, nameko_config):
    units = {unit["slug"]: unit for unit in demo_data.units()}
    for level in demo_data.levels():
        call(content, "create_level", acting(ADMIN), level)
    for slug in CHAIN:
        call(content, "create_unit", acting(ADMIN), {key: units[slug][key] for key in (
            "slug", "name", "name_en", "level", "parent")})
    chosen = [units[slug] for slug in CHAIN]

    with ClusterRpcProxy(nameko_config) as services:
        assert demo_users.load(services.content, lambda: acting(ADMIN), chosen) == 13
        assert demo_users.load(services.content, lambda: acting(ADMIN), chosen) == 0

    signed_in = call(content, "sign_in", "bien-tap-thuy-bieu", demo_users.DEMO_PASSWORD)
    assert signed_in["user"]["roles"] == {"phuong-thuy-bieu": ["editor"]}
    assert signed_in["user"]["name"] == "Biên tập viên Phường Thủy Biều"
    for account in demo_users.accounts(chosen):
        user = call(content, "sign_in", account["username"], demo_users.DEMO_PASSWORD)["user"]
        assert user["roles"] == {account["unit"]: [account["role"]]} and not user["must_change_password"]
        assert user["email"] == f"{account['username']}@{demo_users.MAIL_DOMAIN}"  # where their notices go
    assert {account["unit"] for account in demo_users.accounts(chosen)} == set(demo_users.UNITS)
    operator = call(content, "sign_in", demo_users.OPERATOR["username"], demo_users.DEMO_PASSWORD)["user"]
    assert operator["platform_admin"] and operator["name"] == demo_users.OPERATOR["name"]

    shown = demo_users.described(chosen, "http://127.0.0.1:8000/quan-tri")
    assert "http://127.0.0.1:8000/quan-tri" in shown and demo_users.DEMO_PASSWORD in shown
    assert "tong-bien-tap-phu-vang" in shown and "Tổng biên tập, Huyện Phú Vang" in shown
    assert demo_users.OPERATOR["username"] in shown
