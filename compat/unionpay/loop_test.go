package unionpay

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestWholeLoop drives mockpay through the whole UnionPay loop for every
// signing scheme its fixtures have (5.1.0 certificate, 5.0.0 certId,
// signMethod 11 secure key), as an unmodified merchant does.
func TestWholeLoop(t *testing.T) {
	for i, m := range merchants {
		t.Run(m.Version+"/"+m.SignMethod+"/"+m.MerID, func(t *testing.T) { loop(t, m, i) })
	}
}

func loop(t *testing.T, m merchantInfo, n int) {
	c := configure(t, m)
	s := newShop(t, c)
	suffix := fmt.Sprintf("%d%s", n, now(t))

	// Front consume → cashier → the result page → frontUrl.
	order1 := "LOOP1" + suffix
	txnTime1 := now(t)
	queryID := frontConsume(t, c, m, s, order1, txnTime1, "1500")
	back := s.awaitBack(t, "the consume", func(f map[string]string) bool { return f["orderId"] == order1 })
	if back["respCode"] != "00" || back["queryId"] != queryID || back["txnType"] != "01" || back["settleDate"] == "" || back["txnAmt"] != "1500" {
		t.Errorf("consume notification: %v", back)
	}

	// Query: respCode 00 (found), origRespCode 00 (paid), the original's txnType.
	q := query(t, c, m, order1, txnTime1)
	if q["respCode"] != "00" || q["origRespCode"] != "00" || q["queryId"] != queryID || q["txnType"] != "01" || q["settleAmt"] != "1500" {
		t.Errorf("query after paying: %v", q)
	}

	// Partial refund, its notification, its query.
	refund1, refundTime := "REFUND1"+suffix, now(t)
	r := post(t, c, m.BackURL, backTxn("04", refund1, refundTime, "500", queryID, s.URL+"/back"))
	if r["respCode"] != "00" || r["origQryId"] != queryID || len(r["queryId"]) != 21 {
		t.Fatalf("partial refund: %v", r)
	}
	rn := s.awaitBack(t, "the refund", func(f map[string]string) bool { return f["orderId"] == refund1 })
	if rn["txnType"] != "04" || rn["origQryId"] != queryID || rn["txnAmt"] != "500" || rn["respCode"] != "00" {
		t.Errorf("refund notification: %v", rn)
	}
	rq := query(t, c, m, refund1, refundTime)
	if rq["respCode"] != "00" || rq["origRespCode"] != "00" || rq["txnType"] != "04" || rq["queryId"] != r["queryId"] {
		t.Errorf("query of the refund: %v", rq)
	}

	// Over-refund: more than the 1000 fen left.
	over := post(t, c, m.BackURL, backTxn("04", "REFUND2"+suffix, now(t), "1001", queryID, s.URL+"/back"))
	if over["respCode"] == "00" {
		t.Errorf("an over-refund was accepted: %v", over)
	}
	// A refunded consume cannot be undone.
	if u := post(t, c, m.BackURL, backTxn("31", "UNDOX"+suffix, now(t), "1500", queryID, s.URL+"/back")); u["respCode"] == "00" {
		t.Errorf("an undo of a refunded consume was accepted: %v", u)
	}

	// Consume undo on another order, paid on the same settlement day.
	order2 := "LOOP2" + suffix
	queryID2 := frontConsume(t, c, m, s, order2, now(t), "800")
	s.awaitBack(t, "the second consume", func(f map[string]string) bool { return f["orderId"] == order2 })
	undo := "UNDO1" + suffix
	u := post(t, c, m.BackURL, backTxn("31", undo, now(t), "800", queryID2, s.URL+"/back"))
	if u["respCode"] != "00" || u["origQryId"] != queryID2 {
		t.Fatalf("consume undo: %v", u)
	}
	un := s.awaitBack(t, "the undo", func(f map[string]string) bool { return f["orderId"] == undo })
	if un["txnType"] != "31" || un["origQryId"] != queryID2 {
		t.Errorf("undo notification: %v", un)
	}

	// The reconciliation file of today's settlement day.
	fileTransfer(t, c, m, back["settleDate"], []string{order1, refund1, order2, undo})

	// Errors.
	t.Run("bad signature", func(t *testing.T) {
		f, _ := c.Sign(backTxn("04", "BADSIG"+suffix, now(t), "1", queryID, s.URL+"/back"))
		f["txnAmt"] = "2"
		if a := postSigned(t, c, m.BackURL, f); a["respCode"] != "11" {
			t.Errorf("a tampered refund: %v", a)
		}
		page := frontPage(t, c, m, s, "BADSIG2"+suffix, now(t), "100", true)
		if !strings.Contains(page, ">11<") {
			t.Errorf("a tampered front order: %s", page)
		}
	})
	t.Run("duplicate orderId", func(t *testing.T) {
		if page := frontPage(t, c, m, s, order1, txnTime1, "1500", false); !strings.Contains(page, ">12<") {
			t.Errorf("a paid orderId ordered again: %s", page)
		}
		if a := post(t, c, m.BackURL, backTxn("04", refund1, now(t), "1", queryID, s.URL+"/back")); a["respCode"] != "12" {
			t.Errorf("a refund's orderId used again: %v", a)
		}
	})
	t.Run("unknown order", func(t *testing.T) {
		if a := query(t, c, m, "NOSUCHORDER"+suffix, now(t)); a["respCode"] != "34" {
			t.Errorf("query of an unknown order: %v", a)
		}
		if a := post(t, c, m.BackURL, backTxn("04", "REFUND9"+suffix, now(t), "1", "999999999999999999999", s.URL+"/back")); a["respCode"] != "35" {
			t.Errorf("refund of an unknown original: %v", a)
		}
	})
	t.Run("over-refund", func(t *testing.T) {
		if over["respCode"] != "33" {
			t.Errorf("over-refund answered %v, want 33", over)
		}
	})
}

func backTxn(txnType, orderID, txnTime, amount, origQryID, backURL string) map[string]string {
	return map[string]string{"txnType": txnType, "txnSubType": "00", "bizType": "000201", "channelType": "07", "accessType": "0",
		"orderId": orderID, "txnTime": txnTime, "txnAmt": amount, "currencyCode": "156", "origQryId": origQryID, "backUrl": backURL}
}

func query(t *testing.T, c *Config, m merchantInfo, orderID, txnTime string) map[string]string {
	return post(t, c, m.QueryURL, map[string]string{"txnType": "00", "txnSubType": "00", "bizType": "000000", "accessType": "0",
		"orderId": orderID, "txnTime": txnTime})
}

func frontFields(s *shop, orderID, txnTime, amount string) map[string]string {
	return map[string]string{"txnType": "01", "txnSubType": "01", "bizType": "000201", "channelType": "07", "accessType": "0",
		"orderId": orderID, "txnTime": txnTime, "txnAmt": amount, "currencyCode": "156", "frontUrl": s.URL + "/front",
		"backUrl": s.URL + "/back", "orderDesc": "银联测试商品", "reqReserved": "{a=1&b=2}"}
}

// frontPage posts a front order expected to be refused: the gateway's
// error page.
func frontPage(t *testing.T, c *Config, m merchantInfo, s *shop, orderID, txnTime, amount string, tamper bool) string {
	f, _ := c.Sign(frontFields(s, orderID, txnTime, amount))
	if tamper {
		f["txnAmt"] += "0"
	}
	resp, err := noRedirect.Post(m.FrontURL, "application/x-www-form-urlencoded", strings.NewReader(Encode(f)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("front error: HTTP %d", resp.StatusCode)
	}
	return string(b)
}

var (
	formAction = regexp.MustCompile(`<form id="pay_form"[^>]* action="([^"]*)"`)
	hidden     = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// frontConsume is the browser's part: the SDK's auto-submitted form to
// frontTransReq.do, the cashier's pay button, the result page's 返回商户
// posting the signed fields to frontUrl, which the shop validates.
func frontConsume(t *testing.T, c *Config, m merchantInfo, s *shop, orderID, txnTime, amount string) string {
	t.Helper()
	f, err := c.Sign(frontFields(s, orderID, txnTime, amount))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := noRedirect.Post(m.FrontURL, "application/x-www-form-urlencoded", strings.NewReader(Encode(f)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cashier := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || len(b) != 0 || !strings.HasPrefix(cashier, "/cashier/") {
		t.Fatalf("front consume: want 302 to the cashier with an empty body, got %d %q %s", resp.StatusCode, cashier, b)
	}
	resp, err = noRedirect.PostForm(base+cashier, url.Values{"action": {"pay"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	result := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || result == "" {
		t.Fatalf("pay in the cashier: %d %q", resp.StatusCode, result)
	}
	resp, err = http.Get(base + result)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	act := formAction.FindStringSubmatch(page)
	if act == nil || html.UnescapeString(act[1]) != s.URL+"/front" {
		t.Fatalf("the result page posts nowhere near frontUrl: %s", page)
	}
	form := url.Values{}
	for _, in := range hidden.FindAllStringSubmatch(page, -1) {
		form.Set(in[1], html.UnescapeString(in[2]))
	}
	resp, err = http.PostForm(s.URL+"/front", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		s.mu.Lock()
		t.Fatalf("the frontUrl post does not validate: %v", s.bad)
	}
	if form.Get("respCode") != "00" || form.Get("orderId") != orderID || form.Get("reqReserved") != "{a=1&b=2}" {
		t.Errorf("frontUrl fields: %v", form)
	}
	return form.Get("queryId")
}

// fileTransfer downloads the settlement day's file as the SDK does
// (deCodeFileContent: Base64, inflate, save as fileName) and reads its
// ZM detail in the widths of §5.9.
func fileTransfer(t *testing.T, c *Config, m merchantInfo, settleDate string, orderIDs []string) {
	t.Helper()
	a := post(t, c, m.FileURL, map[string]string{"txnType": "76", "txnSubType": "01", "bizType": "000000", "accessType": "0",
		"settleDate": settleDate, "txnTime": now(t), "fileType": "00"})
	if a["respCode"] != "00" || !strings.HasSuffix(a["fileName"], ".zip") || a["settleDate"] != settleDate {
		t.Fatalf("file transfer: %v", a)
	}
	deflated, err := base64.StdEncoding.DecodeString(a["fileContent"])
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(deflated))
	if err != nil {
		t.Fatal(err)
	}
	zipped, _ := io.ReadAll(zr)
	arch, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil || len(arch.File) == 0 || !strings.HasPrefix(arch.File[0].Name, "INN") || !strings.HasSuffix(arch.File[0].Name, "ZM_"+m.MerID) {
		t.Fatalf("the file is no zip with a ZM file: %v", err)
	}
	rc, _ := arch.File[0].Open()
	zm, _ := io.ReadAll(rc)
	rc.Close()
	widths := []int{3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15, 32, 13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 98}
	seen := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(string(zm), "\r\n"), "\r\n") {
		cols, pos := []string{}, 0
		for _, w := range widths {
			if pos+w > len(line) {
				t.Fatalf("ZM line shorter than its columns: %q", line)
			}
			cols = append(cols, strings.TrimSpace(line[pos:pos+w]))
			pos += w + 1
		}
		seen[cols[11]] = cols[19] // orderId → txnType
	}
	for i, id := range orderIDs {
		want := []string{"01", "04", "01", "31"}[i]
		if seen[id] != want {
			t.Errorf("ZM file: orderId %s has txnType %q, want %s (%v)", id, seen[id], want, seen)
		}
	}
}
