# The everyday commands. The work is in bin/ (plain bash), so each also runs without make.
.PHONY: demo test lint messages

# The app with its demo school: http://127.0.0.1:8000 (PORT=8001 make demo for another port).
demo:
	bin/demo

# The whole test suite on a throwaway PostgreSQL and Debian's Chromium.
# Extra pytest arguments: bin/test -k access -x
test:
	bin/test

# Lint and format check (ruff, configured in pyproject.toml); changes nothing.
lint:
	bin/venv dev
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

# Extract the interface strings into locale/*/LC_MESSAGES/django.po after changing text.
# Source strings are English; nl must then be translated (a test checks it is complete).
messages:
	bin/venv dev
	DEBUG=1 .venv/bin/python manage.py makemessages -l nl --no-obsolete --ignore=tests --ignore=.venv --ignore=var --ignore=node_modules --ignore=test-results
