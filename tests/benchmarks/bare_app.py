"""The baseline for bench_portal: a bare Falcon endpoint, served by gunicorn with the
gateway's own settings (deploy/gunicorn.conf.py), answering a fixed page of about the size
of a portal page, with no middleware, templates or RPC."""
import falcon

PAGE = "<!doctype html><html lang=vi><title>x</title><p>" + "Cổng thông tin điện tử " * 900 + "</p></html>"


class Bare:
    def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_HTML
        resp.text = PAGE


app = falcon.App()
app.add_route("/", Bare())
