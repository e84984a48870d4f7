package instance_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mockpay/mockpay/channel/channeltest"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/internal/merchant"
	"github.com/mockpay/mockpay/payment"
)

// wxV2 is the merchant of the given platform key mode as an APIv2 shop
// configures it: its mch_id, appid and apiv2_key, api_base_url.
func (e *env) wxV2(mode string) *merchant.WeChatV2 {
	e.t.Helper()
	var apps []map[string]string
	e.api("GET", "/apps", nil, &apps)
	for _, a := range apps {
		if a["protocol"] == "wechatpay" && a["platform_key_mode"] == mode {
			return &merchant.WeChatV2{BaseURL: a["api_base_url"], AppID: a["appid"], MchID: a["mch_id"], Key: a["apiv2_key"]}
		}
	}
	e.t.Fatalf("no WeChat Pay merchant in %s mode", mode)
	return nil
}

// TestChannelContractWechatpayV2 runs the channel contract suite for
// WeChat Pay APIv2 through the real router on a real port.
func TestChannelContractWechatpayV2(t *testing.T) {
	for _, st := range []string{"MD5", "HMAC-SHA256"} {
		t.Run(st, func(t *testing.T) {
			e := newEnv(t)
			channeltest.Run(t, channeltest.Config{
				BaseURL: e.app.URL, Statuses: kit.Statuses, Paid: payment.StatusPaid,
				Driver: &v2Driver{c: e.wxV2(kit.ModeCertificate), signType: st, refunded: map[string]map[string]int64{}},
			})
		})
	}
}

// v2Driver is an APIv2 shop selling by H5 (MWEB): it orders server to
// server and sends the buyer's browser to mweb_url with its redirect_url,
// which names the order (the platform adds nothing to it). It learns
// states from orderquery and the notifications it verifies.
type v2Driver struct {
	c        *merchant.WeChatV2
	signType string

	mu        sync.Mutex
	notifyURL string
	// refunded is what the shop booked per out_trade_no from verified
	// refund notifications: fen by out_refund_no.
	refunded map[string]map[string]int64
}

// fenOf is an amount in yuan as APIv2's fee fields write it: fen.
func fenOf(t testing.TB, yuan string) string {
	a, err := payment.ParseYuan(yuan)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(int64(a), 10)
}

func (d *v2Driver) call(t testing.TB, path string, f map[string]string) merchant.V2Answer {
	a, err := d.c.Call(path, d.signType, f)
	if err != nil {
		t.Errorf("%s: %v", path, err)
	}
	return a
}

func (d *v2Driver) Order(t testing.TB, o channeltest.Order) *http.Request {
	d.mu.Lock()
	d.notifyURL = o.NotifyURL
	d.mu.Unlock()
	f := map[string]string{"body": "Contract order", "out_trade_no": o.OutTradeNo, "total_fee": fenOf(t, o.Amount),
		"spbill_create_ip": "127.0.0.1", "notify_url": o.NotifyURL, "trade_type": "MWEB",
		"scene_info": `{"h5_info":{"type":"Wap","wap_url":"https://shop.example","wap_name":"shop"}}`}
	if o.BreakSignature {
		// The shop's server posts the order itself: the suite reads the refusal.
		return d.c.Request("/pay/unifiedorder", d.signType, f, true)
	}
	a := d.call(t, "/pay/unifiedorder", f)
	if a.Code() != "" || a.Fields["mweb_url"] == "" {
		t.Fatalf("unifiedorder %s: %s", o.OutTradeNo, a.Raw)
	}
	redirect := o.ReturnURL + "?out_trade_no=" + url.QueryEscape(o.OutTradeNo)
	req, _ := http.NewRequest(http.MethodGet, a.Fields["mweb_url"]+"&redirect_url="+url.QueryEscape(redirect), nil)
	return req
}

func (d *v2Driver) OrderError(t testing.TB, resp *http.Response, body string) string {
	a, err := merchant.CheckV2Answer([]byte(body), resp.StatusCode, d.c.Key, d.signType)
	if err != nil {
		t.Errorf("refused order: %v", err)
	}
	return a.Code()
}

// Return is the H5 redirect: unsigned, so the shop asks orderquery (§1.6).
func (d *v2Driver) Return(t testing.TB, location string) channeltest.Note {
	u, err := url.Parse(location)
	if err != nil {
		t.Fatal(err)
	}
	no := u.Query().Get("out_trade_no")
	a := d.call(t, "/pay/orderquery", map[string]string{"out_trade_no": no})
	return channeltest.Note{OutTradeNo: a.Fields["out_trade_no"], TradeNo: a.Fields["transaction_id"], Status: d.state(t, a)}
}

// state is a trade's state as the suite names it: orderquery's
// trade_state, except that REFUND (anything refunded, §1.6) is still paid
// until the refunds reach the total, which refundquery tells.
func (d *v2Driver) state(t testing.TB, q merchant.V2Answer) string {
	if q.Fields["trade_state"] != kit.StateRefund {
		return q.Fields["trade_state"]
	}
	rq := d.call(t, "/pay/refundquery", map[string]string{"out_trade_no": q.Fields["out_trade_no"]})
	if rq.Fields["refund_fee"] == q.Fields["total_fee"] {
		return kit.Statuses.Name(payment.StatusClosed)
	}
	return kit.Statuses.Name(payment.StatusPaid)
}

func (d *v2Driver) Notification(t testing.TB, r channeltest.Received) channeltest.Note {
	f, err := merchant.V2Decode([]byte(r.Body))
	if err != nil || strings.Contains(strings.ToLower(r.Body), "html") {
		t.Errorf("notification: %v %s", err, r.Body)
		return channeltest.Note{}
	}
	if f["req_info"] == "" {
		// A pay notification: signed with the order's sign type, which it
		// does not name (P-V2-2).
		if _, named := f["sign_type"]; named || merchant.V2Sign(f, d.c.Key, d.signType) != f["sign"] || f["result_code"] != "SUCCESS" {
			t.Errorf("pay notification does not verify with %s: %s", d.signType, r.Body)
		}
		return channeltest.Note{OutTradeNo: f["out_trade_no"], TradeNo: f["transaction_id"], Status: kit.Statuses.Name(payment.StatusPaid)}
	}
	if _, signed := f["sign"]; signed || f["mch_id"] != d.c.MchID {
		t.Errorf("refund notification outer fields (P-V2-5): %s", r.Body)
	}
	plain, err := merchant.V2DecryptReqInfo(f["req_info"], d.c.Key)
	if err != nil {
		t.Errorf("req_info: %v", err)
		return channeltest.Note{}
	}
	info, err := merchant.V2Decode(plain)
	if err != nil || info["refund_status"] != "SUCCESS" || !strings.HasPrefix(string(plain), "<root>") {
		t.Errorf("req_info: %v %s", err, plain)
		return channeltest.Note{}
	}
	fee, _ := strconv.ParseInt(info["refund_fee"], 10, 64)
	total, _ := strconv.ParseInt(info["total_fee"], 10, 64)
	d.mu.Lock()
	book := d.refunded[info["out_trade_no"]]
	if book == nil {
		book = map[string]int64{}
		d.refunded[info["out_trade_no"]] = book
	}
	book[info["out_refund_no"]] = fee
	var sum int64
	for _, v := range book {
		sum += v
	}
	d.mu.Unlock()
	status := kit.Statuses.Name(payment.StatusPaid)
	if sum == total {
		status = kit.Statuses.Name(payment.StatusClosed)
	}
	return channeltest.Note{OutTradeNo: info["out_trade_no"], TradeNo: info["transaction_id"], Status: status}
}

func (*v2Driver) Ack() (int, string) {
	return http.StatusOK, `<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>`
}

func (d *v2Driver) Query(t testing.TB, outTradeNo string) (string, string) {
	a := d.call(t, "/pay/orderquery", map[string]string{"out_trade_no": outTradeNo})
	if code := a.Code(); code != "" {
		return "", code
	}
	return d.state(t, a), ""
}

func (d *v2Driver) Close(t testing.TB, outTradeNo string) string {
	return d.call(t, "/pay/closeorder", map[string]string{"out_trade_no": outTradeNo}).Code()
}

func (d *v2Driver) Refund(t testing.TB, outTradeNo, _, amount string) string {
	q := d.call(t, "/pay/orderquery", map[string]string{"out_trade_no": outTradeNo})
	d.mu.Lock()
	notify := d.notifyURL
	d.mu.Unlock()
	return d.call(t, "/secapi/pay/refund", map[string]string{"out_trade_no": outTradeNo, "out_refund_no": outTradeNo + "-" + fenOf(t, amount),
		"total_fee": q.Fields["total_fee"], "refund_fee": fenOf(t, amount), "notify_url": notify}).Code()
}

// ErrorCode is the wire code of a domain error as the shop reads it:
// return_msg for a communication-layer refusal, else the err_code (§1.10).
func (*v2Driver) ErrorCode(c payment.Code) string {
	switch c {
	case payment.CodeInvalidSignature:
		return "签名错误"
	case payment.CodeTradeNotExist:
		return "ORDERNOTEXIST"
	case payment.CodeRefundAmountExceeded:
		return "ERROR"
	}
	return string(c)
}
