package mapi

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// maxBatchNum is the most records one batch may hold (§1.9).
const maxBatchNum = 1000

// refundNoPwd answers refund_fastpay_by_platform_nopwd: a well-formed batch
// is applied at once and the answer only says it was accepted; each
// record's outcome comes in batch_refund_notify (§1.9).
func (g *Gateway) refundNoPwd(ctx context.Context, c *Call) (Outcome, error) {
	b, err := c.refundBatch(g.Clock.Now())
	if err != nil {
		return Outcome{}, err
	}
	if _, err := g.Service.RefundBatch(ctx, c.Partner, b); err != nil {
		return Outcome{}, err
	}
	r, err := successXML(c, "", nil)
	return Outcome{Reply: r}, err
}

// refundPwd answers refund_fastpay_by_platform_pwd, a page service: the
// seller's browser goes to the platform's page to confirm the batch.
func (g *Gateway) refundPwd(ctx context.Context, c *Call) (Outcome, error) {
	b, err := c.refundBatch(g.Clock.Now())
	if err != nil {
		return Outcome{}, err
	}
	if b, err = g.Service.ProposeRefundBatch(ctx, c.Partner, b); err != nil {
		return Outcome{}, err
	}
	return Outcome{SellerRefund: b.Token}, nil
}

// batchNoPattern is the refund date (yyyyMMdd) and a serial of 3 to 24
// letters or digits (§1.9).
var batchNoPattern = regexp.MustCompile(`^([0-9]{8})([0-9A-Za-z]{3,24})$`)

// refundBatch reads and checks a batch request (§1.9).
func (c *Call) refundBatch(now time.Time) (*payment.RefundBatch, error) {
	p := c.Params
	if err := c.refundSeller(); err != nil {
		return nil, err
	}
	b := &payment.RefundBatch{
		BatchNo: p.Value("batch_no"), NotifyURL: p.Value("notify_url"),
		Charset: string(c.Charset), SignType: string(c.SignType),
	}
	if err := checkURL("notify_url", b.NotifyURL, 200, false); err != nil {
		return nil, err
	}
	if _, err := time.ParseInLocation(kit.TimestampLayout, p.Value("refund_date"), payment.CST); err != nil {
		return nil, payment.Errorf(codeRefundDate, "refund_date %q is not yyyy-MM-dd HH:mm:ss", p.Value("refund_date"))
	}
	// The batch_no starts with today's date on the platform's clock, GMT+8.
	m := batchNoPattern.FindStringSubmatch(b.BatchNo)
	today := now.In(payment.CST).Format("20060102")
	if m == nil || m[1] != today || m[2] == "000" {
		return nil, payment.Errorf(codeBatchNoFormat, "batch_no %q: today's date %s and a serial of 3 to 24 letters or digits, not 000", b.BatchNo, today)
	}
	num, err := strconv.Atoi(p.Value("batch_num"))
	switch {
	case err != nil || num < 1 || strings.HasPrefix(p.Value("batch_num"), "+"):
		return nil, payment.Errorf(codeBatchNum, "batch_num %q is not a number of records", p.Value("batch_num"))
	case num > maxBatchNum:
		return nil, payment.Errorf(codeBatchNumExceed, "batch_num %d is above %d", num, maxBatchNum)
	}
	if b.Records, err = c.detailData(); err != nil {
		return nil, err
	}
	switch n := len(b.Records); {
	case n > maxBatchNum:
		return nil, payment.Errorf(codeBatchNumExceed, "detail_data holds %d records, above %d", n, maxBatchNum)
	case n != num:
		return nil, payment.Errorf(codeBatchNumNotEqual, "batch_num is %d, detail_data holds %d records", num, n)
	}
	return b, nil
}

// detailData reads trade_no^amount^reason records joined by # (§1.9).
func (c *Call) detailData() ([]payment.BatchRecord, error) {
	data := c.Params.Value("detail_data")
	if data == "" {
		return nil, payment.Errorf(codeDetailDataFormat, "detail_data is required")
	}
	var out []payment.BatchRecord
	seen := map[string]bool{}
	for i, rec := range strings.Split(data, "#") {
		f := strings.Split(rec, "^")
		if len(f) != 3 || f[0] == "" {
			return nil, payment.Errorf(codeDetailDataFormat, "record %d %q is not trade_no^amount^reason", i+1, rec)
		}
		amount, err := payment.ParseYuan(f[1])
		if err != nil {
			return nil, payment.Errorf(codeDetailDataFormat, "record %d: amount %q: %v", i+1, f[1], err)
		}
		// Fee and royalty refunds (| and $ segments) are not emulated; a
		// reason holds neither, and at most 256 bytes as sent.
		if strings.ContainsAny(f[2], "|$") || len(kit.Encode(f[2], c.Charset)) > 256 {
			return nil, payment.Errorf(codeDetailDataFormat, "record %d: the reason must hold no ^ | $ # and at most 256 bytes", i+1)
		}
		if seen[f[0]] {
			return nil, payment.Errorf(codeDuplicateTradeInBatch, "trade_no %s is in the batch twice", f[0])
		}
		seen[f[0]] = true
		out = append(out, payment.BatchRecord{TradeNo: f[0], Amount: amount, Reason: f[2]})
	}
	return out, nil
}

// refundSeller checks the seller when one is named: seller_user_id wins
// over seller_email, and it must be the partner's own account (§1.9).
func (c *Call) refundSeller() error {
	p := c.Params
	if id := p.Value("seller_user_id"); id != "" {
		if id != c.Partner.PID {
			return payment.Errorf(codeSellerNotExist, "seller_user_id %s is not partner %s's seller", id, c.Partner.PID)
		}
		return nil
	}
	if e := p.Value("seller_email"); e != "" && e != c.Partner.SellerEmail {
		return payment.Errorf(codeSellerNotExist, "seller_email %s is not partner %s's seller (%s)", e, c.Partner.PID, c.Partner.SellerEmail)
	}
	return nil
}

// batchNotificationParams are the fields of batch_refund_notify (§1.9),
// signed: result_details holds trade_no^amount^SUCCESS (or the failure's
// code) per record, joined by #.
func batchNotificationParams(app *payment.App, n *payment.Notification, notifyTime time.Time) (sign.Params, error) {
	b := n.Batch
	details := make([]string, len(b.Records))
	for i, r := range b.Records {
		details[i] = r.TradeNo + "^" + r.Amount.Yuan() + "^" + batchResult(r.Result)
	}
	var p sign.Params
	p.Add("batch_no", b.BatchNo)
	p.Add("notify_id", n.NotifyID)
	p.Add("notify_time", kit.DateTime(notifyTime))
	p.Add("notify_type", kit.NotifyType(n.Kind))
	p.Add("result_details", strings.Join(details, "#"))
	p.Add("success_num", strconv.Itoa(b.SuccessNum()))
	st := sign.MD5Type
	if b.SignType == string(sign.RSA) {
		st = sign.RSA
	}
	return withSign(app, st, batchCharset(b), p)
}

func batchCharset(b *payment.RefundBatch) kit.Charset {
	if cs, ok := kit.ParseCharset(b.Charset); ok {
		return cs
	}
	return kit.UTF8
}
