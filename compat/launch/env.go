package launch

import (
	"encoding/json"
	"net/http"
	"os"
	"testing"
)

// ProxyEnv saves mockpay's CA and sets, in this process, what a shop sets
// for the proxy route: HTTPS_PROXY (and HTTP_PROXY when httpToo) naming
// mockpay, SSL_CERT_FILE naming the CA. Go reads them once, at the first
// request and the first certificate check, so call it before any client
// is built. It returns the CA file.
func (s *Server) ProxyEnv(httpToo bool) (string, error) {
	ca, err := s.SaveCA()
	if err != nil {
		return "", err
	}
	os.Setenv("HTTPS_PROXY", s.URL)
	if httpToo {
		os.Setenv("HTTP_PROXY", s.URL)
	}
	os.Setenv("SSL_CERT_FILE", ca)
	return ca, nil
}

// AppsOf decodes the elements of GET /_mockpay/api/apps whose protocol is
// protocol (an element that does not decode as T is skipped).
func AppsOf[T any](s *Server, protocol string) ([]T, error) {
	var all []json.RawMessage
	if err := s.Apps(&all); err != nil {
		return nil, err
	}
	var out []T
	for _, raw := range all {
		var p struct {
			Protocol string `json:"protocol"`
		}
		var a T
		if json.Unmarshal(raw, &p) == nil && p.Protocol == protocol && json.Unmarshal(raw, &a) == nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// Post calls the control API as CI does instead of a buyer: POST
// /_mockpay/api<path> with body {}, 200 required, the answer decoded into
// out unless out is nil. It fails t otherwise.
func (s *Server) Post(t testing.TB, path string, out any) {
	t.Helper()
	status, b, err := s.Do(http.MethodPost, "/_mockpay/api"+path, json.RawMessage("{}"))
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK {
		t.Fatalf("POST %s: %d %s", path, status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("POST %s: %v: %s", path, err, b)
		}
	}
}
