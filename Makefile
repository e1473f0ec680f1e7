# ccwb: the names a user expects. `make` sets up and runs the main job (synth of every stack
# from the committed example settings, and the client build); `make test` runs every test.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
ROOT := $(CURDIR)
# The workspace's modules, as go.work lists them (cdk client constructs contract lambda).
MODULES := $(shell sed -n 's|^[[:space:]]*\./||p' go.work)

# Node 22 from package.json (jsii needs a supported runtime), the pinned CDK CLI, and every
# cache inside the project: nothing lands in the user's home.
export PATH := $(ROOT)/node_modules/.bin:$(PATH)
export CDK_DISABLE_CLI_TELEMETRY := 1
export CDK_DISABLE_VERSION_CHECK := 1
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1
export JSII_RUNTIME_PACKAGE_CACHE_ROOT := $(ROOT)/.cache/jsii
export npm_config_cache := $(ROOT)/.cache/npm
export npm_config_update_notifier := false
export GOFLAGS := -buildvcs=false
# No AWS call needs credentials here: keep the SDK from probing the instance metadata service.
export AWS_EC2_METADATA_DISABLED := true

CDK := $(ROOT)/node_modules/.bin/cdk --no-notices
BIN := $(ROOT)/bin

.PHONY: all setup synth build package test fuzz lint diff check bench clean
all: setup synth build

setup: node_modules/.installed .cache/go-mod.stamp .cache/bin/versitygw

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.cache/go-mod.stamp: $(wildcard $(foreach m,$(MODULES),$(m)/go.mod $(m)/go.sum))
	for m in $(MODULES); do (cd $$m && go mod download); done
	mkdir -p .cache && touch $@

# The local S3 server of the distribution tests (contract/testenv.S3): versitygw, which checks
# presigned links as S3 does, from the Go module proxy (tools/versitygw, outside go.work).
.cache/bin/versitygw: tools/versitygw/go.mod tools/versitygw/go.sum
	cd tools/versitygw && GOWORK=off go build -trimpath -o $(ROOT)/.cache/bin/versitygw github.com/versity/versitygw/cmd/versitygw

# Every stack of the committed example settings (or SETTINGS=<file>) into cdk.out/.
# cdk-nag AwsSolutions runs as part of synth: an unsuppressed finding fails it.
SETTINGS ?=
synth: setup
	$(CDK) synth --quiet $(if $(SETTINGS),-c ccwb:settings=$(SETTINGS))

# The end-user binaries for this machine into bin/ (`ccwb package` cross-compiles them all).
build: setup
	mkdir -p $(BIN)
	cd client && CGO_ENABLED=0 go build -trimpath -o $(BIN)/ ./cmd/...
	cd cdk && go build -trimpath -o $(BIN)/ ./cmd/...

# The end-user package of a deployment into dist/<profile>/<time>/ (`ccwb package`). With
# SETTINGS=<file> it reads that deployment's outputs file (OUTPUTS=<file> to override); without,
# it packages the committed example with the example outputs: a demo package.
OUTPUTS ?=
package: setup
	cd cdk && go run ./cmd/ccwb package --project $(ROOT) \
	  --settings $(or $(SETTINGS),settings/example.json) \
	  $(if $(OUTPUTS),--outputs-file $(OUTPUTS),$(if $(SETTINGS),,--outputs-file cdk/internal/stackoutputs/testdata/example-outputs.json))

# Every test of every module; ends with the skipped tests and their reasons and the counts.
test: setup
	scripts/test.sh

# Every fuzz target of every module for FUZZTIME each (default 10s): make fuzz FUZZTIME=1m.
fuzz: setup
	scripts/fuzz.sh

# go vet, and cfn-lint on every synthesized template (errors and warnings fail).
lint: synth
	for m in $(MODULES); do (cd $$m && go vet ./...); done
	cfn-lint -- cdk.out/*.template.json

# Each synthesized stack against its last deployed template, DEPLOYED/<stack>.template.json
# (in CI: `aws cloudformation get-template --stack-name <stack> --query TemplateBody`).
# Reads cdk.out; no AWS call. A stack with no deployed template is reported as new.
DEPLOYED ?= deployed
diff: synth
	for t in cdk.out/*.template.json; do \
	  s=$$(basename "$$t" .template.json); \
	  if [[ -f "$(DEPLOYED)/$$s.template.json" ]]; then $(CDK) diff --app cdk.out --template "$(DEPLOYED)/$$s.template.json" "$$s"; \
	  else echo "$$s: new stack (no $(DEPLOYED)/$$s.template.json)"; fi; \
	done

# The CI recipe for a deployment pipeline: synth with cdk-nag, go vet + cfn-lint, diff.
check: lint diff

bench: setup
	scripts/bench.sh

clean:
	rm -rf cdk.out bin dist .cache/jsii
