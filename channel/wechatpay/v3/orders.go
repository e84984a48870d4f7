package v3

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
)

// tradeTypes maps the prepay path's last segment to the trade type (§2.5).
var tradeTypes = map[string]string{"jsapi": kit.TradeJSAPI, "app": kit.TradeApp, "h5": kit.TradeH5, "native": kit.TradeNative}

// minExpiry: a time_expire less than a minute ahead is silently raised (§2.5).
const minExpiry = time.Minute

type amountIn struct {
	Total    *int64 `json:"total"`
	Currency string `json:"currency"`
}

type orderIn struct {
	AppID       string    `json:"appid"`
	MchID       string    `json:"mchid"`
	Description string    `json:"description"`
	OutTradeNo  string    `json:"out_trade_no"`
	TimeExpire  string    `json:"time_expire"`
	Attach      string    `json:"attach"`
	NotifyURL   string    `json:"notify_url"`
	GoodsTag    string    `json:"goods_tag"`
	Amount      *amountIn `json:"amount"`
	Payer       *struct {
		OpenID string `json:"openid"`
	} `json:"payer"`
	SceneInfo *struct {
		PayerClientIP string `json:"payer_client_ip"`
		H5Info        *struct {
			Type string `json:"type"`
		} `json:"h5_info"`
	} `json:"scene_info"`
}

var outTradeNoShape = regexp.MustCompile(`^[0-9A-Za-z_\-|*]{6,32}$`)

// prepay is JSAPI, APP, H5 and Native ordering (§2.5): the trade opens at
// once, so the control API can pay it right after.
func (a *API) prepay(c *call) (int, any, error) {
	tradeType := tradeTypes[c.path[2]]
	var in orderIn
	if err := decodeBody(c.body, &in); err != nil {
		return 0, nil, err
	}
	creds := kit.Creds(c.app)
	if err := checkOrder(&in, tradeType, c.app, creds); err != nil {
		return 0, nil, err
	}
	o := payment.Order{
		Protocol: kit.ProtocolV3, AppID: c.app.AppID, PID: c.app.PID, OutTradeNo: in.OutTradeNo,
		Subject: in.Description, Total: payment.Amount(*in.Amount.Total), Product: kit.Products[tradeType],
		NotifyURL: in.NotifyURL, PassbackParams: in.Attach, ExpiresAfter: kit.DefaultUnpaidTimeout,
	}
	now := a.Clock.Now()
	if in.TimeExpire != "" {
		at, _ := time.Parse(time.RFC3339, in.TimeExpire)
		if at.Before(now.Add(minExpiry)) && at.After(now) {
			at = now.Add(minExpiry)
		}
		if at.After(now.Add(kit.MaxTimeExpire)) {
			return 0, nil, errField("/time_expire", "body", "time_expire不能晚于下单后90天", in.TimeExpire)
		}
		o.ExpiresAt = kit.PayableUntil(at, now)
	}
	terms := kit.Terms{TradeType: tradeType, AppID: in.AppID}
	if in.Payer != nil {
		terms.OpenID = in.Payer.OpenID
	}
	if in.SceneInfo != nil {
		terms.PayerClientIP = in.SceneInfo.PayerClientIP
		if in.SceneInfo.H5Info != nil {
			terms.H5Type = in.SceneInfo.H5Info.Type
		}
	}
	kit.SetTerms(&o, terms)
	t, err := a.Service.Create(c.ctx, o)
	if err != nil {
		return 0, nil, err
	}
	prepayID := kit.PrepayID(c.app, t.TradeNo, a.Clock.Now())
	switch tradeType {
	case kit.TradeH5:
		return http.StatusOK, map[string]string{"h5_url": c.base + kit.H5Path + "?prepay_id=" + url.QueryEscape(prepayID) + "&package=" + kit.Digits(10)}, nil
	case kit.TradeNative:
		return http.StatusOK, map[string]string{"code_url": kit.CodeURL(t.TradeNo)}, nil
	}
	return http.StatusOK, map[string]string{"prepay_id": prepayID}, nil
}

// checkOrder applies the field rules of §2.5.
func checkOrder(in *orderIn, tradeType string, app *payment.App, creds *kit.Credentials) error {
	switch {
	case in.AppID == "":
		return errField("/appid", "body", "缺少参数appid", nil)
	case in.MchID == "":
		return errField("/mchid", "body", "缺少参数mchid", nil)
	case in.MchID != app.AppID:
		return errField("/mchid", "body", "mchid与请求头Authorization中的mchid不一致", in.MchID)
	case in.AppID != creds.AppID:
		return apiError(http.StatusBadRequest, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配")
	case in.Description == "":
		return errField("/description", "body", "缺少参数description", nil)
	case utf8.RuneCountInString(in.Description) > 127:
		return errField("/description", "body", "description长度不能超过127个字符", in.Description)
	case !outTradeNoShape.MatchString(in.OutTradeNo):
		return errField("/out_trade_no", "body", "out_trade_no须为6-32位数字、大小写字母、_-|*", in.OutTradeNo)
	case utf8.RuneCountInString(in.Attach) > 128:
		return errField("/attach", "body", "attach长度不能超过128个字符", in.Attach)
	case in.NotifyURL == "":
		return errField("/notify_url", "body", "缺少参数notify_url", nil)
	case in.Amount == nil || in.Amount.Total == nil:
		return errField("/amount/total", "body", "缺少参数amount.total", nil)
	case *in.Amount.Total < 1:
		return errField("/amount/total", "body", "amount.total须为不小于1的整数(分)", *in.Amount.Total)
	case in.Amount.Currency != "" && in.Amount.Currency != "CNY":
		return errField("/amount/currency", "body", "不支持的币种", in.Amount.Currency)
	case tradeType == kit.TradeJSAPI && (in.Payer == nil || in.Payer.OpenID == ""):
		return errField("/payer/openid", "body", "JSAPI下单须传payer.openid", nil)
	case tradeType == kit.TradeH5 && (in.SceneInfo == nil || in.SceneInfo.PayerClientIP == "" || in.SceneInfo.H5Info == nil || in.SceneInfo.H5Info.Type == ""):
		return errField("/scene_info", "body", "H5下单须传scene_info.payer_client_ip和scene_info.h5_info.type", nil)
	}
	if err := checkNotifyURL(in.NotifyURL); err != nil {
		return err
	}
	if in.TimeExpire != "" {
		if _, err := time.Parse(time.RFC3339, in.TimeExpire); err != nil {
			return errField("/time_expire", "body", "time_expire须为RFC3339格式，如2018-06-08T10:34:56+08:00", in.TimeExpire)
		}
	}
	return nil
}

// checkNotifyURL: absolute http(s), at most 255 characters, no query (§2.5).
func checkNotifyURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return errField("/notify_url", "body", "notify_url须为http或https开头的绝对地址", raw)
	case len(raw) > 255:
		return errField("/notify_url", "body", "notify_url长度不能超过255", raw)
	case u.RawQuery != "" || u.ForceQuery:
		return errField("/notify_url", "body", "notify_url不能携带参数", raw)
	}
	return nil
}

// decodeBody reads a JSON body; malformed JSON is PARAM_ERROR.
func decodeBody(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return errParam("请求体JSON格式错误: " + err.Error())
	}
	return nil
}
