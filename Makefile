# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: vendor-altcha image image-base sbom image-tools ops-tools ldap-server bench-deps run test test-fast install translations migrate demo lint translations-update chromium system-deps js-deps office-tools bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

translations: install
	$(BIN)/pybabel compile -d protocol_app/translations

migrate: install
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask seed-reference
	$(BIN)/flask seed-demo --if-empty

# WeasyPrint (PDF) needs Pango and a font from Debian.
system-deps:
	@ldconfig -p | grep -q libpangoft2-1.0 && fc-list 2>/dev/null | grep -qi dejavu || { \
	  echo "installing Pango and fonts for PDF output"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig'; }

run: system-deps translations demo
	@echo ""
	@echo "  Protokoll runs on http://127.0.0.1:5000  (web + Celery worker + beat + a mail sink that prints mails)"
	@echo "  Demo logins (demo only), password Protokoll-Demo-2026:"
	@echo "    admin@protokoll.example  referent@protokoll.example  leitung@protokoll.example"
	@echo "    dolmetscher@protokoll.example  emigration@protokoll.example  leser@protokoll.example"
	@echo "  Ctrl-C stops everything."
	@echo ""
	$(BIN)/honcho start -f Procfile.dev

# Debian's chromium for the browser tests; Playwright cannot download browsers here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core'; }

# LibreOffice (headless) opens the exports as the office does; pdftotext reads PDFs back.
office-tools:
	@command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
	  echo "installing LibreOffice Calc and poppler-utils for the document tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui poppler-utils) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui poppler-utils'; }

# OpenLDAP's slapd for the directory-login tests (each run starts its own throwaway tree).
ldap-server:
	@command -v slapd >/dev/null 2>&1 || test -x /usr/sbin/slapd || { \
	  echo "installing OpenLDAP (slapd) for the directory tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd ldap-utils) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd ldap-utils'; }

# Thunderbird's calendar parser (ical.js) for the feed tests, from npm (pinned in package-lock.json).
JS_STAMP := tests/js/node_modules/.installed
$(JS_STAMP): tests/js/package-lock.json
	cd tests/js && npm ci --silent --no-audit --no-fund
	@touch $(JS_STAMP)

js-deps: $(JS_STAMP)

# The ALTCHA widget the public honours page serves itself (static/vendor/altcha, committed):
# fetched again from npm at the pinned version, unchanged, when that version is raised.
ALTCHA_VERSION := 3.2.2
vendor-altcha:
	rm -rf /tmp/altcha-vendor && mkdir -p /tmp/altcha-vendor
	cd /tmp/altcha-vendor && npm pack --silent altcha@$(ALTCHA_VERSION) && tar xzf altcha-$(ALTCHA_VERSION).tgz
	cp /tmp/altcha-vendor/package/dist/external/altcha.min.js /tmp/altcha-vendor/package/dist/external/altcha.css \
	   /tmp/altcha-vendor/package/dist/workers/pbkdf2.js /tmp/altcha-vendor/package/dist/i18n/de.js \
	   protocol_app/static/vendor/altcha/
	cp /tmp/altcha-vendor/package/LICENSE.txt protocol_app/static/vendor/altcha/LICENSE.txt

# Three test workers on the machine's two cores: a third fills the time the drills, workers and
# browsers spend waiting (measured: 909 s with two, 802 s with three, README). Each has its own
# PostgreSQL schemas, Redis databases and servers (tests/services.py); a test file stays on one
# worker, so its module's servers start once.
TEST_WORKERS ?= 3
# The image is built first: the image drill runs it as one of the app hosts (layers are cached,
# so an unchanged image costs seconds).
test: system-deps translations chromium js-deps office-tools ldap-server ops-tools image
	$(BIN)/ruff check protocol_app tests bench config.py wsgi.py celery_worker.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

# The inner loop: everything but the browser journeys, the real workers and the drills, on SQLite.
test-fast: translations
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not browser and not worker" -k "not postgresql" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check protocol_app tests
	$(BIN)/ruff format --check protocol_app tests

translations-update: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output -o protocol_app/translations/messages.pot .
	$(BIN)/pybabel update -i protocol_app/translations/messages.pot -d protocol_app/translations --no-fuzzy-matching

bench: install bench-deps
	$(BIN)/python bench/run_all.py

# wrk: the load generator of bench/daily_bench.py (the pages under load beside the bare route)
bench-deps:
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk'

# --- release: SBOM and image ---------------------------------------------------------------
VERSION = $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' protocol_app/version.py)
IMAGE ?= localhost/protokoll:$(VERSION)
BASE_IMAGE ?= localhost/protokoll-base:bookworm
DEBIAN_MIRROR ?= http://deb.debian.org/debian
# Our podman settings (runc, ulimits these machines grant); the machine's own stay untouched.
export CONTAINERS_CONF := $(CURDIR)/deploy/podman/containers.conf

sbom: install
	$(BIN)/python deploy/make_sbom.py build/sbom.cdx.json

# promtool (Debian's prometheus package, without its recommendations) checks the alert rules.
ops-tools:
	@command -v promtool >/dev/null || { \
	  echo "installing promtool (Debian's prometheus) for the alert rules"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus'; }

# podman, buildah, runc and debootstrap for the image, HAProxy for the multi-host drill, from
# Debian (no Docker daemon, no registry here).
image-tools:
	@command -v podman >/dev/null && command -v runc >/dev/null && command -v debootstrap >/dev/null \
	  && command -v haproxy >/dev/null || { \
	  echo "installing podman, buildah, runc, debootstrap and haproxy for the image and the drills"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc debootstrap uidmap haproxy) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc debootstrap uidmap haproxy'; }

# The base: a Debian bookworm root made by debootstrap from Debian's mirror, imported locally,
# without manuals, documentation and translations (as Debian's slim image).
image-base: image-tools
	@podman image exists $(BASE_IMAGE) || { \
	  set -e; rm -rf build/rootfs; mkdir -p build; \
	  debootstrap --variant=minbase bookworm build/rootfs $(DEBIAN_MIRROR); \
	  rm -rf build/rootfs/var/cache/apt/archives/*.deb build/rootfs/var/lib/apt/lists/*; \
	  cp deploy/podman/dpkg-slim.cfg build/rootfs/etc/dpkg/dpkg.cfg.d/protokoll-slim; \
	  find build/rootfs/usr/share/doc -type f ! -name copyright -delete; \
	  find build/rootfs/usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +; \
	  rm -rf build/rootfs/usr/share/man/* build/rootfs/usr/share/info/*; \
	  tar -C build/rootfs -c . | podman import --change 'CMD ["/bin/bash"]' - $(BASE_IMAGE); \
	  rm -rf build/rootfs; }

# The machine's CA bundle goes in as a build secret (pip inside the build meets the same proxy).
image: image-base sbom
	podman build --format docker --file Containerfile --tag $(IMAGE) --tag localhost/protokoll:latest \
	  --build-arg BASE_IMAGE=$(BASE_IMAGE) --build-arg VERSION=$(VERSION) \
	  --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt .
	@podman image inspect $(IMAGE) --format 'image {{.RepoTags}}: {{.Size}} bytes'

clean:
	rm -rf $(VENV) instance .pytest_cache build
