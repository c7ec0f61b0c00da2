"""A unit's images and documents through the API: uploaded by its staff as a form with a file
(multipart/form-data), listed and deleted by them; anyone may read a file's description, as
anyone may read the file itself at /tep/{id}."""
from __future__ import annotations

import base64

import falcon

from gateway.api.base import Api
from gateway.api.operations import operation
from gateway.errors import PortalHTTPError
from services.common.errors import InvalidInput
from services.common.limits import MAX_DOCUMENT_BYTES, MAX_IMAGE_BYTES

# The content service refuses a file over its kind's limit (422 naming `file`); the gateway reads
# no upload beyond the largest file and room for the texts beside it (413).
MAX_UPLOAD_BYTES = max(MAX_IMAGE_BYTES, MAX_DOCUMENT_BYTES) + 64 * 1024
TEXT_FIELDS = ("alt", "caption")
# The upload RPC's arguments that come from the form's `file` part: its name, its bytes, its declared type.
FORM_PARTS = {"filename": "file", "data_base64": "file", "declared_type": "file"}

UPLOAD = {
    "type": "object",
    "required": ["file"],
    "additionalProperties": False,
    "properties": {
        "file": {"type": "string", "contentMediaType": "application/octet-stream",
                 "description": f"the image (JPEG, PNG, WebP, GIF; up to {MAX_IMAGE_BYTES // 2 ** 20} MB) or document "
                                f"(PDF, Word, Excel, OpenDocument; up to {MAX_DOCUMENT_BYTES // 2 ** 20} MB); its "
                                "type is read from its bytes, and its file name's extension must agree"},
        "alt": {"type": "string", "maxLength": 300, "description": "an image's text alternative"},
        "caption": {"type": "string", "maxLength": 1000},
    },
}


class UnitMedia(Api):
    @operation("The unit's images and documents, newest first, for its staff", tag="media", lists="Media",
               sorts=("-uploaded_at",))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            media = services.content.list_media(self.actor(req, services), unit, limit=query.fetch, skip=query.skip)
        resp.media = self.list_page(req, query, media)

    @operation("Upload an image or a document", tag="media", upload=UPLOAD, answers={201: "Media"},
               errors=(410, 411),
               description="Images get renditions 320, 640 and 1280 pixels wide. A file over its kind's "
                           "limit is a 422 naming `file`; a body over the largest is a 413; a body "
                           "without a Content-Length (sent in chunks) a 411.")
    def on_post(self, req, resp, unit):
        if not (req.content_type or "").startswith(falcon.MEDIA_MULTIPART):
            raise PortalHTTPError(415, "Body must be a form with a file (Content-Type: multipart/form-data)")
        # The length bounds the read: Falcon reads a form only to its stated end.
        if req.content_length is None:
            raise PortalHTTPError(411, "An upload must state its Content-Length")
        if req.content_length > MAX_UPLOAD_BYTES:
            raise PortalHTTPError(413, f"Body is larger than {MAX_UPLOAD_BYTES} bytes")
        with self.services(req) as services:
            actor = self.actor(req, services)
            form = read_form(req)
            file = form.pop("file")
            try:
                resp.media = services.content.upload_media(
                    actor, unit, file["filename"], base64.b64encode(file["data"]).decode("ascii"),
                    file["content_type"], form.get("alt", ""), form.get("caption", ""))
            except InvalidInput as error:  # the service names its arguments; the form has one part for them
                raise InvalidInput(error.message, {FORM_PARTS.get(name, name): problem
                                                   for name, problem in error.fields.items()}) from None
        resp.status = falcon.HTTP_201


class Media(Api):
    @operation("An image's or a document's description", tag="media", auth=None, answers={200: "Media"})
    def on_get(self, req, resp, media_id):
        with self.services(req) as services:
            resp.media = services.content.get_media(media_id)

    @operation("Delete an image or a document, with its renditions", tag="media", answers={204: None})
    def on_delete(self, req, resp, media_id):
        with self.services(req) as services:
            services.content.delete_media(self.actor(req, services), media_id)
        resp.status = falcon.HTTP_204


def read_form(req) -> dict:
    """The upload's parts: {"file": {"filename", "content_type", "data"}, "alt", "caption"}; a
    422 names each part missing, unknown or given twice."""
    form, problems = {}, {}
    for part in req.get_media():
        data = part.stream.read()
        name = part.name
        if name in form:
            problems[name] = "given twice"
        elif name == "file":
            if part.filename is None:
                problems[name] = "must be a file"
            else:
                form[name] = {"filename": part.filename, "content_type": part.content_type, "data": data}
        elif name in TEXT_FIELDS:
            try:
                form[name] = data.decode("utf-8")
            except UnicodeDecodeError:
                problems[name] = "must be UTF-8 text"
        else:
            problems[name or "body"] = "unknown field"
    if "file" not in form and "file" not in problems:
        problems["file"] = "required"
    if problems:
        raise PortalHTTPError(422, f"Invalid fields: {', '.join(sorted(problems))}", problems)
    return form
