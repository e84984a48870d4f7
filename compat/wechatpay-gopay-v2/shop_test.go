package gopayv2

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-pay/gopay"
	"github.com/go-pay/gopay/wechat"
)

// received is one notification the shop took in, parsed and checked with
// gopay's own functions.
type received struct {
	Refund   bool
	Fields   gopay.BodyMap         // the pay notification (ParseNotifyToBodyMap)
	Struct   *wechat.NotifyRequest // the same, as gopay's struct (ParseNotify)
	Verified bool                  // gopay's VerifySign with the order's sign type
	Info     *wechat.RefundNotify  // the refund notification's req_info, decrypted by gopay
	Err      string
}

// notifications is the shop's notify_url: it answers gopay's own success
// XML unless told to refuse, and keeps what it received.
type notifications struct {
	mu     sync.Mutex
	list   []received
	refuse map[string]bool // out_trade_no → answer FAIL
	// keys is the APIv2 key and the sign type each out_trade_no was
	// ordered with, as the shop's database would know them.
	keys map[string][2]string
}

func startShop() (func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	shopURL = "http://" + ln.Addr().String()
	shop.refuse, shop.keys = map[string]bool{}, map[string][2]string{}
	srv := &http.Server{Handler: shop}
	go srv.Serve(ln)
	return func() { srv.Close() }, nil
}

func (s *notifications) expect(outTradeNo, key, signType string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[outTradeNo] = [2]string{key, signType}
}

func (s *notifications) setRefuse(outTradeNo string, refuse bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[outTradeNo] = refuse
}

func (s *notifications) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body := new(strings.Builder)
	buf := make([]byte, 1<<16)
	n, _ := r.Body.Read(buf)
	for n > 0 {
		body.Write(buf[:n])
		n, _ = r.Body.Read(buf)
	}
	raw := body.String()
	rec := received{}
	outTradeNo := ""
	mkReq := func() *http.Request {
		req, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(raw))
		return req
	}
	bm, err := wechat.ParseNotifyToBodyMap(mkReq())
	switch {
	case err != nil:
		rec.Err = "ParseNotifyToBodyMap: " + err.Error()
	case bm.GetString("req_info") != "":
		rec.Refund = true
		rn, err := wechat.ParseRefundNotify(mkReq())
		if err != nil {
			rec.Err = "ParseRefundNotify: " + err.Error()
			break
		}
		// The shop does not know the order yet: it tries its merchant's key.
		for _, m := range merchants {
			if m.MchID == rn.MchId {
				rec.Info, err = wechat.DecryptRefundNotifyReqInfo(rn.ReqInfo, m.APIv2Key)
				if err != nil {
					rec.Err = "DecryptRefundNotifyReqInfo: " + err.Error()
				}
			}
		}
		if rec.Info != nil {
			outTradeNo = rec.Info.OutTradeNo
		}
	default:
		rec.Fields = bm
		outTradeNo = bm.GetString("out_trade_no")
		s.mu.Lock()
		k := s.keys[outTradeNo]
		s.mu.Unlock()
		rec.Verified, _ = wechat.VerifySign(k[0], k[1], bm)
		if rec.Struct, err = wechat.ParseNotify(mkReq()); err != nil {
			rec.Err = "ParseNotify: " + err.Error()
		} else if ok, _ := wechat.VerifySign(k[0], k[1], rec.Struct); !ok {
			rec.Err = "VerifySign on gopay's NotifyRequest struct failed"
		}
	}
	s.mu.Lock()
	s.list = append(s.list, rec)
	refuse := s.refuse[outTradeNo]
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml")
	if refuse || rec.Err != "" || (!rec.Refund && !rec.Verified) {
		w.Write([]byte((&wechat.NotifyResponse{ReturnCode: gopay.FAIL, ReturnMsg: "refused"}).ToXmlString()))
		return
	}
	w.Write([]byte((&wechat.NotifyResponse{ReturnCode: gopay.SUCCESS, ReturnMsg: gopay.OK}).ToXmlString()))
}

func (s *notifications) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.list)
}

// await waits for a notification after the first from that match says yes.
func (s *notifications) await(t *testing.T, from int, match func(received) bool) received {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		for _, r := range s.list[from:] {
			if match(r) {
				s.mu.Unlock()
				return r
			}
		}
		s.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no matching notification within 15s; got %+v", s.list[from:])
	return received{}
}
