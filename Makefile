# The README's two commands: `make run` (or `go run ./cmd/mockpay serve`) and
# `make test`, which runs everything, including the real-SDK suites in compat/.

GO        ?= go
BIN       := $(CURDIR)/bin/mockpay
COMPAT_GO := compat/smartwalle

.PHONY: run build test test-postgres bench-replicas test-go test-compat-launch test-compat-go test-compat-legacy test-compat-kit test-compat-gopay test-compat-node test-compat-wechatpay-go test-compat-wechatpay-gopay test-compat-wechatpay-node test-compat-wechatpay-v2 test-compat-wechatpay-gopay-v2 test-compat-wechatpay-tenpay-v2 test-compat-unionpay test-dashboard vet bench bench-smoke bench-load

run:
	$(GO) run ./cmd/mockpay serve

build:
	$(GO) build -o $(BIN) ./cmd/mockpay

## test: the product module, then each compat suite and the dashboard's
## browser test against one built binary.
test: vet test-go build test-compat-launch test-compat-go test-compat-legacy test-compat-kit test-compat-gopay test-compat-node test-compat-wechatpay-go test-compat-wechatpay-gopay test-compat-wechatpay-node test-compat-wechatpay-v2 test-compat-wechatpay-gopay-v2 test-compat-wechatpay-tenpay-v2 test-compat-unionpay test-dashboard bench-smoke test-postgres

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './compat/node/*'))" || \
		{ echo "gofmt would change:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

test-go:
	$(GO) test -race ./...

# compat/launch, the launcher every Go compat suite's TestMain starts
# mockpay with (own go.mod, standard library only): it starts and stops the
# built binary.
test-compat-launch: build
	cd compat/launch && $(GO) vet ./... && MOCKPAY_BIN=$(BIN) $(GO) test -count=1 ./...

# smartwalle/alipay v3: v3.2.25 (go.mod) and the newest release the Go
# proxy serves, v3.2.31 (go.v3.2.31.mod; its VerifySign and
# DecodeNotification take a context, hence the build tag), one source.
test-compat-go: build
	cd $(COMPAT_GO) && $(GO) vet ./... && MOCKPAY_BIN=$(BIN) $(GO) test -count=1 ./... && \
		$(GO) vet -modfile=go.v3.2.31.mod -tags smartwalle_ctx ./... && \
		MOCKPAY_BIN=$(BIN) $(GO) test -modfile=go.v3.2.31.mod -tags smartwalle_ctx -count=1 ./...

# The legacy MAPI gateway, driven by a merchant written from the protocol
# description (standard library and golang.org/x/text only).
test-compat-legacy: build
	cd compat/legacy && $(GO) vet ./... && MOCKPAY_BIN=$(BIN) $(GO) test -count=1 ./...

# WeChat Pay APIv3 with the official Go SDK, wechatpay-go v0.2.21: through
# the proxy (HTTPS_PROXY + SSL_CERT_FILE, its certificate downloader too)
# and with option.WithHTTPClient + RegisterDownloaderWithClient.
test-compat-wechatpay-go: build
	cd compat/wechatpay-go && $(GO) vet ./... && MOCKPAY_BIN=$(BIN) $(GO) test -count=1 ./...

# WeChat Pay APIv2 (XML, MD5 and HMAC-SHA256), driven by a merchant written
# from the protocol description (standard library only): both sign types,
# the notifications, the sandbox prefixes and the error cases.
test-compat-wechatpay-v2: build
	cd compat/wechatpay-v2 && $(GO) vet ./... && MOCKPAY_BIN=$(BIN) $(GO) test -count=1 ./...

# WeChat Pay APIv2 with go-pay/gopay v1.5.123's wechat package, pointed at
# mockpay by its BaseURL field.
test-compat-wechatpay-gopay-v2: build
	cd compat/wechatpay-gopay-v2 && $(GO) vet ./... && MOCKPAY_BIN=$(BIN) $(GO) test -count=1 ./...

# WeChat Pay APIv2 with the npm tenpay client 2.1.18, its URL table
# pointed at mockpay (own package.json and lockfile).
test-compat-wechatpay-tenpay-v2: build
	cd compat/wechatpay-tenpay-v2 && npm ci --no-audit --no-fund && MOCKPAY_BIN=$(BIN) npm test

# The UnionPay gateway, driven by a merchant written from the protocol
# description with the official SDK's algorithms (standard library only:
# no UnionPay client can be installed here), first checked against real
# captured messages.
test-compat-unionpay: build
	cd compat/unionpay && $(GO) vet ./... && MOCKPAY_BIN=$(BIN) $(GO) test -count=1 ./...

# mockpaytest driven by a shop's real SDK, in-process (no binary needed).
test-compat-kit:
	cd compat/kit && $(GO) vet ./... && $(GO) test -count=1 ./...

# go-pay/gopay, which compiles in the real Alipay hosts, through mockpay's
# proxy (HTTPS_PROXY + SSL_CERT_FILE): a current version (go.mod, verifies
# TLS) and v1.5.100 (go.v1.5.100.mod, does not), one source. The current
# version also reaches mockpay's HTTPS port through its own SetHttpClient
# option, no proxy (tag gopay_sethttpclient: v1.5.100 has no such option).
test-compat-gopay: build
	cd compat/gopay && for mod in go.mod:gopay_sethttpclient go.v1.5.100.mod:; do \
		tags=$${mod#*:}; mod=$${mod%%:*}; \
		$(GO) vet -modfile=$$mod -tags "$$tags" ./... && \
		MOCKPAY_BIN=$(BIN) $(GO) test -modfile=$$mod -tags "$$tags" -count=1 ./... || exit 1; done

# alipay-sdk 4.14.0 (compat/node), and the older majors shops still run,
# 3.6.2 and 2.0.2 (compat/node/sdk-v3, sdk-v2: own package.json and lockfile,
# sharing compat/node/lib).
test-compat-node: build
	cd compat/node && npm ci --no-audit --no-fund && MOCKPAY_BIN=$(BIN) npm test
	for d in sdk-v3 sdk-v2; do \
		(cd compat/node/$$d && npm ci --no-audit --no-fund && MOCKPAY_BIN=$(BIN) npm test) || exit 1; done

# WeChat Pay APIv3 through go-pay/gopay wechat/v3 v1.5.123, two ways: its
# SetProxyHost option (api_base_url) and, with no option, HTTPS_PROXY +
# SSL_CERT_FILE (gopay verifies TLS).
test-compat-wechatpay-gopay: build
	cd compat/wechatpay-gopay && $(GO) vet ./... && MOCKPAY_BIN=$(BIN) $(GO) test -count=1 ./...

# WeChat Pay APIv3 through wechatpay-axios-plugin 0.9.6 (baseURL) and
# wechatpay-node-v3 2.2.1 (its createHttp hook), one package.json and lockfile.
test-compat-wechatpay-node: build
	cd compat/wechatpay-node && npm ci --no-audit --no-fund && MOCKPAY_BIN=$(BIN) npm test

# The dashboard, the cashier and hostile URLs (reflected XSS) in a real
# headless Chromium (Debian's chromium package at /usr/bin/chromium;
# playwright-core drives it and downloads no browser).
test-dashboard: build
	cd e2e/dashboard && npm ci --no-audit --no-fund && MOCKPAY_BIN=$(BIN) npm test

# PostgreSQL (issue 17), on a throw-away cluster store/postgres/with-postgres.sh
# starts (Debian's postgresql package; no Docker): the store contract suite,
# the instance's end-to-end tests on a PostgreSQL database each, then three
# replicas on one database with one killed by SIGKILL mid-delivery
# (bench/load -replicas-check).
test-postgres: build
	$(GO) build -o $(LOAD) ./bench/load
	store/postgres/with-postgres.sh sh -c '$(GO) test -race -count=1 ./store/postgres/... && \
		$(GO) test -count=1 ./instance/ && \
		$(LOAD) -replicas-check -bin $(BIN)'

# The flash sale on SQLite and on PostgreSQL with 1, 2 and 3 replicas on
# this machine (docs/performance.md, "Replicas"). Not part of make test.
bench-replicas: build
	$(GO) build -o $(LOAD) ./bench/load
	store/postgres/with-postgres.sh $(LOAD) -replicas -bin $(BIN) -rounds 3

# The micro-benchmarks (canonical strings, envelopes, signing, verifying,
# an in-process query and purchase). bench/compare.sh compares two
# revisions with benchstat.
bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

LOAD := $(CURDIR)/bin/load

# The load harness's correctness check (bench/load, -smoke): a few hundred
# requests through its own request builders against the built binary,
# asserting every order accepted and every notification acknowledged
# exactly once. Times nothing, needs no wrk; make test runs it.
bench-smoke: build
	$(GO) build -o $(LOAD) ./bench/load
	$(LOAD) -smoke -bin $(BIN)

# The load run behind docs/performance.md: ceilings and paths interleaved,
# medians of 3, CPU profiles with perf; about 4 minutes on 2 cores,
# loopback only. Needs wrk (apt-get install -y wrk); openssl and perf are
# used when present. Not part of make test: figures need a quiet machine.
bench-load: build
	@command -v wrk >/dev/null 2>&1 || { echo "bench-load needs wrk: apt-get install -y wrk" >&2; exit 2; }
	$(GO) build -o $(LOAD) ./bench/load
	$(LOAD) -bin $(BIN) -lua bench/wrk -profiles bench/profiles -out bench/results.md
