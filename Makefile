# ACORN for Odoo. Two commands on a fresh machine: `make demo` and `make test` (see README).
SHELL := /bin/bash
export ODOO_PATH ?= /opt/odoo-18.0

.PHONY: demo test test-odoo test-pytest bench forecast-eval sandbox lint lint-optional readme i18n clean

demo:             ## create/update the demo database, run the Amazon cycle, serve Odoo on :8069
	@tools/demo.sh

test: lint test-pytest test-odoo  ## every test of the project, lint first

test-pytest:      ## simulator, transport and system tests (pytest)
	@tools/test_pytest.sh

test-odoo:        ## addon tests through Odoo's runner, tours included, log checked
	@tools/test_odoo.sh

bench:            ## benchmarks: figures printed, never asserted
	@TEST_TAGS=acorn_benchmark tools/test_odoo.sh
	@BENCH_FULL=1 tools/test_pytest.sh tests/benchmarks -s

forecast-eval:    ## forecast engine vs statsforecast, rolling origin: DATA=file.csv H=6 FREQ=M|W [ORIGINS=4] [GAPS=zero]
	@DATA="$(DATA)" H="$(H)" FREQ="$(FREQ)" ORIGINS="$(or $(ORIGINS),4)" tools/forecast_eval.sh

sandbox:          ## the Vendor Central simulator in the foreground on 127.0.0.1:$SANDBOX_PORT
	@tools/sandbox.sh $(ARGS)

i18n:             ## refresh the .pot files, merge them into zh_CN.po, list what is left to translate
	@tools/i18n.sh

lint:             ## OCA's checks (.pre-commit-config.yaml): ruff, pylint-odoo, README.rst, files
	@source tools/env.sh && ensure_venv test && "$$VENV/bin/pre-commit" run --all-files --show-diff-on-failure

lint-optional:    ## pylint-odoo's optional checks too (.pylintrc): printed, never failing
	@source tools/env.sh && ensure_venv test && "$$VENV/bin/pylint" --rcfile=.pylintrc --exit-zero acorn_*/

readme:           ## README.rst of each addon from its readme/*.md and manifest; Apps icons
	@source tools/env.sh && ensure_venv test && "$$PY" tools/gen_addon_readme.py && "$$PY" tools/gen_addon_icons.py

clean:            ## remove the virtualenvs and logs (databases are kept)
	rm -rf .venv .venv-eval var
