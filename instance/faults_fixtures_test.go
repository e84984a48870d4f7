package instance_test

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/fixtures"
	"github.com/mockpay/mockpay/instance"
)

// overlayFS is the embedded fixtures with another apps.json.
type overlayFS struct {
	fs.FS
	apps []byte
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if name == "apps.json" {
		return fstest.MapFS{"apps.json": {Data: o.apps}}.Open(name)
	}
	return o.FS.Open(name)
}

func fixturesWithFaults(t *testing.T, faults map[string]string) fs.FS {
	raw, err := fs.ReadFile(fixtures.Embedded(), "apps.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc["faults"] = faults
	b, _ := json.Marshal(doc)
	return overlayFS{FS: fixtures.Embedded(), apps: b}
}

// apps.json's "faults" selects an app's chain from the start.
func TestFaultsFromFixtures(t *testing.T) {
	dir := fixturesWithFaults(t, map[string]string{"2021000122600001": "duplicate"})
	e := newEnvWithConfig(t, clock.NewFake(start), func(c *instance.Config) { c.Fixtures = dir })
	e.payWith("FX-1", "2.00", nil)
	a, b := e.shop.next(t), e.shop.next(t)
	if a.Get("notify_id") != b.Get("notify_id") {
		t.Fatalf("not the same notification twice: %v %v", a, b)
	}
	_, body := e.get(e.app.URL + "/_mockpay/api/faults")
	if !strings.Contains(body, `"apps":[{"app_id":"2021000122600001","plan":"duplicate"`) {
		t.Fatalf("GET /faults: %s", body)
	}
}

// A fixture chain that does not parse, or names no app, stops start-up.
func TestFaultsFromFixturesRefused(t *testing.T) {
	for _, f := range []map[string]string{{"2021000122600001": "explode"}, {"2021000199999999": "duplicate"}} {
		_, err := instance.Start(t.Context(), instance.Config{Addr: "127.0.0.1:0", DBPath: t.TempDir() + "/m.db", Fixtures: fixturesWithFaults(t, f)})
		if err == nil || !strings.Contains(err.Error(), "fixtures: faults") {
			t.Errorf("%v: start answered %v", f, err)
		}
	}
}
