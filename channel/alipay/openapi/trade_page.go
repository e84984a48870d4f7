package openapi

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// Product codes required by the page and wap products (§2.7).
const (
	ProductCodePage = "FAST_INSTANT_TRADE_PAY"
	ProductCodeWap  = "QUICK_WAP_WAY"
)

func (g *Gateway) pagePay(ctx context.Context, c *Call) (*Object, string, error) {
	return g.checkout(ctx, c, productRule{payment.ProductPagePay, ProductCodePage, true})
}

func (g *Gateway) wapPay(ctx context.Context, c *Call) (*Object, string, error) {
	return g.checkout(ctx, c, productRule{payment.ProductWapPay, ProductCodeWap, true})
}

// productRule says which product an order is for and its product_code:
// required and exactly code, or optional (any value; code when absent).
type productRule struct {
	product  payment.Product
	code     string
	required bool
}

// checkout validates a page/wap order and hands it to the cashier.
func (g *Gateway) checkout(ctx context.Context, c *Call, rule productRule) (*Object, string, error) {
	o, err := c.order(rule, g.Clock.Now())
	if err != nil {
		return nil, "", err
	}
	co, err := g.Service.BeginCheckout(ctx, o)
	if err != nil {
		return nil, "", err
	}
	return nil, co.Token, nil
}

var outTradeNoPattern = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,64}$`)

// order reads and validates the business fields of an order (§2.7, §4.2-4.4).
func (c *Call) order(rule productRule, now time.Time) (payment.Order, error) {
	f := fields{biz: c.Biz}
	o := payment.Order{
		AppID:          c.App.AppID,
		PID:            c.App.PID,
		Product:        rule.product,
		OutTradeNo:     f.required("out_trade_no"),
		Subject:        f.required("subject"),
		Body:           f.optional("body"),
		ProductCode:    f.optional("product_code"),
		PassbackParams: f.optional("passback_params"),
		QuitURL:        f.optional("quit_url"),
		NotifyURL:      c.Params.Value("notify_url"),
		ReturnURL:      c.Params.Value("return_url"),
		Charset:        c.Params.Value("charset"),
		SignType:       string(c.SignType),
	}
	total := f.required("total_amount")
	timeoutExpress := f.optional("timeout_express")
	timeExpire := f.optional("time_expire")
	if f.err != nil {
		return o, f.err
	}
	if o.Charset == "" {
		o.Charset = string(kit.UTF8)
	}
	if !outTradeNoPattern.MatchString(o.OutTradeNo) {
		return o, payment.Errorf(payment.CodeInvalidParameter, "out_trade_no %q: at most 64 letters, digits, _ or -", o.OutTradeNo)
	}
	switch {
	case rule.required && o.ProductCode == "":
		return o, payment.Errorf(payment.CodeMissingParameter, "product_code is required in biz_content")
	case rule.required && o.ProductCode != rule.code:
		return o, payment.Errorf(payment.CodeInvalidParameter, "product_code %q: %s needs %s", o.ProductCode, c.Method, rule.code)
	case o.ProductCode == "":
		o.ProductCode = rule.code
	}
	if strings.ContainsAny(o.Subject, "/=&") {
		return o, payment.Errorf(payment.CodeInvalidParameter, "subject must not contain / = or &")
	}
	if utf8.RuneCountInString(o.Subject) > 256 {
		return o, payment.Errorf(payment.CodeInvalidParameter, "subject is longer than 256 characters")
	}
	if utf8.RuneCountInString(o.Body) > 128 {
		return o, payment.Errorf(payment.CodeInvalidParameter, "body is longer than 128 characters")
	}
	if len(o.PassbackParams) > 512 {
		return o, payment.Errorf(payment.CodeInvalidParameter, "passback_params is longer than 512 characters")
	}
	amount, err := parseTotal(total)
	if err != nil {
		return o, err
	}
	o.Total = amount
	for name, u := range map[string]string{"notify_url": o.NotifyURL, "return_url": o.ReturnURL, "quit_url": o.QuitURL} {
		if err := checkURL(name, u); err != nil {
			return o, err
		}
	}
	if timeoutExpress != "" {
		if o.ExpiresAfter, o.ExpiresAt, err = kit.ParseTimeoutExpress(timeoutExpress, now); err != nil {
			return o, err
		}
	}
	if timeExpire != "" {
		t, err := time.ParseInLocation(kit.TimestampLayout, timeExpire, payment.CST)
		if err != nil {
			return o, payment.Errorf(payment.CodeInvalidParameter, "time_expire %q is not yyyy-MM-dd HH:mm:ss", timeExpire)
		}
		o.ExpiresAt, o.ExpiresAfter = t, 0 // time_expire wins over timeout_express (§4.2)
	}
	return o, nil
}

// parseTotal reads total_amount: yuan with at most two decimals, within
// [0.01, 100000000] (§4.3).
func parseTotal(s string) (payment.Amount, error) {
	a, err := payment.ParseYuan(s)
	if err != nil {
		return 0, payment.Errorf(payment.CodeInvalidParameter, "total_amount: %v", err)
	}
	if a > payment.MaxAmount {
		return 0, payment.Errorf(payment.CodeAmountOutOfRange, "total_amount %s is above 100000000.00", s)
	}
	if a < payment.MinAmount {
		return 0, payment.Errorf(payment.CodeInvalidParameter, "total_amount %s is below 0.01", s)
	}
	return a, nil
}

// checkURL accepts an absolute http(s) URL or nothing.
func checkURL(name, s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return payment.Errorf(payment.CodeInvalidParameter, "%s %q is not an absolute http(s) URL", name, s)
	}
	return nil
}

// fields reads biz_content fields and remembers the first problem.
type fields struct {
	biz Biz
	err error
}

func (f *fields) optional(key string) string {
	v, err := f.biz.Str(key)
	if err != nil && f.err == nil {
		f.err = err
	}
	return v
}

func (f *fields) required(key string) string {
	v := f.optional(key)
	if v == "" && f.err == nil {
		f.err = payment.Errorf(payment.CodeMissingParameter, "%s is required in biz_content", key)
	}
	return v
}
