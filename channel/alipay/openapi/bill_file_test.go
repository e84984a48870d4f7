package openapi_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/payment"
)

func sampleBill(t *testing.T) *payment.Bill {
	day := time.Date(2026, 5, 1, 0, 0, 0, 0, payment.CST)
	paid := refundBaseTrade()
	paid.Subject = "Mug, blue" // a comma: the CSV must quote it
	other := refundBaseTrade()
	other.TradeNo, other.OutTradeNo, other.Total, other.PaidAt = "2026050122000000000000000002", "ORDER-2", 250, paidAt.Add(time.Hour)
	return &payment.Bill{
		App: fixtureApp(t, appRSA2), From: day, To: day.AddDate(0, 0, 1),
		Trades: []*payment.Trade{&paid, &other},
		Refunds: []*payment.Refund{{TradeNo: paid.TradeNo, OutTradeNo: paid.OutTradeNo, OutRequestNo: "RQ-1", Amount: 300,
			Reason: "broken", RefundedTotal: 300, CreatedAt: paidAt.Add(2 * time.Hour)}},
		RefundedTrades: map[string]*payment.Trade{paid.TradeNo: &paid},
	}
}

// unzipGBK reads a bill zip: entry names and contents are GBK.
func unzipGBK(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	dec := simplifiedchinese.GBK.NewDecoder()
	out := map[string]string{}
	for _, f := range zr.File {
		if !f.NonUTF8 {
			t.Errorf("%q is flagged UTF-8; bill zips name files in GBK", f.Name)
		}
		name, err := dec.String(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := f.Open()
		raw, _ := io.ReadAll(rc)
		rc.Close()
		text, err := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("业务")) {
			t.Errorf("%s holds UTF-8 text", name)
		}
		out[name] = string(text)
	}
	return out
}

// TestBillZip: the platform's bill layout (§2.7), kept as golden files of
// the decoded CSVs; the zip itself is GBK throughout.
func TestBillZip(t *testing.T) {
	exported := time.Date(2026, 5, 2, 9, 30, 0, 0, payment.CST)
	b := sampleBill(t)
	z, err := openapi.BillZip(b, "trade", "2026-05-01", exported)
	if err != nil {
		t.Fatal(err)
	}
	files := unzipGBK(t, z)
	if len(files) != 2 {
		t.Fatalf("trade bill files: %v", keys(files))
	}
	golden(t, "bill_trade_detail.golden", []byte(files["20881021000000010156_20260501_业务明细.csv"]))
	golden(t, "bill_trade_summary.golden", []byte(files["20881021000000010156_20260501_业务明细(汇总).csv"]))

	z, err = openapi.BillZip(b, "signcustomer", "2026-05-01", exported)
	if err != nil {
		t.Fatal(err)
	}
	files = unzipGBK(t, z)
	golden(t, "bill_account.golden", []byte(files["20881021000000010156_20260501_账务明细.csv"]))
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
