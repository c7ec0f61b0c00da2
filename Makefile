# The two commands: `make run` starts the whole platform with demo data; `make test` runs the suite.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run stop status test rabbitmq browser backup fonts messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip==25.3
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# RabbitMQ runs on this kind of machine; start it if it stopped. The tests make a throwaway
# vhost per test through its management API, which needs the plugin.
rabbitmq:
	@rabbitmq-diagnostics -q ping >/dev/null 2>&1 || rabbitmq-server -detached
	@rabbitmq-plugins -q enable rabbitmq_management >/dev/null
	@for i in $$(seq 1 60); do curl -sf -u guest:guest http://127.0.0.1:15672/api/overview >/dev/null && exit 0; sleep 1; done; \
	  echo "RabbitMQ management API did not come up" >&2; exit 1

# Every process runs under supervisord (deploy/supervisor.py), which starts again whatever stops;
# a second `make run` starts only what is stopped. Secrets are made once in .run/secrets.env.
run: install rabbitmq fonts
	$(PY) -m deploy.launcher start --demo

# The gateway, then the services, then the backing servers `make run` started, then supervisord.
stop: install
	$(PY) -m deploy.launcher stop

# Each process, its state and current PID (`$(PY) -m deploy.launcher pid content`: one PID), and whether
# each service and the gateway says it is ready (their /readyz; deploy/RUNBOOK.md).
status: install
	$(PY) -m deploy.launcher status

# Every database into backups/portal-backup-<time>.tar.gz (deploy/BACKUP.md; restore: python -m deploy.restore).
backup: install
	$(PY) -m deploy.backup --to backups

# The pages' fixed words for translators: every _() and {% trans %} of the templates (babel.cfg)
# into gateway/locale/messages.pot, merged into each language's messages.po, where new phrases
# come untranslated (or marked fuzzy when close to an old one: check, then drop the flag). The
# gateway reads the .po files when it starts (gateway/i18n.py), so there is nothing to compile;
# tests/gateway/test_i18n.py fails while a phrase is untranslated or an entry is stale.
messages: install
	$(VENV)/bin/pybabel extract --mapping-file babel.cfg --output-file gateway/locale/messages.pot \
	  --project portal-platform --version 0.1.0 --copyright-holder "the portal's operators" --no-wrap .
	$(VENV)/bin/pybabel update --input-file gateway/locale/messages.pot --output-dir gateway/locale \
	  --ignore-obsolete --no-wrap

# The accessibility and mobile tests drive Debian's Chromium (Playwright's own download cannot
# reach its host from here).
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# The demo's legal documents are PDFs embedding DejaVu Serif (deploy/demo_pdf.py), Debian's
# fonts-dejavu-core.
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null)

# The suite in two processes that deal its files out between them (tests/shards.py).
test: install rabbitmq browser fonts
	$(PY) -m tests.shards 2
