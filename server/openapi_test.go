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
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
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
	ids := map[string]string{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if !seen[method+" "+path] {
				t.Errorf("openapi.json names %s %s, which is not a route", method, path)
			}
			// Generated clients name their calls by operationId: each one
			// has its own.
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", method, path)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("operationId %s names both %s and %s %s", op.OperationID, prev, method, path)
			}
			ids[op.OperationID] = method + " " + path
		}
	}
}
