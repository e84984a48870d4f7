package notify

import (
	"net/http"
	"testing"
)

func TestClientNeverFollowsRedirectsOrProxies(t *testing.T) {
	c := NewClient(nil)
	if c.CheckRedirect(nil, nil) != http.ErrUseLastResponse {
		t.Error("redirects would be followed")
	}
	if c.Transport.(*http.Transport).Proxy != nil {
		t.Error("deliveries would go through a proxy")
	}
}
