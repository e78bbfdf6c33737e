# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= ./data
PROTOS := $(shell find proto -name '*.proto' | sort)
# protoc include path: our protos, the well-known types (grpc_tools) and google.api/google.rpc
# (googleapis-common-protos ships its .proto files in site-packages).
PROTOC = $(BIN)/python -m grpc_tools.protoc -Iproto \
  -I$$($(BIN)/python -c 'import grpc_tools,os;print(os.path.join(os.path.dirname(grpc_tools.__file__),"_proto"))') \
  -I$$($(BIN)/python -c 'import google.api,os;print(os.path.dirname(os.path.dirname(list(google.api.__path__)[0])))')

.PHONY: run test test-sqlite test-postgres install gen check-gen lint bench clean

$(BIN)/ztn: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	# Generated code is imported from gen/ in place (packages zitadel, validate, ztn.*).
	$(BIN)/python -c 'import site,os;open(os.path.join(site.getsitepackages()[0],"ztn-gen.pth"),"w").write(os.path.abspath("gen")+"\n")'
	touch $@

install: $(BIN)/ztn

run: install
	$(BIN)/ztn serve --data-dir $(DATA_DIR)

CONNECT_ES := .cache/connect-es
export ZTN_CONNECT_ES_DIR := $(abspath $(CONNECT_ES))

# The whole suite, once on SQLite and once on PostgreSQL (ZTN_TEST_BACKEND=postgres).
test: install check-gen $(CONNECT_ES)/node_modules
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q
	ZTN_TEST_BACKEND=postgres $(BIN)/pytest -q

# The official Connect client (connect-es) for the interop test; skipped when npm is missing.
$(CONNECT_ES)/node_modules:
	@if command -v npm >/dev/null; then mkdir -p $(CONNECT_ES) && cd $(CONNECT_ES) && \
	  npm install --silent --no-audit --no-fund @connectrpc/connect@2 @connectrpc/connect-node@2 @bufbuild/protobuf@2 \
	  || echo "npm install failed: the connect-es interop test will be skipped"; \
	else echo "npm not found: the connect-es interop test will be skipped"; fi

gen: install
	rm -rf gen && mkdir -p gen
	$(PROTOC) --python_out=gen --pyi_out=gen --grpc_python_out=gen $(PROTOS)

# CI: generated code must match proto/.
check-gen: install
	@tmp=$$(mktemp -d) && $(PROTOC) --python_out=$$tmp --pyi_out=$$tmp --grpc_python_out=$$tmp $(PROTOS) && \
	  diff -r $$tmp gen >/dev/null || { echo "gen/ is stale: run 'make gen' and commit it"; diff -rq $$tmp gen; exit 1; }

lint: install
	$(BIN)/ruff check src tests bench

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) data
