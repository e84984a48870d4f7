package smartwalle

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/smartwalle/alipay/v3"
)

// App pay: the SDK's TradeAppPay order string (sorted, + for spaces) is
// what the app hands the Alipay app; mockpay's /_mockpay/api/app-pay plays
// the Alipay app, verifies it and pays (protocol §2.7).
func TestAppPay(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	o := newOrder("APP", "2.5", "2.50")
	var p alipay.TradeAppPay
	p.NotifyURL = theShop.notifyURL()
	p.OutTradeNo, p.TotalAmount, p.Subject, p.ProductCode = o.OutTradeNo, o.Amount, testSubject, "QUICK_MSECURITY_PAY"
	orderStr, err := c.TradeAppPay(p)
	if err != nil {
		t.Fatalf("TradeAppPay: %v", err)
	}
	body, _ := json.Marshal(map[string]string{"order_str": orderStr})
	rsp, err := http.Post(baseURL+"/_mockpay/api/app-pay", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	var res struct {
		ResultStatus string `json:"resultStatus"`
		Result       string `json:"result"`
		TradeNo      string `json:"trade_no"`
	}
	if err := json.NewDecoder(rsp.Body).Decode(&res); err != nil || rsp.StatusCode != http.StatusOK || res.ResultStatus != "9000" {
		t.Fatalf("app-pay of the SDK's order string: HTTP %d %v %+v\norder string: %s", rsp.StatusCode, err, res, orderStr)
	}
	if !strings.Contains(res.Result, `"alipay_trade_app_pay_response":{`) || !strings.Contains(res.Result, `"sign":`) {
		t.Errorf("result string: %s", res.Result)
	}
	checkPaidNotification(t, o, res.TradeNo)
}
