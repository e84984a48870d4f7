package instance_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/controlapi"
)

// TestTriggerUnionPay: a trigger for a UnionPay merchant makes a front
// consume (§5.1) and pays it: the shop's backUrl receives the back
// notification (§5.2) that the merchant's verification accepts in each
// fixture scheme (5.1.0 certificate chain, 5.0.0 certId, secure key), and
// queryTrans finds the consume by its orderId and txnTime (§5.4).
func TestTriggerUnionPay(t *testing.T) {
	for _, merID := range []string{"777290058110048", "777290058110049", "777290058110050"} {
		t.Run(merID, func(t *testing.T) {
			e := newEnv(t)
			app, _ := e.app.Apps.App(merID)
			d := &unionPayDriver{base: e.app.URL, app: app, m: acp.Of(app)}
			c := controlapi.New(e.app.URL)
			paid, err := c.Trigger(context.Background(), controlapi.TriggerRequest{AppID: merID, Amount: "3.21", Subject: "银联 trigger",
				NotifyURL: e.shop.URL + "/notify", Outcome: "paid"})
			if err != nil || paid.Status != "SUCCESS" {
				t.Fatalf("paid: %+v %v", paid, err)
			}
			q := e.shop.next(t)
			f := acp.Fields{}
			for k := range q {
				f[k] = q.Get(k)
			}
			if err := d.verify(f); err != nil {
				t.Errorf("the back notification does not verify: %v (%v)", err, f)
			}
			if f["merId"] != merID || f["orderId"] != paid.OutTradeNo || f["queryId"] != paid.TradeNo || f["respCode"] != "00" ||
				f["txnAmt"] != "321" || f["txnType"] != "01" || f["bizType"] != "000201" || f["version"] != d.m.Version {
				t.Errorf("back notification: %v", f)
			}
			a := d.call(t, "/gateway/api/queryTrans.do", acp.Fields{"txnType": "00", "txnSubType": "00", "bizType": "000000", "accessType": "0",
				"orderId": f["orderId"], "txnTime": f["txnTime"]})
			if a["respCode"] != "00" || a["origRespCode"] != "00" || a["queryId"] != paid.TradeNo {
				t.Errorf("queryTrans of the triggered consume: %v", a)
			}

			refunded, err := c.Trigger(context.Background(), controlapi.TriggerRequest{AppID: merID, Amount: "5.00", NotifyURL: e.shop.URL + "/notify",
				Outcome: "refunded", RefundAmount: "2.00"})
			if err != nil || refunded.RefundedAmount != "2.00" {
				t.Fatalf("refunded: %+v %v", refunded, err)
			}
			got := map[string]bool{} // txnType/txnAmt/origQryId of each notification
			for i := 0; i < 2; i++ {
				q := e.shop.next(t)
				f := acp.Fields{}
				for k := range q {
					f[k] = q.Get(k)
				}
				if err := d.verify(f); err != nil {
					t.Errorf("notification %d of the refunded consume does not verify: %v (%v)", i, err, f)
				}
				got[f["txnType"]+"/"+f["txnAmt"]+"/"+f["origQryId"]] = true
			}
			if !got["01/500/"] || !got["04/200/"+refunded.TradeNo] {
				t.Errorf("notifications of the refunded consume (the consume's, the refund's): %v", got)
			}

			var apiErr map[string]string
			for _, bad := range []controlapi.TriggerRequest{
				{AppID: merID, Amount: "1.00", Outcome: "paid"},                                                        // no backUrl
				{AppID: merID, Amount: "1.00", Outcome: "paid", NotifyURL: e.shop.URL + "/notify", OutTradeNo: "UP-1"}, // not an orderId
			} {
				if code := e.api("POST", "/trades", bad, &apiErr); code != http.StatusBadRequest || apiErr["code"] == "" {
					t.Errorf("%+v: %d %v", bad, code, apiErr)
				}
			}
			if !strings.Contains(apiErr["message"], "orderId") {
				t.Errorf("a bad orderId: %v", apiErr)
			}
		})
	}
}
