package instance_test

import (
	"archive/zip"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/internal/merchant"
	"github.com/mockpay/mockpay/payment"
)

// readBillZip opens a bill zip whose names and contents are GBK.
func readBillZip(t *testing.T, body string) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[merchant.FromGBK(f.Name)] = merchant.FromGBK(string(b))
	}
	return out
}

// TestBillDownload: the day's trades and refunds in the platform's GBK CSV
// zip, served by mockpay at a URL valid for 30 seconds (§2.7).
func TestBillDownload(t *testing.T) {
	e := newEnv(t)
	ret := e.pay("BILL-1", "10.00")
	e.shop.next(t)
	e.barcode("BILL-2", "2.50", payment.AuthCodeSuccess)
	e.shop.next(t)
	if r, _ := e.m.Call("alipay.trade.refund", map[string]string{"out_trade_no": "BILL-1", "refund_amount": "3.00", "out_request_no": "RQ-1"}, nil); r.Code() != "10000" {
		t.Fatalf("refund: %s", r.Raw)
	}
	bill := func(biz map[string]string) *merchant.Response {
		t.Helper()
		r, err := e.m.Call("alipay.data.dataservice.bill.downloadurl.query", biz, nil)
		if err != nil || !r.Verified {
			t.Fatalf("bill query: %v %s", err, r.Raw)
		}
		return r
	}
	if r := bill(map[string]string{"bill_type": "trade", "bill_date": "2026-05-01"}); r.SubCode() != "isv.invalid_arguments" {
		t.Errorf("today's bill: %s", r.Raw)
	}
	e.clock.Advance(24 * time.Hour)
	for biz, want := range map[[2]string]string{
		{"trade", "2026-04-30"}: "isp.bill_not_exist",
		{"trade", "2026-05"}:    "isv.invalid_arguments", // the month has not ended
		{"trade", "2026/05/01"}: "isv.invalid_arguments",
		{"fund", "2026-05-01"}:  "isv.invalid_arguments",
		{"", "2026-05-01"}:      "ACQ.INVALID_PARAMETER",
	} {
		if r := bill(map[string]string{"bill_type": biz[0], "bill_date": biz[1]}); r.SubCode() != want {
			t.Errorf("%v: %s, want %s", biz, r.Raw, want)
		}
	}

	r := bill(map[string]string{"bill_type": "trade", "bill_date": "2026-05-01"})
	u := r.Str("bill_download_url")
	if r.Code() != "10000" || !strings.HasPrefix(u, e.app.URL+"/downloadBillFile.resource?") {
		t.Fatalf("bill URL: %s", r.Raw)
	}
	resp, body := e.get(u)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "20881021000000010156_20260501.csv.zip") {
		t.Fatalf("bill file: %d %v", resp.StatusCode, resp.Header)
	}
	files := readBillZip(t, body)
	detail, summary := files["20881021000000010156_20260501_业务明细.csv"], files["20881021000000010156_20260501_业务明细(汇总).csv"]
	if detail == "" || summary == "" {
		t.Fatalf("bill files: %v", len(files))
	}
	lines := strings.Split(strings.TrimSpace(detail), "\n")
	if !strings.HasPrefix(lines[0], "#支付宝业务明细查询") || !strings.HasPrefix(lines[4], "支付宝交易号,商户订单号,业务类型") {
		t.Errorf("detail header: %q", lines[:5])
	}
	var trades, refunds int
	for _, l := range lines {
		cols := strings.Split(l, ",")
		switch {
		case len(cols) < 25:
		case strings.TrimSpace(cols[2]) == "交易":
			trades++
		case strings.TrimSpace(cols[2]) == "退款":
			refunds++
			if strings.TrimSpace(cols[0]) != ret.Get("trade_no") || cols[12] != "-3.00" || strings.TrimSpace(cols[21]) != "RQ-1" {
				t.Errorf("refund row: %q", cols)
			}
		}
	}
	if trades != 2 || refunds != 1 || !strings.Contains(detail, "#交易合计：2笔，商家实收共12.50元") || !strings.Contains(detail, "#退款合计：1笔，商家实收退款共-3.00元") {
		t.Errorf("detail: %d trades, %d refunds\n%s", trades, refunds, detail)
	}
	if !strings.Contains(summary, "合计,,2,1,12.50,9.50") {
		t.Errorf("summary:\n%s", summary)
	}

	r = bill(map[string]string{"bill_type": "signcustomer", "bill_date": "2026-05-01"})
	_, body = e.get(r.Str("bill_download_url"))
	if acc := readBillZip(t, body)["20881021000000010156_20260501_账务明细.csv"]; !strings.Contains(acc, "#收入合计：2笔，共12.50元") {
		t.Errorf("account bill:\n%s", acc)
	}

	// The URL cannot be altered and expires after 30 seconds.
	if resp, _ := e.get(strings.Replace(u, "bizDates=2026-05-01", "bizDates=2026-04-30", 1)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("altered URL: %d", resp.StatusCode)
	}
	e.clock.Advance(31 * time.Second)
	if resp, _ := e.get(u); resp.StatusCode != http.StatusNotFound {
		t.Errorf("expired URL: %d", resp.StatusCode)
	}
}
