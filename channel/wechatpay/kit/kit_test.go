package kit

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

const key = "0123456789abcdefABCDEF0123456789" // 32 ASCII bytes

// TestEncryptOpensWithStandardGCM: a resource opens with the standard
// library's AES-256-GCM the way the SDKs open it (§2.8): the nonce string
// as the 12-byte IV, associated_data as AAD, Base64 of ciphertext‖tag.
func TestEncryptOpensWithStandardGCM(t *testing.T) {
	r, err := Encrypt(key, "transaction", "transaction", []byte(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Algorithm != "AEAD_AES_256_GCM" || len(r.Nonce) != 12 || r.AssociatedData != "transaction" || r.OriginalType != "transaction" {
		t.Fatalf("resource: %+v", r)
	}
	block, _ := aes.NewCipher([]byte(key))
	gcm, _ := cipher.NewGCM(block)
	ct, _ := base64.StdEncoding.DecodeString(r.Ciphertext)
	plain, err := gcm.Open(nil, []byte(r.Nonce), ct, []byte("transaction"))
	if err != nil || string(plain) != `{"a":1}` {
		t.Fatalf("open: %v %q", err, plain)
	}
	if _, err := gcm.Open(nil, []byte(r.Nonce), ct, []byte("refund")); err == nil {
		t.Error("opened with other associated data")
	}
	if back, err := Decrypt(key, r); err != nil || string(back) != `{"a":1}` {
		t.Errorf("Decrypt: %v %q", err, back)
	}
	if _, err := Encrypt("short", "x", "", nil); err == nil {
		t.Error("a key of 5 bytes was accepted")
	}
}

// TestSerialShape: P-V3-3, 20 bytes, first 0x10–0x7F: 40 hex digits, no sign bit.
func TestSerialShape(t *testing.T) {
	shape := regexp.MustCompile(`^[1-7][0-9A-F]{39}$`)
	for range 200 {
		s := NewSerial()
		if b := s.Bytes(); len(b) != 20 || !shape.MatchString(SerialHex(b)) {
			t.Fatalf("serial %x", b)
		}
	}
}

func TestPrepayIDAndCodeURL(t *testing.T) {
	app := &payment.App{AppID: "1900000101", PlatformPrivateKeyPEM: "k"}
	other := &payment.App{AppID: "1900000101", PlatformPrivateKeyPEM: "other"}
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, payment.CST)
	id := PrepayID(app, "4200202605011234567890123456", now)
	if !strings.HasPrefix(id, "wx20260501100000") || len(id) > 64 {
		t.Fatalf("prepay_id %s", id)
	}
	if no, at, ok := ParsePrepayID(app, id); !ok || no != "4200202605011234567890123456" || !at.Equal(now) {
		t.Errorf("parse: %v %s %s", ok, no, at)
	}
	if _, _, ok := ParsePrepayID(other, id); ok {
		t.Error("another platform key's prepay_id parsed")
	}
	forged := id[:len(id)-1] + "a"
	if strings.HasSuffix(id, "a") {
		forged = id[:len(id)-1] + "b"
	}
	if _, _, ok := ParsePrepayID(app, forged); ok {
		t.Error("a forged MAC parsed")
	}
	u := CodeURL("4200202605011234567890123456")
	code := strings.TrimPrefix(u, "weixin://wxpay/bizpayurl?pr=")
	if code == u || strings.ContainsAny(code, "&=?") {
		t.Fatalf("code_url %s", u)
	}
	if no, ok := TradeOfCode(code); !ok || no != "4200202605011234567890123456" {
		t.Errorf("code back: %v %s", ok, no)
	}
}

func TestTradeState(t *testing.T) {
	for _, c := range []struct {
		st       payment.Status
		refunded payment.Amount
		want     string
	}{
		{payment.StatusPending, 0, "NOTPAY"}, {payment.StatusPaid, 0, "SUCCESS"}, {payment.StatusFinished, 0, "SUCCESS"},
		{payment.StatusClosed, 0, "CLOSED"}, {payment.StatusPaid, 1, "REFUND"}, {payment.StatusClosed, 100, "REFUND"},
	} {
		if got := TradeState(&payment.Trade{Status: c.st, Refunded: c.refunded}); got != c.want {
			t.Errorf("%s refunded %d: %s, want %s", c.st, c.refunded, got, c.want)
		}
	}
	if st, ok := Statuses.Parse("SUCCESS"); !ok || st != payment.StatusPaid {
		t.Errorf("SUCCESS parses as %s", st)
	}
}

// TestScheduleIs24h4m: 15 intervals summing to 24h 4m (§3).
func TestScheduleIs24h4m(t *testing.T) {
	var sum time.Duration
	for _, d := range Schedule {
		sum += d
	}
	if len(Schedule) != 15 || sum != 24*time.Hour+4*time.Minute {
		t.Errorf("%d intervals, %s", len(Schedule), sum)
	}
}

func TestIDShapes(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, payment.CST)
	if id := (IDs{}).TradeNo(now); !regexp.MustCompile(`^420020260501[0-9]{16}$`).MatchString(id) {
		t.Errorf("transaction_id %s", id)
	}
	if id := (IDs{}).NotifyID(now); !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(id) {
		t.Errorf("notification id %s", id)
	}
	if id := RefundIDOf(&payment.Refund{ID: 42, TradeNo: "4200202605011234567890123456"}); len(id) != 29 || !strings.HasSuffix(id, "42") {
		t.Errorf("refund_id %s", id)
	}
}
