package instance_test

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/mockpay/mockpay/channel/channeltest"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	v3 "github.com/mockpay/mockpay/channel/wechatpay/v3"
	"github.com/mockpay/mockpay/payment"
)

// TestChannelContractWechatpay runs the channel contract suite for WeChat
// Pay APIv3, as an H5 shop: it orders server-to-server and sends the
// buyer to the h5_url with its redirect_url.
func TestChannelContractWechatpay(t *testing.T) {
	e := newEnv(t)
	channeltest.Run(t, channeltest.Config{
		BaseURL: e.app.URL, Statuses: kit.Statuses, Paid: payment.StatusPaid,
		Driver: &wxDriver{e: e, m: e.wxMerchant("certificate"), totals: map[string]int64{}, refunded: map[string]int64{}, after: map[string]int64{}},
	})
}

// wxDriver is an APIv3 merchant. WeChat Pay's trade_state says REFUND once
// any of a trade was refunded; the domain's state (paid, or closed when
// refunded in full) is what the suite asks, so the driver keeps what it
// ordered and refunded to tell the two apart.
type wxDriver struct {
	e        *env
	m        wxMerchant
	mu       sync.Mutex
	totals   map[string]int64 // out_trade_no → fen ordered
	refunded map[string]int64 // out_trade_no → fen refunded
	after    map[string]int64 // out_refund_no → fen refunded of its trade once it was made
	seq      int
}

func (d *wxDriver) now() int64 { return d.e.clock.Now().Unix() }

func wxFen(t testing.TB, yuan string) int64 {
	a, err := payment.ParseYuan(yuan)
	if err != nil {
		t.Fatal(err)
	}
	return int64(a)
}

func (d *wxDriver) Order(t testing.TB, o channeltest.Order) *http.Request {
	total := wxFen(t, o.Amount)
	body := fmt.Sprintf(`{"appid":"%s","mchid":"%s","description":"contract %s","out_trade_no":"%s","notify_url":"%s","amount":{"total":%d},"scene_info":{"payer_client_ip":"127.0.0.1","h5_info":{"type":"Wap"}}}`,
		d.m.AppID, d.m.MchID, o.OutTradeNo, o.OutTradeNo, o.NotifyURL, total)
	if o.BreakSignature {
		bad := d.m
		bad.PrivateKey = d.e.wxMerchant("public_key").PrivateKey
		return d.e.wxRequest(bad, "POST", "/v3/pay/transactions/h5", body, d.now(), nil)
	}
	rsp, answer := d.e.wx(d.m, "POST", "/v3/pay/transactions/h5", body, d.now(), nil)
	var h5 struct {
		H5URL string `json:"h5_url"`
	}
	if json.Unmarshal([]byte(answer), &h5); rsp.StatusCode != 200 || h5.H5URL == "" {
		t.Fatalf("h5 prepay %s: %d %s", o.OutTradeNo, rsp.StatusCode, answer)
	}
	verifyWx(t.(*testing.T), d.m, rsp.Header, answer)
	d.mu.Lock()
	d.totals[o.OutTradeNo] = total
	d.mu.Unlock()
	req, _ := http.NewRequest(http.MethodGet, h5.H5URL+"&redirect_url="+url.QueryEscape(o.ReturnURL+"?out_trade_no="+o.OutTradeNo), nil)
	return req
}

func (d *wxDriver) OrderError(t testing.TB, _ *http.Response, body string) string {
	var e struct{ Code string }
	json.Unmarshal([]byte(body), &e)
	return e.Code
}

// Return: WeChat Pay signs no return; the shop queries the order named in
// its redirect_url.
func (d *wxDriver) Return(t testing.TB, location string) channeltest.Note {
	u, err := url.Parse(location)
	if err != nil {
		t.Fatal(err)
	}
	no := u.Query().Get("out_trade_no")
	tx, code := d.query(t, no)
	if code != "" {
		t.Errorf("query after the return: %s", code)
	}
	return channeltest.Note{OutTradeNo: no, TradeNo: tx.TransactionID, Status: d.state(no, tx.TradeState)}
}

// state is a trade_state in the suite's words.
func (d *wxDriver) state(no, tradeState string) string {
	if tradeState != kit.StateRefund {
		return tradeState
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.refunded[no] == d.totals[no] {
		return kit.Statuses.Name(payment.StatusClosed)
	}
	return kit.Statuses.Name(payment.StatusPaid)
}

func (d *wxDriver) Notification(t testing.TB, r channeltest.Received) channeltest.Note {
	verifyWx(t.(*testing.T), d.m, r.Header, r.Body)
	var env struct {
		EventType string       `json:"event_type"`
		Resource  kit.Resource `json:"resource"`
	}
	if err := json.Unmarshal([]byte(r.Body), &env); err != nil {
		t.Errorf("notification: %v %s", err, r.Body)
		return channeltest.Note{}
	}
	block, _ := aes.NewCipher([]byte(d.m.APIv3Key))
	gcm, _ := cipher.NewGCM(block)
	ct, _ := base64.StdEncoding.DecodeString(env.Resource.Ciphertext)
	plain, err := gcm.Open(nil, []byte(env.Resource.Nonce), ct, []byte(env.Resource.AssociatedData))
	if err != nil {
		t.Errorf("resource does not decrypt: %v", err)
		return channeltest.Note{}
	}
	var res struct {
		OutTradeNo    string `json:"out_trade_no"`
		TransactionID string `json:"transaction_id"`
		TradeState    string `json:"trade_state"`
		OutRefundNo   string `json:"out_refund_no"`
	}
	json.Unmarshal(plain, &res)
	note := channeltest.Note{OutTradeNo: res.OutTradeNo, TradeNo: res.TransactionID, Status: res.TradeState}
	if strings.HasPrefix(env.EventType, "REFUND.") {
		d.mu.Lock()
		after, total := d.after[res.OutRefundNo], d.totals[res.OutTradeNo]
		d.mu.Unlock()
		note.Status = kit.Statuses.Name(payment.StatusPaid)
		if after == total {
			note.Status = kit.Statuses.Name(payment.StatusClosed)
		}
	}
	return note
}

func (d *wxDriver) Ack() (int, string) { return http.StatusNoContent, "" }

func (d *wxDriver) query(t testing.TB, no string) (v3.Transaction, string) {
	rsp, body := d.e.wx(d.m, "GET", "/v3/pay/transactions/out-trade-no/"+no+"?mchid="+d.m.MchID, "", d.now(), nil)
	var tx v3.Transaction
	if rsp.StatusCode != 200 {
		return tx, d.OrderError(t, rsp, body)
	}
	verifyWx(t.(*testing.T), d.m, rsp.Header, body)
	json.Unmarshal([]byte(body), &tx)
	return tx, ""
}

func (d *wxDriver) Query(t testing.TB, no string) (string, string) {
	tx, code := d.query(t, no)
	if code != "" {
		return "", code
	}
	return d.state(no, tx.TradeState), ""
}

func (d *wxDriver) Close(t testing.TB, no string) string {
	rsp, body := d.e.wx(d.m, "POST", "/v3/pay/transactions/out-trade-no/"+no+"/close", `{"mchid":"`+d.m.MchID+`"}`, d.now(), nil)
	if rsp.StatusCode != http.StatusNoContent {
		return d.OrderError(t, rsp, body)
	}
	verifyWx(t.(*testing.T), d.m, rsp.Header, "")
	return ""
}

func (d *wxDriver) Refund(t testing.TB, no, tradeNo, amount string) string {
	d.mu.Lock()
	d.seq++
	outRefundNo := fmt.Sprintf("RF-%s-%d", no, d.seq)
	total := d.totals[no]
	d.mu.Unlock()
	refund := wxFen(t, amount)
	body := fmt.Sprintf(`{"transaction_id":"%s","out_refund_no":"%s","amount":{"refund":%d,"total":%d,"currency":"CNY"}}`, tradeNo, outRefundNo, refund, total)
	d.mu.Lock() // the notification may come before the answer
	d.after[outRefundNo] = d.refunded[no] + refund
	d.mu.Unlock()
	rsp, answer := d.e.wx(d.m, "POST", "/v3/refund/domestic/refunds", body, d.now(), nil)
	if rsp.StatusCode != 200 {
		return d.OrderError(t, rsp, answer)
	}
	verifyWx(t.(*testing.T), d.m, rsp.Header, answer)
	d.mu.Lock()
	d.refunded[no] += refund
	d.mu.Unlock()
	return ""
}

func (d *wxDriver) ErrorCode(c payment.Code) string { return v3.ErrorCode(c) }
