package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestOpenAPIDescribesEveryRoute: every route under /_mockpay/api/ is in
// the openapi.json the API serves, with its method, and the document names
// no route that does not exist.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	e := New(Deps{})
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_mockpay/api/openapi.json", nil))
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); rec.Code != http.StatusOK || err != nil {
		t.Fatalf("GET /_mockpay/api/openapi.json: %d, %v", rec.Code, err)
	}
	param := regexp.MustCompile(`:(\w+)`)
	seen := map[string]bool{}
	for _, r := range e.Routes() {
		if !strings.HasPrefix(r.Path, "/_mockpay/api/") || strings.Contains(r.Method, "_") { // echo's group catch-all
			continue
		}
		path := param.ReplaceAllString(r.Path, "{$1}")
		key := strings.ToLower(r.Method) + " " + path
		seen[key] = true
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is not in openapi.json", r.Method, path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !seen[method+" "+path] {
				t.Errorf("openapi.json names %s %s, which is not a route", method, path)
			}
		}
	}
}
