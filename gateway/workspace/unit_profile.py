"""The unit's profile: its names, the contact its footer shows (address, phone, email, the
official responsible, the managing body, the licence line and the contact point for information
requests), its branding (banner text, accent colour, banner image) and its link to online public
services, changed at the version the form was loaded with.

The content service judges every rule (the accent colour must keep white text readable, a banner
image needs its alternative text); its refusals are named on the form, beside the fields as typed.
"""
from __future__ import annotations

import falcon

from gateway.forms import see_other
from gateway.workspace.base import Workspace
from gateway.workspace.typed import NotANumber, whole_number
from services.common.errors import Conflict, InvalidInput, NotFound

CONTACT = ("address", "phone", "email", "responsible_official", "responsible_title")
BRANDING = ("banner_text", "accent_colour", "banner_image", "banner_alt")
FOOTER = ("managing_body", "licence")  # the profile's own fields, beside contact in the footer
# The contact point for information requests, by the form's field names: its fields are named
# like the contact's, so the form prefixes them.
INFORMATION_CONTACT = {"information_name": "name", "information_title": "title", "information_phone": "phone",
                       "information_email": "email"}
TYPED = ("name", "name_en", *CONTACT, *FOOTER, *INFORMATION_CONTACT, *BRANDING, "public_services_url")
OPTIONAL = ("email", "banner_image", "public_services_url", "information_email")  # absent (None) when left empty
IMAGES_OFFERED = 200  # the unit's newest images a banner may be chosen from


def profile_path(unit: str) -> str:
    return f"/quan-tri/{unit}/don-vi"


def typed_profile(unit: dict) -> dict:
    """The form's fields as the unit's profile has them."""
    point = unit["information_contact"] or {}
    stored = {"name": unit["name"], "name_en": unit["name_en"], **unit["contact"], **unit["branding"],
              "public_services_url": unit["public_services_url"], **{name: unit[name] for name in FOOTER},
              **{name: point.get(field) for name, field in INFORMATION_CONTACT.items()}}
    return {**{name: "" if stored.get(name) is None else str(stored[name]) for name in TYPED},
            "version": str(unit["version"])}


def profile_change(typed: dict) -> dict:
    """The service's profile change made of the form as typed."""
    value = {name: (typed[name].strip() or None) if name in OPTIONAL else typed[name] for name in TYPED}
    return {"name": value["name"], "name_en": value["name_en"],
            "contact": {name: value[name] for name in CONTACT},
            "branding": {name: value[name] for name in BRANDING},
            "public_services_url": value["public_services_url"], **{name: value[name] for name in FOOTER},
            "information_contact": {field: value[name] for name, field in INFORMATION_CONTACT.items()},
            "version": whole_number(typed["version"])}


def form_problems(fields: dict) -> dict:
    """The service's refusals by the form's field names: "contact.phone" is the phone field,
    "information_contact.phone" the contact point's; a refusal of the branding as a whole (an
    image without its text) is the alternative text's, of the contact point as a whole (nobody
    named, or no way to reach them) its name's."""
    problems = {}
    for path, message in fields.items():
        name = path.rsplit(".", 1)[-1]
        if path.startswith("information_contact"):
            name = "information_" + (name if "." in path else "name")
        problems["banner_alt" if name == "branding" else name] = message
    return problems


class UnitProfile(Workspace):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="unit.profile")
            images = self.images(services, staff, unit)
        self.show(req, resp, staff, unit, typed_profile(unit), images, saved=req.get_param("da-luu") is not None)

    def on_post(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="unit.profile")
            form = self.submitted(req)
            typed = {name: form.get(name) for name in (*TYPED, "version")}
            images = self.images(services, staff, unit)
            problems = {} if form.trusted else {"form": "expired"}
            if typed["banner_image"] and typed["banner_image"] not in {image["id"] for image in images}:
                problems = {"banner_image": "not one of the unit's images"}
            if not problems:
                try:
                    services.content.update_unit_profile(staff.actor, unit["slug"], profile_change(typed))
                except InvalidInput as error:
                    problems = form_problems(error.fields) or {"name": error.message}
                except NotANumber:
                    problems = {"version": "not a version"}
                except Conflict:
                    # What was typed stays; saving again is based on the version saved meanwhile.
                    unit = services.content.get_unit(unit["slug"])
                    problems = {"conflict": unit["version"]}
                    typed["version"] = str(unit["version"])
            if problems:
                resp.status = (falcon.HTTP_403 if "form" in problems else
                               falcon.HTTP_409 if "conflict" in problems else falcon.HTTP_422)
                return self.show(req, resp, staff, unit, typed, images, problems)
        see_other(resp, f"{profile_path(unit['slug'])}?da-luu")

    def show(self, req, resp, staff, unit, typed, images, problems=None, saved=False):
        self.render(req, resp, "workspace/unit_profile.html", staff=staff, unit=unit, typed=typed, images=images,
                    problems=problems or {}, saved=saved)

    @staticmethod
    def images(services, staff, unit) -> list[dict]:
        """The images a banner may be chosen from: the unit's own (its current banner among them)."""
        media = services.content.list_media(staff.actor, unit["slug"], limit=IMAGES_OFFERED)
        images = [item for item in media if item["kind"] == "image"]
        current = unit["branding"]["banner_image"]
        if current and current not in {image["id"] for image in images}:
            try:
                images.append(services.content.get_media(current))
            except NotFound:
                pass  # deleted from the library: the form offers to choose another
        return images
