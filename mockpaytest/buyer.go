package mockpaytest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/mockpay/mockpay/cashier"
)

// Return is what the buyer's browser is sent back with after paying.
type Return struct {
	TradeNo string
	URL     string     // the shop's return_url with the signed parameters
	Params  url.Values // those parameters, for the SDK's verifier
}

// GatewayError is the platform's error page for a bad page/wap order.
type GatewayError struct {
	Code   string // e.g. isv.invalid-signature, ACQ.CONTEXT_INCONSISTENT
	Detail string
}

func (e *GatewayError) Error() string { return e.Code + ": " + e.Detail }

var (
	errorCode   = regexp.MustCompile(`data-testid="error-code"><code>([^<]*)</code>`)
	errorDetail = regexp.MustCompile(`data-testid="error-detail">([^<]*)<`)
	tradeNoHTML = regexp.MustCompile(`data-testid="trade-no">(\d+)<`)
)

// noRedirects is a browser that shows each hop.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// Open does what the buyer's browser does with a page/wap pay URL an SDK
// built: submits it to the gateway and enters the cashier, which creates the
// trade. It returns the trade_no, or a *GatewayError when the platform
// refuses the order.
func (s *Sandbox) Open(pageURL string) (string, error) {
	resp, err := noRedirects.Get(pageURL)
	if err != nil {
		return "", err
	}
	body := readBody(resp)
	if resp.StatusCode != http.StatusSeeOther {
		return "", pageError(resp.StatusCode, body)
	}
	loc, err := resp.Location()
	if err != nil {
		return "", err
	}
	resp, err = noRedirects.Get(loc.String())
	if err != nil {
		return "", err
	}
	body = readBody(resp)
	m := tradeNoHTML.FindStringSubmatch(body)
	if m == nil {
		return "", pageError(resp.StatusCode, body)
	}
	return m[1], nil
}

func pageError(status int, body string) error {
	if m := errorCode.FindStringSubmatch(body); m != nil {
		e := &GatewayError{Code: m[1]}
		if d := errorDetail.FindStringSubmatch(body); d != nil {
			e.Detail = htmlUnescape(d[1])
		}
		return e
	}
	return fmt.Errorf("mockpaytest: unexpected answer %d: %.200s", status, body)
}

func readBody(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return string(b)
}

var htmlUnescape = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&amp;", "&").Replace

// Pay is the buyer paying a trade, exactly as the cashier's Pay button does:
// the trade becomes TRADE_SUCCESS and its notification is queued.
func (s *Sandbox) Pay(tradeNo string) (*Return, error) {
	res, err := s.inst.Levers.Act(context.Background(), tradeNo, cashier.Pay)
	return toReturn(res, err)
}

func toReturn(res *cashier.Result, err error) (*Return, error) {
	if err != nil {
		return nil, err
	}
	ret := &Return{TradeNo: res.Trade.TradeNo, URL: res.Redirect}
	if res.Redirect != "" {
		u, err := url.Parse(res.Redirect)
		if err != nil {
			return nil, err
		}
		ret.Params = u.Query()
	}
	return ret, nil
}

// PayOrder pays the default app's order by out_trade_no: the order must
// have reached the gateway (the shop's page.pay was submitted); the buyer
// enters the cashier first if nobody did.
func (s *Sandbox) PayOrder(outTradeNo string) (*Return, error) {
	return toReturn(s.inst.Levers.ActOnOrder(context.Background(), s.App.AppID, outTradeNo, cashier.Pay))
}

// Fail is the buyer's payment failing (insufficient balance); the trade
// stays payable. It returns the reason the cashier shows.
func (s *Sandbox) Fail(tradeNo string) (string, error) {
	res, err := s.inst.Levers.Act(context.Background(), tradeNo, cashier.Fail)
	if err != nil {
		return "", err
	}
	return res.Message, nil
}

// Cancel is the buyer leaving the cashier; it returns where the buyer goes.
func (s *Sandbox) Cancel(tradeNo string) (string, error) {
	res, err := s.inst.Levers.Act(context.Background(), tradeNo, cashier.Cancel)
	if err != nil {
		return "", err
	}
	return res.Redirect, nil
}
