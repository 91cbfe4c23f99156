# Developer targets; the two newcomer commands are in README.md.
.PHONY: help setup run lab test lint bench soak translations translations-update bundle screenshots

help:
	@echo "make setup                install everything (system packages when root/sudo, .venv, hls.js, translations)"
	@echo "make run                  run the app (the lab demo when nothing is configured)"
	@echo "make lab                  run the loopback lab alone (pupitre lab)"
	@echo "make test                 ruff, mypy and the whole test suite (the CI command)"
	@echo "make lint                 ruff and mypy only"
	@echo "make bench                benchmarks: one table + bench-results/latest.json (about 10 min)"
	@echo "make soak                 20-minute lab live, chat at 20 msg/s, preview playing: memory trend and CPU split (SOAK_MINUTES=N SOAK_PHASE_MINUTES=N)"
	@echo "make translations         compile the GUI's .ts into .qm and the core's .po into .mo"
	@echo "make translations-update  re-scan the GUI for tr() strings and the core for _() sentences"
	@echo "make bundle               Linux one-folder bundle (dist/pupitre, PyInstaller) + its smoke test"
	@echo "make screenshots          PNGs of the app live on the lab (Xvfb + libVLC) into resources/screenshots (light and -dark)"

setup:
	bash packaging/dev.sh setup
run:
	bash packaging/dev.sh run
lab:
	bash packaging/dev.sh run lab
test:
	bash packaging/dev.sh test
lint:
	.venv/bin/ruff check desktop tests && .venv/bin/mypy desktop
# BENCH_ARGS: e.g. --quick, --only chat,parsing, --update-readme (python -m desktop.bench --help)
bench:
	bash packaging/dev.sh setup >/dev/null && .venv/bin/python -m desktop.bench $(BENCH_ARGS)

# not in 'make test': real minutes; writes bench-results/soak.json, exit 1 on a memory growth trend.
# CPU split: a phase of SOAK_PHASE_MINUTES each with the chat window hidden, then shown, before the
# main SOAK_MINUTES (chat shown + preview), then the preview alone (0: no split phases).
SOAK_MINUTES ?= 20
SOAK_PHASE_MINUTES ?= 2
SOAK_ARGS ?=
soak:
	xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m tests.reliability.soak --minutes $(SOAK_MINUTES) \
		--phase-minutes $(SOAK_PHASE_MINUTES) $(SOAK_ARGS)

# GUI translations: .ts sources in resources/translations (in git), compiled .qm (git-ignored)
# into desktop/ui/translations where the app loads them.
# Core translations (the sentences desktop/ builds: failures, hints, health rows...; gettext):
# resources/translations/pupitre_core_<lang>.po (in git), compiled .mo (git-ignored) into
# desktop/locale/<lang>/LC_MESSAGES/pupitre.mo (desktop/i18n.py).  Babel (test extra) compiles.
TS_FILES := $(wildcard resources/translations/pupitre_*.ts)
PO_FILES := $(wildcard resources/translations/pupitre_core_*.po)
translations:
	bash packaging/dev.sh translations
# re-scan the GUI's sources for tr() strings and the core's for _() sentences (keeps existing
# translations; new ones then need translating: the tests refuse untranslated entries)
translations-update:
	.venv/bin/pyside6-lupdate desktop/ui/*.py -no-obsolete -ts $(TS_FILES)
	mkdir -p build
	.venv/bin/pybabel extract -F resources/translations/babel.cfg -c TRANSLATORS: --sort-by-file \
	  --project Pupitre --version 1 --msgid-bugs-address https://github.com/pupitre-app/pupitre/issues \
	  -w 100 -o build/pupitre_core.pot .
	for po in $(PO_FILES); do \
	  lang=$${po##*pupitre_core_}; lang=$${lang%.po}; \
	  .venv/bin/pybabel update -i build/pupitre_core.pot -o "$$po" -l "$$lang" -D pupitre \
	    --no-fuzzy-matching --ignore-obsolete -w 100 || exit 1; \
	done

# Screenshots of the real app on the lab: Xvfb with Qt's xcb platform so libVLC draws the preview
screenshots:
	mkdir -p resources/screenshots
	for scheme in light dark; do \
	  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" \
	    .venv/bin/python packaging/screenshots.py --out resources/screenshots --scheme $$scheme || exit 1; \
	done

# The installable Linux bundle (PyInstaller, build extra) and its smoke test (--version, --help,
# --lab under Xvfb with a screenshot in dist/smoke.png): packaging/build-linux.sh
bundle:
	bash packaging/build-linux.sh
