"""Workspace sign-ins for the demo: an editorial board (author, editor, editor-in-chief and unit
admin) in the province, a district and a commune, and a platform admin of the province's IT centre
(every unit, and the operators' pages such as /quan-tri/thu-dien-tu), so that the workspace
(/quan-tri) can be tried as soon as `make run` has finished.

DEMO ONLY: every one of them signs in with DEMO_PASSWORD, which is public (it is written here
and printed by `make run`). A real deployment creates its users through the API or the
workspace's members page, each with a password of its own.
"""
from __future__ import annotations

from services.common.errors import Conflict

DEMO_PASSWORD = "Demo-Hue-2026"  # public, for the demo data only
# Their notices (the monthly standing, reminders) go to username@MAIL_DOMAIN: a domain reserved
# for examples (RFC 2606), so a demo pointed at a real mail relay reaches no one.
MAIL_DOMAIN = "demo.example.com"
# unit → the short name its users are known by (tac-gia-thuy-bieu, bien-tap-thuy-bieu, …)
UNITS = {"thua-thien-hue": "tinh", "huyen-phu-vang": "phu-vang", "phuong-thuy-bieu": "thuy-bieu"}
# the start of the username → (role, how the role is named)
ROLES = {
    "tac-gia": ("author", "Tác giả"),
    "bien-tap": ("editor", "Biên tập viên"),
    "tong-bien-tap": ("editor_in_chief", "Tổng biên tập"),
    "quan-tri": ("unit_admin", "Quản trị đơn vị"),
}
# The IT centre's operator: a platform admin who signs in to the workspace (the bootstrap
# administrator, PLATFORM_ADMIN_USER, has an API token only).
OPERATOR = {"username": "quan-tri-he-thong", "name": "Quản trị hệ thống (Trung tâm CNTT)"}


def accounts(units: list[dict]) -> list[dict]:
    """The demo sign-ins among `units` (those of UNITS that are there), board by board:
    {"username", "role", "role_name", "unit", "unit_name"}."""
    return [{"username": f"{start}-{UNITS[unit['slug']]}", "role": role, "role_name": role_name,
             "unit": unit["slug"], "unit_name": unit["name"]}
            for unit in units if unit["slug"] in UNITS for start, (role, role_name) in ROLES.items()]


def load(content, acting, units: list[dict]) -> int:
    """Create the demo sign-ins among `units`, and the operator, with DEMO_PASSWORD through
    content's create_user; returns how many were new (a user already there is left as it is)."""
    wanted = [{"username": account["username"], "name": f"{account['role_name']} {account['unit_name']}",
               "roles": {account["unit"]: [account["role"]]}} for account in accounts(units)]
    wanted.append({**OPERATOR, "platform_admin": True})
    created = 0
    for user in wanted:
        try:
            content.create_user(acting(), {**user, "email": f"{user['username']}@{MAIL_DOMAIN}",
                                           "password": DEMO_PASSWORD})
            created += 1
        except Conflict:
            pass
    return created


def described(units: list[dict], workspace: str) -> str:
    """What `make run` prints: where the workspace is and who may sign in there."""
    lines = [f"Khu làm việc (Ban biên tập): {workspace}"]
    signed = accounts(units)
    if signed:
        lines.append(f"Đăng nhập thử (chỉ dữ liệu mẫu), mật khẩu chung {DEMO_PASSWORD}:")
        lines += [f"  {account['username']:28} {account['role_name']}, {account['unit_name']}" for account in signed]
        lines.append(f"  {OPERATOR['username']:28} Quản trị hệ thống, mọi đơn vị và trang Thư điện tử gửi đi")
    return "\n".join(lines)
