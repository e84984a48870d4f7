package instance_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/server"
)

// probeReq is one request of the reflection sweep.
type probeReq struct {
	method, target, contentType, body string
}

func (p probeReq) String() string {
	s := p.method + " " + p.target
	if p.body != "" {
		s += " body " + p.body
	}
	return fmt.Sprintf("%.400s", s)
}

// positions says where a route reads request values: its path parameters
// (always, from the route), these query parameters, form fields or JSON
// body fields, each tried alone on each base query; extra adds requests of
// the route's own (signed gateway calls, whose values reach the handlers).
type positions struct {
	query, form, json []string
	bases             []url.Values
	extra             func(s *seeds, v string) []probeReq
}

// seeds are the sandbox objects the sweep's benign values name, so that a
// hostile value in one position meets real data in the others.
type seeds struct {
	e          *env
	tradeNo    string
	outTradeNo string
	token      string // the paid trade's cashier
	qr         string // a precreate code not scanned yet
	failures   int
}

var gatewayKeys = []string{"method", "app_id", "charset", "sign_type", "sign", "timestamp", "version", "format",
	"biz_content", "notify_url", "return_url", "service", "partner", "_input_charset", "notify_id", "x"}

// probes lists, for every route the router registers, where hostile values
// go. A route missing here fails the sweep by name.
func probes() map[string]positions {
	openAPI := []url.Values{
		{},
		// Past app_id and charset to the signature check, whose sub_msg
		// quotes every parameter (§2.3), in both charsets.
		{"method": {"alipay.trade.query"}, "app_id": {"2021000122600001"}, "sign_type": {"RSA2"}, "sign": {"AAAA"}, "charset": {"utf-8"}},
		{"method": {"alipay.trade.query"}, "app_id": {"2021000122600001"}, "sign_type": {"RSA2"}, "sign": {"AAAA"}, "charset": {"gbk"}},
		{"method": {"alipay.trade.page.pay"}, "app_id": {"2021000122600001"}, "sign_type": {"RSA2"}, "sign": {"AAAA"}},
		{"service": {"single_trade_query"}, "partner": {md5PID}, "sign_type": {"MD5"}, "sign": {"x"}},
		{"service": {"create_direct_pay_by_user"}, "partner": {md5PID}, "sign_type": {"MD5"}, "sign": {"x"}},
	}
	// A POST route's query positions are its GET twin's, and the signed
	// calls are sent once, on the GET entry.
	gateway := positions{query: gatewayKeys, bases: openAPI, extra: (*seeds).signedGateway}
	gatewayPost := positions{form: gatewayKeys, bases: openAPI}
	legacyOnly := positions{query: gatewayKeys, bases: openAPI[4:], extra: (*seeds).signedLegacy}
	legacyOnlyPost := positions{form: gatewayKeys, bases: openAPI[4:]}
	cashierForm := positions{form: []string{"action"}}
	wait := []url.Values{{"timeout": {"1ms"}}}
	upKeys := []string{"version", "encoding", "signMethod", "certId", "signature", "txnType", "merId", "orderId", "txnTime",
		"txnAmt", "frontUrl", "backUrl", "origQryId", "settleDate", "reqReserved", "x"}
	upBases := []url.Values{{}, {"version": {"5.1.0"}, "encoding": {"UTF-8"}, "signMethod": {"01"}, "certId": {"1"}, "signature": {"x"},
		"txnType": {"01"}, "merId": {"777290058110048"}}}
	unionPay := positions{form: upKeys, bases: upBases}
	m := map[string]positions{
		"GET /gateway/api/frontTransReq.do":  {query: upKeys, bases: upBases},
		"POST /gateway/api/frontTransReq.do": unionPay,
		"POST /gateway/api/backTransReq.do":  unionPay,
		"POST /gateway/api/queryTrans.do":    unionPay,
		"POST /gateway/api/appTransReq.do":   unionPay,
		"POST /":                             unionPay,
		"GET /unionpay/return":               {query: []string{"queryId", "token"}},
		"GET /unionpay/app":                  {query: []string{"tn"}},

		"GET /gateway.do":                gateway,
		"POST /gateway.do":               gatewayPost,
		"GET /cooperate/gateway.do":      legacyOnly,
		"POST /cooperate/gateway.do":     legacyOnlyPost,
		"GET /trade/notify_query.do":     {query: []string{"partner", "notify_id"}},
		"POST /trade/notify_query.do":    {form: []string{"partner", "notify_id"}},
		"GET /downloadBillFile.resource": {query: []string{"bizType", "fileId", "token", "timestamp", "downloadFileName"}},

		// WeChat Pay APIv3 answers JSON, whose encoder escapes <, > and &.
		"GET /v3/*":                           {query: []string{"mchid"}},
		"POST /v3/*":                          {query: []string{"mchid"}},
		"GET /cgi-bin/mmpayweb-bin/checkmweb": {query: []string{"prepay_id", "package"}},
		"GET /wxpay/bizpayurl":                {query: []string{"pr"}},
		"GET /wxpay/jsapi":                    {query: []string{"appId", "timeStamp", "nonceStr", "package", "signType", "paySign"}},

		"GET /cashier/:token":                 {},
		"POST /cashier/:token":                cashierForm,
		"GET /cashier/trade/:trade_no":        {},
		"POST /cashier/trade/:trade_no":       cashierForm,
		"GET /cashier/trade/:trade_no/qr.png": {},
		"GET /cashier/qr/:code":               {},
		"GET /cashier/qr/:code/image.png":     {},
		"GET /cashier/app":                    {query: []string{"order_str"}},
		"POST /cashier/app":                   {form: []string{"order_str", "action"}, bases: []url.Values{{}}},
		"GET /cashier/refund/:token":          {},
		"POST /cashier/refund/:token":         {},

		"GET /_mockpay":                              {query: []string{"done", "back"}},
		"GET /_mockpay/":                             {query: []string{"done", "back"}, extra: journaled("/_mockpay/")},
		"GET /_mockpay/apps":                         {query: []string{"done", "back"}},
		"GET /_mockpay/notifications":                {query: []string{"app_id", "status", "done"}},
		"GET /_mockpay/notifications/:id":            {query: []string{"done"}},
		"GET /_mockpay/requests":                     {query: []string{"app", "verdict", "done"}, extra: journaled("/_mockpay/requests")},
		"GET /_mockpay/requests/:id":                 {query: []string{"done"}, extra: journaled("entry")},
		"GET /_mockpay/live":                         {query: []string{"x"}},
		"GET /_mockpay/trades":                       {query: []string{"app_id", "status", "out_trade_no", "done"}},
		"GET /_mockpay/trades/:trade_no":             {query: []string{"done"}},
		"POST /_mockpay/trades/:trade_no/:action":    {form: []string{"back"}},
		"POST /_mockpay/notifications/:id/redeliver": {form: []string{"back"}},
		"POST /_mockpay/refunds/:id/:outcome":        {},
		"POST /_mockpay/clock/advance":               {form: []string{"by", "back"}},
		"GET /_mockpay/healthz":                      {},
		"GET /_mockpay/readyz":                       {},
		"GET /_mockpay/ca.pem":                       {},
		"GET /_mockpay/faults":                       {query: []string{"done", "back"}},
		"POST /_mockpay/apps/:app_id/faults":         {form: []string{"plan"}},
		"POST /_mockpay/trigger": {form: []string{"app_id", "amount", "subject", "notify_url", "outcome"},
			bases: []url.Values{{}, {"app_id": {"2021000122600001"}, "amount": {"1.00"}, "outcome": {"paid"}}}},
		"POST /_mockpay/notifications/:id/send": {form: []string{"url"}},

		"GET /_mockpay/api/openapi.json":                               {},
		"GET /_mockpay/api/apps":                                       {query: []string{"protocol"}},
		"POST /_mockpay/api/apps":                                      {json: []string{"name", "sign_type", "app_public_key_pem", "aes_key", "key_mode"}},
		"GET /_mockpay/api/apps/:app_id":                               {},
		"GET /_mockpay/api/apps/:app_id/certs":                         {},
		"GET /_mockpay/api/apps/:app_id/certs/:file":                   {},
		"POST /_mockpay/api/apps/:app_id/orders/:out_trade_no/:action": {},
		"GET /_mockpay/api/trades":                                     {query: []string{"app_id", "out_trade_no", "status", "limit"}},
		"POST /_mockpay/api/trades":                                    {json: []string{"app_id", "amount", "subject", "notify_url", "out_trade_no", "outcome", "refund_amount"}, extra: triggers},
		"GET /_mockpay/api/trades/wait":                                {query: []string{"trade_no", "app_id", "out_trade_no", "status", "timeout"}, bases: wait},
		"GET /_mockpay/api/trades/:trade_no":                           {},
		"GET /_mockpay/api/trades/:trade_no/notifications":             {},
		"GET /_mockpay/api/trades/:trade_no/refunds":                   {},
		"POST /_mockpay/api/trades/:trade_no/:action":                  {},
		"GET /_mockpay/api/notifications":                              {query: []string{"app_id", "trade_no", "status"}},
		"GET /_mockpay/api/notifications/wait":                         {query: []string{"trade_no", "status", "after", "attempts", "timeout"}, bases: wait},
		"GET /_mockpay/api/notifications/:id":                          {},
		"POST /_mockpay/api/notifications/:id/redeliver":               {},
		"POST /_mockpay/api/refunds/:id/fail":                          {},
		"POST /_mockpay/api/refunds/:id/close":                         {},
		"POST /_mockpay/api/notifications/:id/send":                    {json: []string{"url"}},
		"GET /_mockpay/api/attempts":                                   {query: []string{"after", "limit"}},
		"GET /_mockpay/api/requests":                                   {query: []string{"app", "verdict", "since"}},
		"GET /_mockpay/api/clock":                                      {},
		"POST /_mockpay/api/clock/advance":                             {json: []string{"by"}},
		"POST /_mockpay/api/app-pay":                                   {json: []string{"order_str", "action"}, form: []string{"order_str", "action"}},
		"POST /_mockpay/api/reset":                                     {json: []string{"x"}},
		"GET /_mockpay/api/faults":                                     {},
		"GET /_mockpay/api/apps/:app_id/faults":                        {},
		"PUT /_mockpay/api/apps/:app_id/faults":                        {json: []string{"plan"}},
		"GET /_mockpay/api/verdicts":                                   {query: []string{"app_id"}},
		"POST /_mockpay/api/check":                                     {json: []string{"notify_url", "app_id", "trade_no", "out_trade_no"}},
	}
	wechatpayV2Probes(m)
	return m
}

// TestNoRequestValueIsReflectedUnescaped puts every hostile value into
// every parameter position of every route the router registers (issue 8,
// item 1), with real trades and stored hostile text in the sandbox, and
// checks every answer on its bytes (checkAnswer): valid JSON and XML, no
// markup or script in pages, the Content-Security-Policy of its kind.
func TestNoRequestValueIsReflectedUnescaped(t *testing.T) {
	e := newEnv(t)
	s := e.seed()
	table := probes()
	routes := slices.Clone(e.app.Routes)
	// Reset last: it deletes the seeds the other routes' probes name.
	slices.SortStableFunc(routes, func(a, b server.Route) int {
		return boolInt(a.Path == "/_mockpay/api/reset") - boolInt(b.Path == "/_mockpay/api/reset")
	})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	sent := 0
	for _, r := range routes {
		key := r.Method + " " + r.Path
		if r.Method == "echo_route_not_found" {
			continue // the 404 answer: probed below through a path nothing matches
		}
		pos, ok := table[key]
		if !ok {
			t.Errorf("route %s has no entry in probes(): say where it reads request values", key)
			continue
		}
		for _, h := range hostiles {
			for _, p := range s.requests(r, pos, h.value) {
				sent++
				s.send(t, client, p, 0)
			}
		}
		delete(table, key)
	}
	for key := range table {
		t.Errorf("probes() names %s, which the router does not register", key)
	}
	for _, h := range hostiles {
		s.send(t, client, probeReq{method: "GET", target: "/" + url.PathEscape(h.value) + "?" + url.QueryEscape(h.value) + "=1"}, 0)
	}
	t.Logf("%d requests", sent)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// send makes one request, checks its answer, and follows a redirect within
// mockpay (a page method's cashier hand-off) to check that page too.
func (s *seeds) send(t *testing.T, client *http.Client, p probeReq, hops int) {
	t.Helper()
	req, err := http.NewRequest(p.method, s.e.app.URL+p.target, strings.NewReader(p.body))
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	if p.contentType != "" {
		req.Header.Set("Content-Type", p.contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	for _, problem := range checkAnswer(resp, body) {
		t.Errorf("%s\n  -> %d %s: %s", p, resp.StatusCode, resp.Header.Get("Content-Type"), problem)
		if s.failures++; s.failures == 100 {
			t.Fatal("100 problems: stopping the sweep")
		}
	}
	if loc := resp.Header.Get("Location"); hops < 2 && strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") {
		s.send(t, client, probeReq{method: "GET", target: loc}, hops+1)
	}
}

var pathParam = regexp.MustCompile(`:[a-z_]+`)

// requests puts v into each position of route r, one at a time; benign
// values name the seeds.
func (s *seeds) requests(r server.Route, pos positions, v string) []probeReq {
	benign := map[string]string{
		":trade_no": s.tradeNo, ":out_trade_no": s.outTradeNo, ":app_id": "2021000122600001",
		":token": s.token, ":code": s.qr, ":id": "1", ":file": "app_cert.pem", ":action": "pay",
	}
	params := pathParam.FindAllString(r.Path, -1)
	path := func(hostile string) string {
		return pathParam.ReplaceAllStringFunc(r.Path, func(p string) string {
			if p == hostile {
				return url.PathEscape(v)
			}
			return url.PathEscape(benign[p])
		})
	}
	var out []probeReq
	add := func(target string, form url.Values, jsonBody map[string]string) {
		p := probeReq{method: r.Method, target: target}
		switch {
		case jsonBody != nil:
			b, _ := json.Marshal(jsonBody)
			p.body, p.contentType = string(b), "application/json"
		case form != nil:
			p.body, p.contentType = form.Encode(), "application/x-www-form-urlencoded"
		}
		out = append(out, p)
	}
	for _, p := range params {
		add(path(p), nil, nil)
	}
	bases := pos.bases
	if len(bases) == 0 {
		bases = []url.Values{{}}
	}
	plain := path("")
	for _, base := range bases {
		for _, k := range pos.query {
			q := cloneValues(base)
			q.Set(k, v)
			add(plain+"?"+q.Encode(), nil, nil)
		}
		q := cloneValues(base)
		q.Set(v, "1") // a hostile parameter name
		add(plain+"?"+q.Encode(), nil, nil)
		if r.Method != http.MethodPost {
			continue
		}
		for _, k := range pos.form {
			f := cloneValues(base)
			f.Set(k, v)
			add(plain, f, nil)
		}
		for _, k := range pos.json {
			add(plain, nil, map[string]string{k: v})
		}
	}
	if pos.extra != nil {
		out = append(out, pos.extra(s, v)...)
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
