// Package archrules holds the package graph's rules of docs/architecture.md
// as a test, so a change that breaks one fails CI naming the import.
package archrules

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/mockpay/mockpay"

// wiring is what may know the concrete channels and the SQLite store: the
// package that assembles a running mockpay and the command around it, and the
// load harness, which seeds a database of a million trades through the store
// directly (going through the gateway would take hours) before it starts one.
var wiring = []string{module + "/instance", module + "/cmd/mockpay", module + "/bench/load"}

const (
	echo   = "github.com/labstack/echo/v4"
	sqlite = "github.com/mattn/go-sqlite3"
)

type pkg struct {
	ImportPath string
	Imports    []string // direct, non-test
	Deps       []string // transitive, non-test
}

// packages lists the product module's packages (tests excluded: a test may
// wire whatever it exercises).
func packages(t *testing.T) map[string]pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs[p.ImportPath] = p
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages; is the test run inside the module?", len(pkgs))
	}
	return pkgs
}

func under(path, root string) bool { return path == root || strings.HasPrefix(path, root+"/") }

// concreteChannel: a package under channel/ other than the contract itself
// and its contract suite.
func concreteChannel(path string) bool {
	return under(path, module+"/channel") && path != module+"/channel" && path != module+"/channel/channeltest"
}

func isStore(path string) bool { return under(path, module+"/store") }

type rule struct {
	name    string
	applies func(path string) bool
	// forbidden reports whether a dependency breaks the rule.
	forbidden func(dep string) bool
	direct    bool // judge direct imports only
}

var rules = []rule{
	{
		name:    "the domain imports no channel, store, server, cashier, notify, echo, sqlite, SQL or HTTP",
		applies: func(p string) bool { return p == module+"/payment" },
		forbidden: func(d string) bool {
			return under(d, module+"/channel") || isStore(d) || under(d, module+"/server") ||
				d == module+"/cashier" || d == module+"/notify" || d == module+"/instance" ||
				d == echo || d == sqlite || d == "database/sql" || d == "net/http"
		},
	},
	{
		name:    "channels import no store, server, cashier, notify, wiring, echo, sqlite or SQL",
		applies: func(p string) bool { return under(p, module+"/channel") },
		forbidden: func(d string) bool {
			return isStore(d) || under(d, module+"/server") || d == module+"/cashier" || d == module+"/notify" ||
				slices.Contains(wiring, d) || under(d, echo) || d == sqlite || d == "database/sql"
		},
	},
	{
		name:      "server imports no store and no concrete channel",
		applies:   func(p string) bool { return under(p, module+"/server") },
		forbidden: func(d string) bool { return isStore(d) || concreteChannel(d) || d == sqlite },
	},
	{
		// The control API and the dashboard are two surfaces over the same
		// views: each is mounted by server (routes.go), neither knows the
		// other or the server that mounts it.
		name:    "server/api and server/dashboard import neither each other nor server",
		applies: func(p string) bool { return under(p, module+"/server/api") || under(p, module+"/server/dashboard") },
		forbidden: func(d string) bool {
			return d == module+"/server" || under(d, module+"/server/api") || under(d, module+"/server/dashboard")
		},
	},
	{
		name:    "server/views imports no echo, no surface and no server",
		applies: func(p string) bool { return under(p, module+"/server/views") },
		forbidden: func(d string) bool {
			return under(d, echo) || (under(d, module+"/server") && !under(d, module+"/server/views"))
		},
	},
	{
		name:      "cashier and notify import no store and no concrete channel",
		applies:   func(p string) bool { return p == module+"/cashier" || p == module+"/notify" },
		forbidden: func(d string) bool { return isStore(d) || concreteChannel(d) || d == sqlite },
	},
	{
		// Faults live in the channel-blind core: what only a platform can
		// do comes through channel.Faults, never from a concrete channel.
		name:    "faults imports no store, server, cashier, concrete channel, echo or SQL",
		applies: func(p string) bool { return under(p, module+"/faults") },
		forbidden: func(d string) bool {
			return isStore(d) || under(d, module+"/server") || d == module+"/cashier" || concreteChannel(d) ||
				under(d, echo) || d == sqlite || d == "database/sql"
		},
	},
	{
		name:      "only the wiring imports concrete channels and the SQLite store",
		applies:   func(p string) bool { return !slices.Contains(wiring, p) && !concreteChannel(p) && !isStore(p) },
		forbidden: func(d string) bool { return concreteChannel(d) || isStore(d) },
		direct:    true,
	},
}

func TestDependencyRules(t *testing.T) {
	pkgs := packages(t)
	for _, r := range rules {
		for path, p := range pkgs {
			if !r.applies(path) {
				continue
			}
			deps := p.Deps
			if r.direct {
				deps = p.Imports
			}
			for _, d := range deps {
				if r.forbidden(d) {
					t.Errorf("%s: %s imports %s", r.name, strings.TrimPrefix(path, module+"/"), d)
				}
			}
		}
	}
}

// TestChannelsStayApart: one platform's tree never imports another's, so a
// channel can be read, changed or removed alone.
func TestChannelsStayApart(t *testing.T) {
	pkgs := packages(t)
	root := func(path string) string { // channel/<name>
		rest := strings.TrimPrefix(path, module+"/channel/")
		name, _, _ := strings.Cut(rest, "/")
		return module + "/channel/" + name
	}
	for path, p := range pkgs {
		if !concreteChannel(path) {
			continue
		}
		for _, d := range p.Deps {
			if concreteChannel(d) && root(d) != root(path) {
				t.Errorf("channel %s imports another channel's %s", strings.TrimPrefix(path, module+"/"), d)
			}
		}
	}
}

// TestRulesCanFail: the rules judge real packages (a rule that matched
// nothing would pass for ever).
func TestRulesCanFail(t *testing.T) {
	pkgs := packages(t)
	for _, r := range rules {
		n := 0
		for path := range pkgs {
			if r.applies(path) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("rule %q applies to no package", r.name)
		}
	}
	// The wiring itself breaks the last rule's judgement if it were judged:
	// it imports a concrete channel and the store.
	app, ok := pkgs[wiring[0]]
	if !ok {
		t.Fatalf("no wiring package %s", wiring[0])
	}
	last := rules[len(rules)-1]
	if !slices.ContainsFunc(app.Imports, last.forbidden) {
		t.Errorf("%s imports no concrete channel or store: the rule would judge nothing", wiring[0])
	}
}
