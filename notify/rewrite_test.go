package notify

import (
	"strings"
	"testing"
)

func TestHostRewritesAdd(t *testing.T) {
	r := HostRewrites{}
	for _, spec := range []string{"localhost=host.docker.internal", " Shop.Test. = 127.0.0.1 ", "v6.test=[::1]"} {
		if err := r.Add(spec); err != nil {
			t.Fatalf("Add(%q): %v", spec, err)
		}
	}
	want := map[string]string{"localhost": "host.docker.internal", "shop.test": "127.0.0.1", "v6.test": "::1"}
	for from, to := range want {
		if r[from] != to {
			t.Errorf("%s rewritten to %q, want %q", from, r[from], to)
		}
	}
	for spec, why := range map[string]string{
		"localhost":                             "want from=to",
		"=host.docker.internal":                 "empty host",
		"localhost=":                            "empty host",
		"localhost=http://host.docker.internal": "not a host name",
		"localhost=host.docker.internal:8080":   "not a host name",
		"localhost=a/b":                         "not a host name",
		"shop.test=shop.test":                   "to itself",
		"shop.test=other.test":                  "already rewritten to 127.0.0.1",
	} {
		if err := r.Add(spec); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("Add(%q) = %v, want an error saying %q", spec, err, why)
		}
	}
}

func TestHostRewritesApplyToTheURLsHost(t *testing.T) {
	r := HostRewrites{"localhost": "host.docker.internal"}
	for u, want := range map[string]bool{
		"http://localhost:3000/notify": true,
		"http://LOCALHOST./notify":     true,
		"https://localhost/notify":     true,
		"http://127.0.0.1:3000/notify": false,
		"http://localhost.shop/notify": false,
		"http://user@localhost:1/n":    true,
	} {
		if from, to, ok := r.of(u); ok != want || ok && (from != "localhost" || to != "host.docker.internal") {
			t.Errorf("of(%q) = %q %q %v, want rewritten %v", u, from, to, ok, want)
		}
	}
}
