# Two commands do all the set-up on a fresh machine:
#   make run    create .venv if missing, install the app into it, start it
#   make test   the same set-up, then the whole test suite, offscreen
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test bench lint dist deb screenshots readers notify-daemon clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ALS Care Companion needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

run: $(STAMP)
	$(PY) main.py $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench $(BENCH_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check caregiver_app tests bench main.py tasks.py packaging
	$(PY) -m mypy

# The self-contained bundle for this system (PyInstaller, one folder, both programs:
# caregiver-app and its console twin caregiver-app-cli): dist/ALS Care Companion/
# (on macOS also dist/ALS Care Companion.app). Takes a few minutes.
dist: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/caregiver-app.spec

# The Debian/Ubuntu package of the bundle `make dist` made: dist/als-care-companion_*.deb
deb: $(STAMP)
	$(PY) packaging/build_deb.py --dist dist

# Optional: readers the tests use when they are there (skipped otherwise, saying so):
# ez-vcard (Java) reads the exported vCard file back; LibreOffice Calc opens the dose
# history CSV as a spreadsheet would. Debian/Ubuntu, as root.
readers:
	apt-get install -y default-jre-headless libez-vcard-java libvinnie-java
	apt-get install -y --no-install-recommends libreoffice-calc-nogui

# Optional: a real notification daemon for the reminder test on a live D-Bus session
# (tests/ui/test_system_notices_dbus.py, skipped otherwise, saying so): dunst, an X
# server to draw on and the D-Bus tools. Debian/Ubuntu, as root; .ci/run calls it.
notify-daemon:
	apt-get update -q
	apt-get install -y -q dunst xvfb dbus-daemon dbus-bin

# Screenshots of every tab (offscreen) into shots/, to look at after UI changes.
screenshots: $(STAMP)
	$(PY) -m bench.screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
