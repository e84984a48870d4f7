package wechatpayv2

import (
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// note is one notification as the shop received it.
type note struct {
	Path        string
	ContentType string
	Raw         []byte
	Fields      map[string]string
}

// notifications is the shop's notify_url. Per out_trade_no (or, for a
// refund, per mch_id: its body is encrypted) it answers with the next of a
// list of bodies; the last one repeats. By default the §1.9 XML SUCCESS.
type notifications struct {
	mu      sync.Mutex
	list    []note
	answers map[string][]string
}

const ackXML = `<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>`

func startShop() (func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	shopURL = "http://" + ln.Addr().String()
	shop.answers = map[string][]string{}
	srv := &http.Server{Handler: shop}
	go srv.Serve(ln)
	return func() { srv.Close() }, nil
}

func (s *notifications) answer(key string, bodies ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers[key] = bodies
}

func (s *notifications) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	f, _ := decode(raw)
	s.mu.Lock()
	s.list = append(s.list, note{Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Raw: raw, Fields: f})
	key := f["out_trade_no"]
	if key == "" {
		key = f["mch_id"]
	}
	body := ackXML
	if bodies := s.answers[key]; len(bodies) > 0 {
		body = bodies[0]
		if len(bodies) > 1 {
			s.answers[key] = bodies[1:]
		}
	}
	s.mu.Unlock()
	w.Write([]byte(body))
}

func (s *notifications) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.list)
}

func (s *notifications) await(t *testing.T, from int, match func(note) bool) note {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		for _, n := range s.list[from:] {
			if match(n) {
				s.mu.Unlock()
				return n
			}
		}
		s.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no matching notification within 15s")
	return note{}
}
