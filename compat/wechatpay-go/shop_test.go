package wechatpaygo

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/notify"
	"github.com/wechatpay-apiv3/wechatpay-go/utils"
)

// delivery is one notification the shop received, as the SDK read it.
type delivery struct {
	request *notify.Request
	content map[string]any
	err     error
}

// shop is a merchant's notify endpoint: it hands every request to the
// SDK's notify.Handler (signature checked, resource decrypted) and answers
// 204, or 500 when the SDK refused it.
type shop struct {
	t       *testing.T
	url     string
	handler *notify.Handler
	mu      sync.Mutex
	got     map[string][]delivery // by the path's last segment
	arrived chan struct{}
}

func newShop(t *testing.T, apiv3Key string, v auth.Verifier) *shop {
	t.Helper()
	h, err := notify.NewRSANotifyHandler(apiv3Key, v)
	if err != nil {
		t.Fatal(err)
	}
	s := &shop{t: t, handler: h, got: map[string][]delivery{}, arrived: make(chan struct{}, 100)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: s}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	s.url = "http://" + ln.Addr().String()
	return s
}

func (s *shop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	content := map[string]any{}
	req, err := s.handler.ParseNotifyRequest(context.Background(), r, &content)
	key := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	s.mu.Lock()
	s.got[key] = append(s.got[key], delivery{request: req, content: content, err: err})
	s.mu.Unlock()
	s.arrived <- struct{}{}
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"code":"FAIL","message":"` + err.Error() + `"}`))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// wait returns the first notification at key, advancing mockpay's clock
// once if it is slow to come.
func (s *shop) wait(key string) delivery {
	s.t.Helper()
	return s.waitNth(key, 1)
}

// waitNth returns the nth notification at key (1: the first), as wait.
func (s *shop) waitNth(key string, nth int) delivery {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	advanced := false
	for time.Now().Before(deadline) {
		s.mu.Lock()
		ds := s.got[key]
		s.mu.Unlock()
		if len(ds) >= nth {
			return ds[nth-1]
		}
		select {
		case <-s.arrived:
		case <-time.After(2 * time.Second):
			if !advanced {
				control(s.t, "POST", "/clock/advance", map[string]string{"by": "1m"})
				advanced = true
			}
		}
	}
	s.t.Fatalf("no notification %d at %s within 20s", nth, key)
	return delivery{}
}

func merchantKey(t *testing.T, m merchant) *rsa.PrivateKey {
	t.Helper()
	k, err := utils.LoadPrivateKey(m.MerchantPrivateKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func publicKeyVerifier(t *testing.T, m merchant) auth.Verifier {
	t.Helper()
	pub, err := utils.LoadPublicKey(m.PlatformPublicKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return verifiers.NewSHA256WithRSAPubkeyVerifier(m.PlatformPublicKeyID, *pub)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

var _ = core.String

func loadPub(text string) (*rsa.PublicKey, error) { return utils.LoadPublicKey(text) }
