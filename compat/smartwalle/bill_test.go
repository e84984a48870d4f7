package smartwalle

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The bill download (protocol §2.7): bills are T+1, so the trades are made
// by a mockpay whose virtual clock starts a day ago (--clock-start), and the
// bill is fetched from a mockpay on the same database running on today.
func TestBillDownload(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bill.db")
	yesterday := time.Now().Add(-24 * time.Hour).Format(time.RFC3339)
	past, base, err := spawnMockpay(mockpayBin, filepath.Join(dir, "wd1"), db, "--clock-start", yesterday)
	if err != nil {
		t.Fatal(err)
	}
	client := func(base string) *sdkClient {
		rt := &recordingTransport{}
		c, err := alipay.New(app.AppID, app.AppPrivateKeyPEM, false, alipay.WithSandboxGateway(base+"/gateway.do"),
			alipay.WithHTTPClient(&http.Client{Timeout: 30 * time.Second, Transport: rt}))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.LoadAliPayPublicKey(app.AlipayPublicKeyPEM); err != nil {
			t.Fatal(err)
		}
		return &sdkClient{Client: c, rt: rt}
	}
	c := client(base)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var billDate, tradeNo string
	for i, amount := range []string{"10.00", "2.50"} {
		var p alipay.TradePay
		p.OutTradeNo, p.TotalAmount, p.Subject, p.Scene, p.AuthCode = newOrder("BILL", amount, amount).OutTradeNo, amount, testSubject, "bar_code", codeSuccess
		rsp, err := c.TradePay(ctx, p)
		if err != nil || rsp.Code != alipay.CodeSuccess {
			t.Fatalf("TradePay: %v\n%s", err, c.lastExchange())
		}
		if i == 0 {
			billDate, tradeNo = rsp.GmtPayment[:10], rsp.TradeNo
		}
	}
	if rf, err := c.TradeRefund(ctx, alipay.TradeRefund{TradeNo: tradeNo, RefundAmount: "3.00", OutRequestNo: "RQ1"}); err != nil || rf.Code != alipay.CodeSuccess {
		t.Fatalf("TradeRefund: %v\n%s", err, c.lastExchange())
	}
	past.stop()

	today, base, err := spawnMockpay(mockpayBin, filepath.Join(dir, "wd2"), db)
	if err != nil {
		t.Fatal(err)
	}
	defer today.stop()
	c = client(base)
	rsp, err := c.BillDownloadURLQuery(ctx, alipay.BillDownloadURLQuery{BillType: "trade", BillDate: billDate})
	if err != nil || rsp.Code != alipay.CodeSuccess || !strings.HasPrefix(rsp.BillDownloadURL, base+"/") {
		t.Fatalf("BillDownloadURLQuery(%s): %v %+v\n%s", billDate, err, rsp, c.lastExchange())
	}
	none, err := c.BillDownloadURLQuery(ctx, alipay.BillDownloadURLQuery{BillType: "trade", BillDate: "2016-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, c, "a day without trades", none.Error, "40004", "Business Failed", "isp.bill_not_exist")

	resp, err := http.Get(rsp.BillDownloadURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("bill file is not a zip: %v (HTTP %d)", err, resp.StatusCode)
	}
	gbk := simplifiedchinese.GBK.NewDecoder()
	var detail string
	for _, f := range zr.File {
		name, _ := gbk.String(f.Name)
		rc, _ := f.Open()
		raw, _ := io.ReadAll(rc)
		rc.Close()
		text, err := gbk.String(string(raw))
		if err != nil {
			t.Fatalf("%s is not GBK: %v", name, err)
		}
		if strings.HasSuffix(name, "_业务明细.csv") {
			detail = text
		}
	}
	if !strings.Contains(detail, "#交易合计：2笔，商家实收共12.50元") || !strings.Contains(detail, "#退款合计：1笔，商家实收退款共-3.00元") ||
		!strings.Contains(detail, tradeNo+"\t,") {
		t.Errorf("trade bill detail:\n%s", detail)
	}
}
