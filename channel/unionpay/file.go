package unionpay

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// reconciliation is the file server's root (§5.9, txnType 76): the
// reconciliation zip of a settlement day, deflated (zlib) and Base64'd in
// fileContent, named fileName.
func (g *gateway) reconciliation(ctx context.Context, in *inbound) (acp.Fields, error) {
	if in.f["txnType"] != "76" {
		return nil, refuse(rcNoPermission, "the file server takes txnType 76, not "+in.f["txnType"])
	}
	if in.f["fileType"] != "00" {
		return nil, payment.Errorf(payment.CodeInvalidParameter, "fileType %q: the sandbox has fileType 00", in.f["fileType"])
	}
	day, ok := settleDay(in.f["settleDate"], g.d.Clock.Now())
	if !ok {
		return nil, payment.Errorf(payment.CodeInvalidParameter, "settleDate %q is not MMDD", in.f["settleDate"])
	}
	from, to := acp.SettleWindow(day)
	bill, err := g.d.Service.Bill(ctx, in.app, from, to)
	if err != nil {
		return nil, err
	}
	if bill.Empty() {
		return nil, payment.Errorf(payment.CodeBillNotExist, "merchant %s has no transaction on settlement day %s", in.app.PID, day.Format("2006-01-02"))
	}
	zm := zmFile(bill)
	name := in.app.PID + "_" + day.Format("20060102") + ".zip"
	content, err := packFile("INN"+day.Format("060102")+"88ZM_"+in.app.PID, zm)
	if err != nil {
		return nil, err
	}
	return acp.Fields{"fileName": name, "fileContent": content, "settleDate": in.f["settleDate"], "fileType": "00"}, nil
}

// settleDay reads MMDD as the latest such day not after today's
// settlement day.
func settleDay(mmdd string, now time.Time) (time.Time, bool) {
	today := acp.SettleDay(now)
	t, err := time.ParseInLocation("20060102", fmt.Sprintf("%04d%s", today.Year(), mmdd), acp.CST)
	if len(mmdd) != 4 || err != nil {
		return time.Time{}, false
	}
	if t.After(today) {
		t = t.AddDate(-1, 0, 0)
	}
	return t, true
}

// packFile zips one file, then deflates the zip with zlib and Base64s it
// (Java's Inflater(false), PHP's gzuncompress undo it, §5.9).
func packFile(name string, data []byte) (string, error) {
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	fw, err := zw.Create(name)
	if err == nil {
		_, err = fw.Write(data)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return "", err
	}
	var d bytes.Buffer
	dw := zlib.NewWriter(&d)
	_, _ = dw.Write(z.Bytes())
	if err := dw.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(d.Bytes()), nil
}

// zmWidths are the ZM detail file's column widths (§5.9, DemoBase.parseZMFile).
var zmWidths = []int{3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15, 32, 13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 98}

// zmFile is the ZM detail: one fixed-width line per transaction, single
// spaces between columns, CRLF. The columns after #30 are left blank
// (their names are unconfirmed, §5.9).
func zmFile(b *payment.Bill) []byte {
	var out bytes.Buffer
	for _, t := range b.Trades {
		tm := orderTerms(t)
		writeZM(&out, zmRow{code: "S56", trace: acp.TraceNo(t.TradeNo), at: t.PaidAt, amount: t.Total, queryID: t.TradeNo,
			orderID: t.OutTradeNo, settle: "C", txnType: tm.TxnType, txnSubType: tm.TxnSubType, bizType: tm.BizType,
			origQryID: tm.OrigQryID, merID: t.PID})
	}
	for _, r := range b.Refunds {
		tm := refundTerms(r)
		orig := b.RefundedTrades[r.TradeNo]
		row := zmRow{code: "S30", trace: acp.TraceNo(tm.QueryID), at: r.CreatedAt, amount: r.Amount, queryID: tm.QueryID,
			orderID: r.OutRequestNo, settle: "D", txnType: tm.TxnType, txnSubType: tm.TxnSubType, bizType: tm.BizType,
			origQryID: r.TradeNo, merID: r.PID}
		if orig != nil {
			row.origTrace, row.origAt = acp.TraceNo(orig.TradeNo), orig.PaidAt
		}
		writeZM(&out, row)
	}
	return out.Bytes()
}

type zmRow struct {
	code, trace                   string
	at, origAt                    time.Time
	amount                        payment.Amount
	queryID, orderID, fee, settle string
	txnType, txnSubType, bizType  string
	origQryID, merID, origTrace   string
}

func writeZM(out *bytes.Buffer, r zmRow) {
	origAt := strings.Repeat("0", 10)
	if !r.origAt.IsZero() {
		origAt = r.origAt.In(acp.CST).Format("0102150405")
	}
	if r.origTrace == "" {
		r.origTrace = "000000"
	}
	cols := []string{r.code, "00010000", "00010000", r.trace, r.at.In(acp.CST).Format("0102150405"), testCardMasked,
		fmt.Sprintf("%012d", r.amount), "0000", "07", r.queryID, "00", r.orderID, "01", r.origTrace, origAt,
		"D" + strings.Repeat("0", 12), r.settle + fmt.Sprintf("%012d", r.amount), "0001", "", r.txnType, r.txnSubType, r.bizType,
		"01", "", "", "0", r.origQryID, r.merID}
	for i, w := range zmWidths {
		v := ""
		if i < len(cols) {
			v = cols[i]
		}
		if i > 0 {
			out.WriteByte(' ')
		}
		if len(v) > w {
			v = v[:w]
		}
		out.WriteString(v + strings.Repeat(" ", w-len(v)))
	}
	out.WriteString("\r\n")
}
