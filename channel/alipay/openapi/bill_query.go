package openapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// BillPath is where mockpay serves bill files, the path of the platform's
// own file server (its host is dwbillcenter.alipay.com).
const BillPath = "/downloadBillFile.resource"

// billURLValidity is how long a bill_download_url works (§2.7: 30 seconds).
const billURLValidity = 30 * time.Second

// billPeriod reads bill_type and bill_date: a day (yyyy-MM-dd) or a month
// (yyyy-MM) that has ended on the platform's calendar; bills are T+1 (§2.7).
func billPeriod(billType, billDate string, now time.Time) (from, to time.Time, err error) {
	switch billType {
	case "trade", "signcustomer":
	default:
		return from, to, payment.Errorf(payment.CodeInvalidBillArguments, "bill_type %q: use trade or signcustomer", billType)
	}
	if from, err = time.ParseInLocation("2006-01-02", billDate, payment.CST); err == nil {
		to = from.AddDate(0, 0, 1)
	} else if from, err = time.ParseInLocation("2006-01", billDate, payment.CST); err == nil {
		to = from.AddDate(0, 1, 0)
	} else {
		return from, to, payment.Errorf(payment.CodeInvalidBillArguments, "bill_date %q: use yyyy-MM-dd or yyyy-MM", billDate)
	}
	if to.After(now) {
		return from, to, payment.Errorf(payment.CodeInvalidBillArguments, "bill_date %s has not ended yet (it is %s): bills are ready the next day", billDate, kit.DateTime(now))
	}
	return from, to, nil
}

// billURL answers alipay.data.dataservice.bill.downloadurl.query with a URL
// on mockpay that serves the zip for 30 seconds of virtual time (§2.7).
func (g *Gateway) billURL(ctx context.Context, c *Call) (*Object, string, error) {
	f := fields{biz: c.Biz}
	billType, billDate := f.required("bill_type"), f.required("bill_date")
	if f.err != nil {
		return nil, "", f.err
	}
	now := g.Clock.Now()
	from, to, err := billPeriod(billType, billDate, now)
	if err != nil {
		return nil, "", err
	}
	bill, err := g.Service.Bill(ctx, c.App, from, to)
	if err != nil {
		return nil, "", err
	}
	if bill.Empty() {
		return nil, "", payment.Errorf(payment.CodeBillNotExist, "app %s has no trades or refunds on %s", c.App.AppID, billDate)
	}
	q := url.Values{}
	q.Set("bizType", billType)
	q.Set("userId", c.App.PID)
	q.Set("appId", c.App.AppID)
	q.Set("bizDates", billDate)
	q.Set("fileType", "csv.zip")
	q.Set("downloadFileName", billFileName(c.App, billDate)+".csv.zip")
	q.Set("timestamp", strconv.FormatInt(now.UnixMilli(), 10))
	q.Set("token", billToken(c.App, q))
	return success().Str("bill_download_url", channel.BaseURL(ctx)+BillPath+"?"+q.Encode()), "", nil
}

// billToken signs a bill URL's parameters with a key only mockpay holds (the
// app's platform key), so the URL cannot be altered to another merchant or
// period.
func billToken(app *payment.App, q url.Values) string {
	c := url.Values{}
	for k, v := range q {
		if k != "token" {
			c[k] = v
		}
	}
	mac := hmac.New(sha256.New, []byte(app.PlatformPrivateKeyPEM))
	mac.Write([]byte(c.Encode()))
	return hex.EncodeToString(mac.Sum(nil))
}

// BillFile serves a bill_download_url: the file name and the zip, or an
// error for a URL that was altered or has expired.
func (g *Gateway) BillFile(ctx context.Context, rawQuery string) (string, []byte, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", nil, payment.Errorf(payment.CodeBillNotExist, "malformed bill URL")
	}
	app, ok := g.Apps.App(q.Get("appId"))
	if !ok || app.PID != q.Get("userId") || !hmac.Equal([]byte(billToken(app, q)), []byte(q.Get("token"))) {
		return "", nil, payment.Errorf(payment.CodeBillNotExist, "this bill URL was not issued by mockpay")
	}
	issued, _ := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	now := g.Clock.Now()
	if now.Sub(time.UnixMilli(issued)) > billURLValidity {
		return "", nil, payment.Errorf(payment.CodeBillNotExist, "this bill URL expired 30 seconds after it was issued")
	}
	from, to, err := billPeriod(q.Get("bizType"), q.Get("bizDates"), now)
	if err != nil {
		return "", nil, err
	}
	bill, err := g.Service.Bill(ctx, app, from, to)
	if err != nil {
		return "", nil, err
	}
	zip, err := BillZip(bill, q.Get("bizType"), q.Get("bizDates"), now)
	return q.Get("downloadFileName"), zip, err
}
