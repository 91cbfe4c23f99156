# Developer targets; the two newcomer commands are in README.md.
.PHONY: setup run lab test lint bench

setup:
	bash packaging/dev.sh setup
run:
	bash packaging/dev.sh run
lab:
	bash packaging/dev.sh run lab
test:
	bash packaging/dev.sh test
lint:
	.venv/bin/ruff check desktop tests && .venv/bin/mypy desktop --exclude 'desktop/ui/'
